using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Benchmarks;

/// <summary>Opens a reader over an in-memory file the way every benchmark does.</summary>
public static class Readers
{
    public static TfRecordReader Open(byte[] file) =>
        new(new MemoryStream(file, writable: false), "in-memory", new TfRecordReaderOptions { Compression = TfRecordCompression.None });
}
