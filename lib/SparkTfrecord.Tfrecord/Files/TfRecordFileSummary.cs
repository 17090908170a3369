using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Tfrecord.Files;

/// <summary>What reading one TFRecord file found: its good records and, for a reader in skip mode, the damage it dropped.</summary>
/// <param name="Path">The file, as it was given.</param>
/// <param name="Records">The good records read (all of the file's, unless a limit stopped the reading early).</param>
/// <param name="Skipped">What a reader with <see cref="TfRecordReaderOptions.SkipCorrupt"/> dropped, or null when nothing was.</param>
public sealed record TfRecordFileSummary(string Path, long Records, TfRecordSkip? Skipped)
{
    /// <summary>The summary of what <paramref name="reader"/> has read so far of <paramref name="path"/>.</summary>
    /// <param name="path">The file the reader reads.</param>
    /// <param name="reader">The reader.</param>
    /// <returns>Its record count and what it skipped.</returns>
    public static TfRecordFileSummary Of(string path, TfRecordReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new(path, reader.RecordCount, reader.Skipped);
    }
}
