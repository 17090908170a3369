using BenchmarkDotNet.Attributes;
using SparkTfrecord.Spec;
using SparkTfrecord.Spec.Tests;
using SparkTfrecord.Spec.Validation;
using SparkTfrecord.TestSupport;
using SparkTfrecord.Tfrecord.Example;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Spec.Benchmarks;

/// <summary>
/// <c>validate</c> (read, decode, check every feature and gather statistics) against read + decode alone, over the
/// same DIN-shaped uncompressed file. The target is validate at no less than half the speed of read + decode
/// (Ratio ≤ 2.0 in the results table). ReadAndIndex shows the cost of the decoder's indexing pass alone. Three
/// processes per method: the JIT's profile-guided choices differ from one process to the next by a few percent.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 3, warmupCount: 5, iterationCount: 15)]
public class ValidateBenchmarks
{
    private string _path = "";
    private FeatureSpec _spec = null!;

    [Params(200_000)]
    public int Records { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"sparktf-bench-din-{Records}.tfrecord");
        new DinRecords().Write(_path, Records); // fixed content: the builder is deterministic
        _spec = SpecLoader.Load(Repo.Conf("din.yaml"));
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_path);

    /// <summary>
    /// Read + decode: frame every record, check both CRCs, decode the Example and read every value (the decoder's views
    /// are lazy: a value is decoded when it is read). The baseline.
    /// </summary>
    [Benchmark(Baseline = true)]
    public long ReadAndDecode()
    {
        var decoder = new ExampleDecoder();
        long sum = 0;
        using TfRecordReader reader = TfRecordReader.Open(_path);
        while (reader.TryRead(out ReadOnlySpan<byte> payload))
        {
            foreach (FeatureView feature in decoder.DecodeExample(payload))
            {
                switch (feature.Kind)
                {
                    case FeatureKind.Int64:
                        foreach (long v in feature.GetInt64s())
                        {
                            sum += v;
                        }

                        break;
                    case FeatureKind.Float:
                        foreach (float v in feature.GetFloats())
                        {
                            sum += (long)v;
                        }

                        break;
                    case FeatureKind.Bytes:
                        foreach (ReadOnlySpan<byte> v in feature.GetBytes())
                        {
                            sum += v.Length;
                        }

                        break;
                }
            }
        }

        return sum;
    }

    /// <summary>Read + index only: DecodeExample checks the payload and finds each feature, but no value is read.</summary>
    [Benchmark]
    public long ReadAndIndex()
    {
        var decoder = new ExampleDecoder();
        long values = 0;
        using TfRecordReader reader = TfRecordReader.Open(_path);
        while (reader.TryRead(out ReadOnlySpan<byte> payload))
        {
            foreach (FeatureView feature in decoder.DecodeExample(payload))
            {
                values += feature.Count;
            }
        }

        return values;
    }

    [Benchmark]
    public long Validate()
    {
        var validator = new DatasetValidator(ValidationRules.FromSpec(_spec));
        using TfRecordReader reader = TfRecordReader.Open(_path);
        validator.BeginFile(_path);
        while (reader.TryRead(out ReadOnlySpan<byte> payload))
        {
            validator.Add(payload);
        }

        ValidationReport report = validator.GetReport();
        if (!report.IsClean)
        {
            throw new InvalidOperationException("the benchmark data should be clean");
        }

        return report.Records;
    }
}
