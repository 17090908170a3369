using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using SparkTfrecord.Tfrecord.Example;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Benchmarks;

/// <summary>
/// Target (a): encode and frame DIN rows. Both sides start from the same row objects and frame into the same reusable
/// in-memory sink; figures are per record.
/// </summary>
[MemoryDiagnoser]
public class EncodeBenchmarks
{
    private const int Rows = 1000;

    private DinRow[] _rows = [];
    private MemoryStream _sink = null!;
    private TfRecordWriter _writer = null!;
    private ExampleEncoder _encoder = null!;
    private DinRows.Keys _keys = null!;

    /// <summary>Items in <c>clicked_items_15d</c>: 20 is typical, 50 is the spec's truncation length.</summary>
    [Params(20, 50)]
    public int HistoryLength { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _rows = DinRows.Make(Rows, HistoryLength);
        byte[] expected = DinRows.File(_rows); // also checks our payloads against Google.Protobuf's
        _sink = new MemoryStream(expected.Length);
        _writer = new TfRecordWriter(_sink, new TfRecordWriterOptions { LeaveOpen = true });
        _encoder = new ExampleEncoder();
        _keys = new DinRows.Keys();

        // Both benchmarks must leave exactly the file the checked encoder wrote.
        Check(Ours, expected);
        Check(GoogleProtobuf, expected);
    }

    [GlobalCleanup]
    public void Cleanup() => _writer.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Rows, Description = "Google.Protobuf Example + ToByteArray + framing")]
    public long GoogleProtobuf()
    {
        _sink.SetLength(0);
        foreach (DinRow row in _rows)
        {
            _writer.Write(DinRows.ToMessage(row).ToByteArray());
        }

        _writer.Flush();
        return _sink.Length;
    }

    [Benchmark(OperationsPerInvoke = Rows, Description = "ExampleEncoder + framing")]
    public long Ours()
    {
        _sink.SetLength(0);
        foreach (DinRow row in _rows)
        {
            DinRows.Encode(_encoder, _keys, row);
            _writer.WriteFramed(_encoder.GetRecord());
        }

        _writer.Flush();
        return _sink.Length;
    }

    private void Check(Func<long> benchmark, byte[] expected)
    {
        benchmark();
        if (!_sink.GetBuffer().AsSpan(0, (int)_sink.Length).SequenceEqual(expected))
        {
            throw new InvalidOperationException($"{benchmark.Method.Name} wrote a different file.");
        }
    }
}
