using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Tfrecord.Files;

/// <summary>The record counts of a set of TFRecord files, every record read and both CRCs checked.</summary>
public sealed class TfRecordCounts
{
    private TfRecordCounts(IReadOnlyList<TfRecordFileSummary> files) => Files = files;

    /// <summary>Each file's count, in the order the files were given.</summary>
    public IReadOnlyList<TfRecordFileSummary> Files { get; }

    /// <summary>The records of all the files.</summary>
    public long Total => Files.Sum(f => f.Records);

    /// <summary>The records per folder, in the order each folder's first file was given.</summary>
    public IReadOnlyList<TfRecordFolderCount> PerFolder
    {
        get
        {
            var folders = new List<TfRecordFolderCount>();
            foreach (TfRecordFileSummary file in Files)
            {
                string folder = System.IO.Path.GetDirectoryName(file.Path) is { Length: > 0 } d ? d : ".";
                int at = folders.FindIndex(f => f.Folder == folder);
                if (at < 0)
                {
                    folders.Add(new TfRecordFolderCount(folder, file.Records));
                }
                else
                {
                    folders[at] = folders[at] with { Records = folders[at].Records + file.Records };
                }
            }

            return folders;
        }
    }

    /// <summary>Reads every record of every file.</summary>
    /// <param name="files">The files, in the order their counts are listed.</param>
    /// <param name="options">The reader's options (skip mode, record length cap), or null for the defaults.</param>
    /// <param name="fileRead">Called after each file is read, before the next is opened (so what a file skipped can be
    /// reported even when a later file fails), or null.</param>
    /// <returns>The counts.</returns>
    /// <exception cref="TfRecordFormatException">A file is damaged (and <paramref name="options"/> does not skip damage).</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    public static TfRecordCounts Count(IEnumerable<string> files, TfRecordReaderOptions? options = null, Action<TfRecordFileSummary>? fileRead = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        var counts = new List<TfRecordFileSummary>();
        foreach (string file in files)
        {
            using TfRecordReader reader = TfRecordReader.Open(file, options);
            while (reader.TryRead(out _))
            {
            }

            var summary = TfRecordFileSummary.Of(file, reader);
            fileRead?.Invoke(summary);
            counts.Add(summary);
        }

        return new TfRecordCounts(counts);
    }
}
