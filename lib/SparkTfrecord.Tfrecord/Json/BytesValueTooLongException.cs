namespace SparkTfrecord.Tfrecord.Json;

/// <summary>
/// A record holds a bytes value longer than <see cref="ExampleJsonLines.MaxPrintedWhole"/> and no
/// <see cref="ExampleJsonLinesOptions.MaxBytesShown"/> was given: it is refused before any of its line is printed.
/// </summary>
public sealed class BytesValueTooLongException : Exception
{
    /// <summary>Creates the exception for the record at <paramref name="offset"/> of <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="offset">The record's byte offset in the (uncompressed) file.</param>
    /// <param name="length">The value's length, in bytes.</param>
    /// <param name="feature">The feature holding it.</param>
    public BytesValueTooLongException(string path, long offset, long length, string? feature)
        : base($"{path}: the record at byte offset {offset} holds a bytes value of {length} bytes (feature '{feature}'), more than is printed whole ({ExampleJsonLines.MaxPrintedWhole} bytes).")
    {
        Path = path;
        Offset = offset;
        Length = length;
        Feature = feature;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The record's byte offset in the (uncompressed) file.</summary>
    public long Offset { get; }

    /// <summary>The value's length, in bytes.</summary>
    public long Length { get; }

    /// <summary>The feature holding the value.</summary>
    public string? Feature { get; }
}
