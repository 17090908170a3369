namespace SparkTfrecord.Tfrecord.Framing;

/// <summary>Options of a <see cref="TfRecordReader"/>.</summary>
public sealed class TfRecordReaderOptions
{
    /// <summary>The file's compression, or null (the default) to detect it from the first bytes.</summary>
    public TfRecordCompression? Compression { get; init; }

    /// <summary>
    /// The largest record length accepted, in bytes. A length field above it is an error before anything is
    /// allocated, so a damaged length cannot make the reader allocate gigabytes; under it, the read buffer grows only
    /// as the record's bytes arrive, so a damaged length in a truncated file allocates about what the file holds, not
    /// what the length says. Default: 256 MiB.
    /// </summary>
    public long MaxRecordLength { get; init; } = 256L << 20;

    /// <summary>The initial read buffer, in bytes; it grows to hold the largest record. Default: 1 MiB.</summary>
    public int BufferSize { get; init; } = 1 << 20;

    /// <summary>
    /// On damage, end the file quietly (as TensorFlow's <c>ignore_errors</c> does: the rest of the file is dropped) and
    /// describe what was dropped in <see cref="TfRecordReader.Skipped"/>, instead of throwing. Default: false.
    /// </summary>
    public bool SkipCorrupt { get; init; }

    /// <summary>Leave the stream open when the reader is disposed. Default: false.</summary>
    public bool LeaveOpen { get; init; }
}
