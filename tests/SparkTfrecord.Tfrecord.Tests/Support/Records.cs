using System.IO.Compression;
using SparkTfrecord.Tfrecord.Example;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Tfrecord.Tests.Support;

/// <summary>Reading and writing whole files in one call, and compressing test data.</summary>
internal static class Records
{
    public static List<byte[]> ReadAll(TfRecordReader reader)
    {
        var payloads = new List<byte[]>();
        while (reader.TryRead(out ReadOnlySpan<byte> payload))
        {
            payloads.Add(payload.ToArray());
        }

        return payloads;
    }

    public static List<byte[]> ReadAll(byte[] file, TfRecordReaderOptions? options = null)
    {
        using var reader = new TfRecordReader(new MemoryStream(file), "test.tfrecord", options);
        return ReadAll(reader);
    }

    public static List<byte[]> ReadFile(string path, TfRecordReaderOptions? options = null)
    {
        using var reader = TfRecordReader.Open(path, options);
        return ReadAll(reader);
    }

    public static string[][] DecodeExamples(IEnumerable<byte[]> payloads)
    {
        var decoder = new ExampleDecoder();
        return [.. payloads.Select(p => Describe.Of(decoder.DecodeExample(p)))];
    }

    public static byte[] Write(IEnumerable<byte[]> payloads, TfRecordCompression compression = TfRecordCompression.None, int bufferSize = 1 << 20)
    {
        var stream = new MemoryStream();
        using (var writer = new TfRecordWriter(stream, new TfRecordWriterOptions { Compression = compression, BufferSize = bufferSize, LeaveOpen = true }))
        {
            foreach (byte[] payload in payloads)
            {
                writer.Write(payload);
            }
        }

        return stream.ToArray();
    }

    public static byte[] Compress(byte[] data, TfRecordCompression compression)
    {
        var output = new MemoryStream();
        using (Stream compressor = compression == TfRecordCompression.Gzip
            ? new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true)
            : new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            compressor.Write(data);
        }

        return output.ToArray();
    }

    public static byte[] Decompress(byte[] data, TfRecordCompression compression)
    {
        using Stream decompressor = compression == TfRecordCompression.Gzip
            ? new GZipStream(new MemoryStream(data), CompressionMode.Decompress)
            : new ZLibStream(new MemoryStream(data), CompressionMode.Decompress);
        var output = new MemoryStream();
        decompressor.CopyTo(output);
        return output.ToArray();
    }

    public static byte[] Compressed(byte[] data, TfRecordCompression compression) =>
        compression == TfRecordCompression.None ? data : Compress(data, compression);
}
