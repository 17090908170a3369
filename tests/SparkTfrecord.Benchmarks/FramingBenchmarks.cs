using System.Buffers.Binary;
using System.Numerics;
using BenchmarkDotNet.Attributes;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Benchmarks;

/// <summary>
/// Target (c): read every record of an uncompressed in-memory file with both CRCs checked, against the CRC alone over
/// the same bytes. Figures are per record.
/// </summary>
[MemoryDiagnoser]
public class FramingBenchmarks
{
    private const int Rows = 1000;

    private byte[] _file = [];
    private (int Start, int Length)[] _payloads = [];

    [Params(20, 50)]
    public int HistoryLength { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _file = DinRows.File(DinRows.Make(Rows, HistoryLength));
        var payloads = new List<(int, int)>();
        using var reader = Readers.Open(_file);
        while (reader.TryRead(out ReadOnlySpan<byte> payload))
        {
            payloads.Add(((int)reader.RecordOffset + TfRecordWriter.HeaderSize, payload.Length));
        }

        _payloads = [.. payloads];
        if (Reader() != Rows)
        {
            throw new InvalidOperationException("The reader did not return every record.");
        }

        if (MaskedCrc32C.Mask(~Crc32CInstruction()) != CrcAlone())
        {
            throw new InvalidOperationException("MaskedCrc32C disagrees with the CRC instruction run byte by byte.");
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Rows, Description = "MaskedCrc32C over the whole file")]
    public uint CrcAlone() => MaskedCrc32C.Compute(_file);

    /// <summary>The CRC instruction alone, 8 bytes at a time, over the whole file (no inversions, no mask).</summary>
    [Benchmark(OperationsPerInvoke = Rows, Description = "BitOperations.Crc32C over the whole file")]
    public uint Crc32CInstruction()
    {
        uint crc = 0xFFFFFFFF;
        ReadOnlySpan<byte> data = _file;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (byte b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return crc;
    }

    [Benchmark(OperationsPerInvoke = Rows, Description = "MaskedCrc32C over each payload")]
    public uint CrcPerPayload()
    {
        uint x = 0;
        foreach ((int start, int length) in _payloads)
        {
            x ^= MaskedCrc32C.Compute(_file.AsSpan(start, length));
        }

        return x;
    }

    [Benchmark(OperationsPerInvoke = Rows, Description = "TfRecordReader.TryRead, CRCs checked")]
    public long Reader()
    {
        long records = 0;
        using var reader = Readers.Open(_file);
        while (reader.TryRead(out _))
        {
            records++;
        }

        return records;
    }
}
