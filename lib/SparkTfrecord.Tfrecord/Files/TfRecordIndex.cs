using System.Globalization;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Tfrecord.Files;

/// <summary>
/// Index files of TFRecord files (the format is <see cref="TfRecordIndexWriter"/>'s) and where they go: a single file's
/// index is <c>&lt;file&gt;.idx</c> beside it; the index of a part file in a folder of shards is
/// <c>_index/&lt;file name&gt;.idx</c> in the shard's own folder (so <c>train/_index/</c> and <c>eval/_index/</c> in a
/// split output), where the leading <c>_</c> keeps every reader that takes a whole folder (tf.data file patterns,
/// Spark, <see cref="TfRecordPaths"/>) from reading an index as data.
/// </summary>
public static class TfRecordIndex
{
    /// <summary>The index files' folder beside the shards of an output: <c>_index</c>.</summary>
    public const string FolderName = "_index";

    /// <summary>The index file's extension: <c>.idx</c>.</summary>
    public const string Extension = ".idx";

    // How much of an existing file is looked at to tell an index from something else.
    private const int SniffBytes = 64 * 1024;

    /// <summary>The index of a single file: <c>&lt;file&gt;.idx</c> beside it.</summary>
    /// <param name="dataFile">The TFRecord file.</param>
    /// <returns>The index file's path.</returns>
    public static string BesideFile(string dataFile)
    {
        ArgumentNullException.ThrowIfNull(dataFile);
        return dataFile + Extension;
    }

    /// <summary>The index of a shard in a folder of shards: <c>&lt;its folder&gt;/_index/&lt;file name&gt;.idx</c>.</summary>
    /// <param name="shardFile">The shard (a path, relative or full).</param>
    /// <returns>The index file's path, relative when <paramref name="shardFile"/> is.</returns>
    public static string InIndexFolder(string shardFile)
    {
        ArgumentNullException.ThrowIfNull(shardFile);
        return Path.Combine(Path.GetDirectoryName(shardFile) ?? "", FolderName, Path.GetFileName(shardFile) + Extension);
    }

    /// <summary>
    /// What <c>sparktf index PATH...</c> indexes: a file (or each file a glob matches) gets its index beside it; a
    /// folder gets one for every TFRecord file in it and its subfolders (names starting with <c>_</c> or <c>.</c>
    /// skipped, as <see cref="TfRecordPaths.Expand"/> does, and <c>.idx</c> files, which are indexes) in each file's
    /// <c>_index/</c>.
    /// </summary>
    /// <param name="paths">Files, folders or globs.</param>
    /// <returns>The files and their index files, in the order <see cref="TfRecordPaths.Expand"/> gives.</returns>
    /// <exception cref="FileNotFoundException">A path names nothing, or a glob matches nothing.</exception>
    public static IReadOnlyList<TfRecordIndexTarget> Targets(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var targets = new List<TfRecordIndexTarget>();
        foreach (string path in paths)
        {
            if (Directory.Exists(path))
            {
                targets.AddRange(TfRecordPaths.Expand([path])
                    .Where(f => !f.EndsWith(Extension, StringComparison.Ordinal))
                    .Select(f => new TfRecordIndexTarget(f, InIndexFolder(f))));
            }
            else
            {
                targets.AddRange(TfRecordPaths.Expand([path]).Select(f => new TfRecordIndexTarget(f, BesideFile(f))));
            }
        }

        return targets.DistinctBy(t => Path.GetFullPath(t.DataFile)).ToList();
    }

    /// <summary>
    /// Whether a file at <paramref name="indexFile"/> may be replaced by a new index: it is missing, empty, or its
    /// first lines are index lines (two decimal numbers and a line end). Anything else is not ours to replace.
    /// </summary>
    /// <param name="indexFile">The index file's path.</param>
    /// <returns>True when nothing but an index would be lost.</returns>
    public static bool IsReplaceable(string indexFile)
    {
        ArgumentNullException.ThrowIfNull(indexFile);
        if (Directory.Exists(indexFile))
        {
            return false;
        }

        if (!File.Exists(indexFile))
        {
            return true;
        }

        byte[] head;
        using (var stream = new FileStream(indexFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            head = new byte[(int)Math.Min(stream.Length, SniffBytes)];
            stream.ReadExactly(head);
        }

        // A partial last line in a cut sample is not held against the file.
        int end = head.Length == SniffBytes ? Array.LastIndexOf(head, (byte)'\n') + 1 : head.Length;
        var text = head.AsSpan(0, end);
        while (text.Length > 0)
        {
            int newline = text.IndexOf((byte)'\n');
            if (newline < 0 || !IsIndexLine(text[..newline]))
            {
                return false;
            }

            text = text[(newline + 1)..];
        }

        return true;
    }

    /// <summary>
    /// Builds the index of an existing uncompressed TFRecord file, reading every record and checking both CRCs, and
    /// puts it in place atomically (a temporary file renamed over <paramref name="indexFile"/>): on any failure no
    /// index file is left and an existing one is as it was. Creates the index's folder when missing.
    /// </summary>
    /// <param name="dataFile">The TFRecord file.</param>
    /// <param name="indexFile">The index file to write.</param>
    /// <param name="bytesRead">Told now and then how many bytes of <paramref name="dataFile"/> are indexed, or null.</param>
    /// <param name="options">The reader's options (its length cap), or null for the defaults; skip mode is not used.</param>
    /// <returns>The number of records indexed.</returns>
    /// <exception cref="TfRecordFormatException">The file is damaged (or not a TFRecord file); the message names the
    /// file and the byte offset.</exception>
    /// <exception cref="IOException">The file is compressed (the index readers read uncompressed files only), or a
    /// file cannot be read or written.</exception>
    public static long Build(string dataFile, string indexFile, Action<long>? bytesRead = null, TfRecordReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataFile);
        ArgumentNullException.ThrowIfNull(indexFile);
        var reading = new TfRecordReaderOptions
        {
            MaxRecordLength = options?.MaxRecordLength ?? new TfRecordReaderOptions().MaxRecordLength,
            BufferSize = options?.BufferSize ?? new TfRecordReaderOptions().BufferSize,
        };
        using TfRecordReader reader = TfRecordReader.Open(dataFile, reading);
        RefuseCompressed(dataFile, reader.Compression);

        if (Path.GetDirectoryName(Path.GetFullPath(indexFile)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        long records = 0;
        try
        {
            AtomicFile.Write(indexFile, stream =>
            {
                using var index = new TfRecordIndexWriter(stream, leaveOpen: true);
                while (reader.TryRead(out ReadOnlySpan<byte> payload))
                {
                    index.Add(payload.Length + TfRecordWriter.FramingOverhead);
                    if ((index.Records & 0xFFF) == 0)
                    {
                        bytesRead?.Invoke(index.Offset);
                    }
                }

                records = index.Records;
                bytesRead?.Invoke(index.Offset);
            });
        }
        catch (TfRecordFormatException e) when (e.Kind is TfRecordErrorKind.CorruptLength or TfRecordErrorKind.CorruptData or TfRecordErrorKind.Truncated)
        {
            throw e.NotIndexed();
        }

        return records;
    }

    /// <summary>Refuses a compressed file before anything is indexed (its compression is detected from its first bytes).</summary>
    /// <param name="dataFile">The TFRecord file.</param>
    /// <exception cref="IOException">The file is compressed, or cannot be read.</exception>
    /// <exception cref="TfRecordFormatException">Detecting the compression hit a damaged stream.</exception>
    public static void CheckUncompressed(string dataFile)
    {
        using TfRecordReader reader = TfRecordReader.Open(dataFile);
        RefuseCompressed(dataFile, reader.Compression);
    }

    private static void RefuseCompressed(string dataFile, TfRecordCompression compression)
    {
        if (compression != TfRecordCompression.None)
        {
            throw new IOException(
                $"{dataFile}: the file is {compression.ToString().ToUpperInvariant()}-compressed, and an index lists byte offsets in the uncompressed file: " +
                "both readers of index files (NVIDIA DALI, the PyTorch tfrecord package) read indexed files uncompressed. " +
                "Write the shards uncompressed (--compression none), or decompress the file, to index it. No index was written.");
        }
    }

    /// <summary>Reads an index file's lines (for checks and tools; readers of the samples use DALI's or PyTorch's).</summary>
    /// <param name="indexFile">The index file.</param>
    /// <returns>Each line's offset and framed length, in file order.</returns>
    /// <exception cref="FormatException">A line is not two decimal numbers separated by one space.</exception>
    public static IReadOnlyList<(long Offset, long Length)> Read(string indexFile)
    {
        ArgumentNullException.ThrowIfNull(indexFile);
        var lines = new List<(long, long)>();
        int number = 0;
        foreach (string line in File.ReadLines(indexFile))
        {
            number++;
            string[] parts = line.Split(' ');
            if (parts.Length != 2
                || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long offset)
                || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long length))
            {
                throw new FormatException($"{indexFile}:{number}: not an index line (expected '<offset> <length>'): '{line}'.");
            }

            lines.Add((offset, length));
        }

        return lines;
    }

    private static bool IsIndexLine(ReadOnlySpan<byte> line)
    {
        int space = line.IndexOf((byte)' ');
        return space > 0 && space < line.Length - 1 && AllDigits(line[..space]) && AllDigits(line[(space + 1)..]);
    }

    private static bool AllDigits(ReadOnlySpan<byte> text) => !text.ContainsAnyExceptInRange((byte)'0', (byte)'9');
}
