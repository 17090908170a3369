using SparkTfrecord.Tfrecord;
using SparkTfrecord.Tfrecord.Files;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Jobs.Commands;

/// <summary>The reading side shared by the commands that read TFRecord files (inspect, count): which files, what was skipped.</summary>
internal static partial class CommonOptions
{
    /// <summary>
    /// The data files of the paths (see <see cref="TfRecordPaths.Expand"/>); a folder that holds none is an error
    /// unless <paramref name="allowEmpty"/>, saying what was looked for.
    /// </summary>
    public static IReadOnlyList<string> DataFiles(IEnumerable<string> paths, bool allowEmpty)
    {
        var files = new List<string>();
        foreach (string path in paths)
        {
            var found = TfRecordPaths.Expand([path]);
            if (found.Count == 0 && !allowEmpty)
            {
                throw new IOException($"{path}: no TFRecord file in this folder or its subfolders (looked for data files: names not starting with '_' or '.', " +
                                      "such as part-00000-of-00004.tfrecord.gz, or a split output's train/ and eval/ folders). " +
                                      "It may be a failed or empty run's output; pass --allow-empty if an empty folder is expected.");
            }

            files.AddRange(found);
        }

        return files;
    }

    /// <summary>Whether any of the files holds a record (reads up to the first one).</summary>
    public static bool AnyRecord(IEnumerable<string> files, TfRecordReaderOptions reading)
    {
        foreach (string file in files)
        {
            using TfRecordReader reader = TfRecordReader.Open(file, reading);
            if (reader.TryRead(out _))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The error for files that hold no record at all (unless <c>--allow-empty</c>).</summary>
    public static IOException NoRecords(IReadOnlyCollection<string> paths, int files) =>
        new($"{string.Join(", ", paths)}: no record in {files} TFRecord file{(files == 1 ? "" : "s")} (an empty output, such as a day with no samples). " +
            "Pass --allow-empty if an empty output is expected.");

    /// <summary>Reports on stderr what a reader in skip mode dropped; returns whether anything was.</summary>
    public static bool ReportSkipped(TextWriter err, TfRecordFileSummary file)
    {
        if (file.Skipped is not { } skip)
        {
            return false;
        }

        string bytes = skip.BytesSkipped >= 0 ? $"{skip.BytesSkipped} bytes" : "the rest of the file";
        err.WriteLine($"sparktf: skipped {bytes} of {file.Path} after {file.Records} good records: {skip.Error.Message}");
        return true;
    }

    public static TfRecordReaderOptions ReaderOptions(bool skipCorrupt, long? maxRecordBytes = null) =>
        maxRecordBytes is { } cap ? new() { SkipCorrupt = skipCorrupt, MaxRecordLength = cap } : new() { SkipCorrupt = skipCorrupt };
}
