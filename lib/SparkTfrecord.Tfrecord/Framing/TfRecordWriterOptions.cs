using System.IO.Compression;

namespace SparkTfrecord.Tfrecord.Framing;

/// <summary>Options of a <see cref="TfRecordWriter"/>.</summary>
public sealed class TfRecordWriterOptions
{
    /// <summary>The compression of the whole file. Default: none.</summary>
    public TfRecordCompression Compression { get; init; } = TfRecordCompression.None;

    /// <summary>The deflate level for GZIP and ZLIB. Default: <see cref="System.IO.Compression.CompressionLevel.Optimal"/>, zlib's level 6 as TensorFlow uses.</summary>
    public CompressionLevel CompressionLevel { get; init; } = CompressionLevel.Optimal;

    /// <summary>How many bytes of framed records are gathered before they go to the stream. Default: 1 MiB.</summary>
    public int BufferSize { get; init; } = 1 << 20;

    /// <summary>Leave the underlying stream open when the writer is disposed. Default: false.</summary>
    public bool LeaveOpen { get; init; }
}
