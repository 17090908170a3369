using System.Diagnostics;
using BenchmarkDotNet.Running;
using SparkTfrecord.Spec.Benchmarks;
using SparkTfrecord.TestSupport;

// `--quick` times each method with a stopwatch, 40 rounds interleaved, and reports the best round of each (the first
// rounds run code the JIT has not optimized yet): a smoke check in seconds. Anything else goes to BenchmarkDotNet.
if (args is ["--quick"])
{
    var bench = new ValidateBenchmarks { Records = 200_000 };
    bench.Setup();
    try
    {
        double decode = double.MaxValue, index = double.MaxValue, validate = double.MaxValue;
        for (int round = 0; round < 40; round++)
        {
            decode = Math.Min(decode, Time(() => bench.ReadAndDecode()));
            index = Math.Min(index, Time(() => bench.ReadAndIndex()));
            validate = Math.Min(validate, Time(() => bench.Validate()));
        }

        Console.WriteLine($"best of 40: read+decode {decode:0.0} ms, read+index {index:0.0} ms, validate {validate:0.0} ms: validate takes {validate / decode:0.00}x the time of read+decode ({decode / validate:0.00}x the speed)");
    }
    finally
    {
        bench.Cleanup();
    }

    return 0;
}

// `--report FOLDER [--spec FILE] [--rounds N] [--sparktf PROGRAM]`: validate with and without the HTML report (ReportBenchmark).
if (args is ["--report", string reportFolder, .. var reportRest])
{
    string reportSpec = Repo.Conf("din.yaml");
    int rounds = 5;
    string? sparktf = null;
    for (int i = 0; i + 1 < reportRest.Length; i += 2)
    {
        switch (reportRest[i])
        {
            case "--spec": reportSpec = reportRest[i + 1]; break;
            case "--sparktf": sparktf = reportRest[i + 1]; break;
            case "--rounds": rounds = int.Parse(reportRest[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
            default: Console.Error.WriteLine($"unknown option {reportRest[i]}: --report FOLDER [--spec FILE] [--rounds N] [--sparktf PROGRAM]"); return 2;
        }
    }

    return ReportBenchmark.Run(reportFolder, reportSpec, rounds, sparktf);
}

BenchmarkSwitcher.FromAssembly(typeof(ValidateBenchmarks).Assembly).Run(args.Length == 0 ? ["--filter", "*"] : args);
return 0;

static double Time(Func<long> run)
{
    var watch = Stopwatch.StartNew();
    run();
    return watch.Elapsed.TotalMilliseconds;
}
