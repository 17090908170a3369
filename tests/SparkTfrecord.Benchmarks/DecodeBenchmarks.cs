using BenchmarkDotNet.Attributes;
using SparkTfrecord.Tfrecord.Example;
using SparkTfrecord.Tfrecord.Framing;
using SparkTfrecord.Tfrecord.Proto;
using ExampleMessage = SparkTfrecord.Tfrecord.Proto.Example;

namespace SparkTfrecord.Benchmarks;

/// <summary>
/// Target (b): read, check CRCs and decode an in-memory file of DIN records, visiting every value (int64s summed,
/// lengths of bytes values summed). Both sides read the framing with the same <see cref="TfRecordReader"/>; only the
/// payload decoding differs. Warm: the decoder is reused. Figures are per record.
/// </summary>
[MemoryDiagnoser]
public class DecodeBenchmarks
{
    private const int Rows = 1000;

    private byte[] _file = [];
    private ExampleDecoder _decoder = null!;

    [Params(20, 50)]
    public int HistoryLength { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _file = DinRows.File(DinRows.Make(Rows, HistoryLength));
        _decoder = new ExampleDecoder();
        long ours = Ours();
        long theirs = GoogleProtobuf();
        if (ours != theirs)
        {
            throw new InvalidOperationException($"The decoders disagree: {ours} against {theirs}.");
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Rows, Description = "reader + Example.Parser.ParseFrom")]
    public long GoogleProtobuf()
    {
        long sum = 0;
        using var reader = Readers.Open(_file);
        while (reader.TryRead(out ReadOnlySpan<byte> payload))
        {
            sum += Visit(ExampleMessage.Parser.ParseFrom(payload));
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Rows, Description = "reader + ExampleDecoder")]
    public long Ours()
    {
        long sum = 0;
        using var reader = Readers.Open(_file);
        while (reader.TryRead(out ReadOnlySpan<byte> payload))
        {
            sum += Visit(_decoder.DecodeExample(payload));
        }

        return sum;
    }

    /// <summary>Touches every value: int64s and floats summed, bytes values' lengths summed.</summary>
    private static long Visit(ExampleMessage example)
    {
        long sum = 0;
        foreach (KeyValuePair<string, Feature> feature in example.Features.Feature)
        {
            switch (feature.Value.KindCase)
            {
                case Feature.KindOneofCase.Int64List:
                    foreach (long v in feature.Value.Int64List.Value)
                    {
                        sum += v;
                    }

                    break;
                case Feature.KindOneofCase.BytesList:
                    foreach (Google.Protobuf.ByteString v in feature.Value.BytesList.Value)
                    {
                        sum += v.Length;
                    }

                    break;
                case Feature.KindOneofCase.FloatList:
                    foreach (float v in feature.Value.FloatList.Value)
                    {
                        sum += (long)v;
                    }

                    break;
            }
        }

        return sum;
    }

    /// <summary>The same walk over our decoder's views.</summary>
    private static long Visit(FeaturesView features)
    {
        long sum = 0;
        foreach (FeatureView feature in features)
        {
            switch (feature.Kind)
            {
                case FeatureKind.Int64:
                    foreach (long v in feature.GetInt64s())
                    {
                        sum += v;
                    }

                    break;
                case FeatureKind.Bytes:
                    foreach (ReadOnlySpan<byte> v in feature.GetBytes())
                    {
                        sum += v.Length;
                    }

                    break;
                case FeatureKind.Float:
                    foreach (float v in feature.GetFloats())
                    {
                        sum += (long)v;
                    }

                    break;
            }
        }

        return sum;
    }
}
