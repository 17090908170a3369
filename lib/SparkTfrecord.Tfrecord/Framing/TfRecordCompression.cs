namespace SparkTfrecord.Tfrecord.Framing;

/// <summary>How a TFRecord file is compressed. GZIP and ZLIB are one deflate stream over the whole framed file.</summary>
public enum TfRecordCompression
{
    /// <summary>Plain framed records.</summary>
    None,

    /// <summary>A gzip stream (RFC 1952); readers also accept several concatenated gzip members.</summary>
    Gzip,

    /// <summary>A zlib stream (RFC 1950).</summary>
    Zlib,
}
