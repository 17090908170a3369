using System.Diagnostics;
using BenchmarkDotNet.Running;
using SparkTfrecord.Spec.Benchmarks;

// `--quick` measures both once with a stopwatch (a smoke check); anything else goes to BenchmarkDotNet.
if (args is ["--quick"])
{
    var bench = new ValidateBenchmarks { Records = 200_000 };
    bench.Setup();
    try
    {
        for (int round = 0; round < 3; round++)
        {
            var watch = Stopwatch.StartNew();
            bench.ReadAndDecode();
            double decode = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            bench.ReadAndIndex();
            double index = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            bench.Validate();
            double validate = watch.Elapsed.TotalMilliseconds;
            Console.WriteLine($"read+decode {decode:0} ms, read+index {index:0} ms, validate {validate:0} ms: validate speed = {decode / validate:0.00}x read+decode, {index / validate:0.00}x read+index");
        }
    }
    finally
    {
        bench.Cleanup();
    }

    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(ValidateBenchmarks).Assembly).Run(args.Length == 0 ? ["--filter", "*"] : args);
return 0;
