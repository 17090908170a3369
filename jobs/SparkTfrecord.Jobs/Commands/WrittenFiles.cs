using System.Text;
using SparkTfrecord.Spec.Statistics;
using SparkTfrecord.Tfrecord.Files;

namespace SparkTfrecord.Jobs.Commands;

/// <summary>
/// The files a command writes besides its output and stdout, checked before it reads anything: validate's
/// <c>--report</c>, <c>--html</c> and <c>--save-stats</c> and <c>spec export --output</c> (<see cref="Check"/>), a job's
/// <c>--summary</c> (<see cref="CheckSummary"/>). Each is written after the work, replacing whatever is at its path, so
/// a path that names a file being read, a data file of another dataset, or one a later read would take as data lost or
/// corrupted data with exit 0 (<c>validate out/dt=D --html out/dt=D/part-00000-of-00016.tfrecord.gz</c> replaced a
/// shard with the page; <c>samples --summary logs/users/part-00000.parquet</c> an input). A file of the kind the option
/// writes is replaced, as a daily run rewrites yesterday's.
/// </summary>
internal static class WrittenFiles
{
    /// <summary>What an option writes, which decides the existing files it may replace.</summary>
    internal enum Kind
    {
        /// <summary>A JSON object (<c>--report</c>, <c>--save-stats</c>).</summary>
        Json,

        /// <summary>An HTML page (<c>--html</c>).</summary>
        Html,

        /// <summary>Text of no fixed form (<c>spec export --output</c>: JSON, a Python module or a schema): an existing
        /// text file is replaced, a binary one (a NUL byte in its first bytes: TFRecord, gzip, Parquet) is not.</summary>
        Text,
    }

    /// <summary>Refuses targets that would replace data, with a usage error naming the option (nothing was read).</summary>
    /// <param name="targets">Each option given, its path and what it writes.</param>
    /// <param name="datasets">The TFRecord data the command reads (files, folders, globs), as given.</param>
    /// <param name="files">Other files it reads (a spec), as given.</param>
    /// <exception cref="UsageException">A target is a folder, is read by this command, lies among the data files of a
    /// folder it reads, is given twice, or is an existing file of another kind.</exception>
    public static void Check(IReadOnlyList<(string Option, string Path, Kind Kind)> targets, IReadOnlyList<string> datasets, IReadOnlyList<string>? files = null)
    {
        var data = TfRecordPaths.Expand(datasets).Select(Path.GetFullPath).ToList();
        var read = data.Concat((files ?? []).Select(Path.GetFullPath)).ToHashSet(StringComparer.Ordinal);
        // The folders whose data files a later read takes: those given, and the outputs (a _SUCCESS or _manifest.json in
        // them) holding a file given or matched by a glob; not any folder a lone file sits in, such as the working one.
        var outputs = data.Select(f => Path.GetDirectoryName(f)!).Where(f => File.Exists(Path.Combine(f, "_SUCCESS")) || File.Exists(Path.Combine(f, "_manifest.json")));
        var folders = datasets.Where(Directory.Exists).Select(Path.GetFullPath).Concat(outputs)
            .Select(f => Path.TrimEndingDirectorySeparator(f) + Path.DirectorySeparatorChar).Distinct(StringComparer.Ordinal).ToList();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (option, path, kind) in targets)
        {
            string full = Path.GetFullPath(path);
            if (Directory.Exists(full) || path.EndsWith('/'))
            {
                throw new UsageException($"{option} {path} is a folder, not a file: give the file to write, e.g. {Path.Combine(path, kind switch { Kind.Html => "report.html", Kind.Json => "stats.json", _ => "export.txt" })}. Nothing was read.");
            }

            if (!seen.TryAdd(full, option))
            {
                throw new UsageException($"{option} and {seen[full]} are the same file {path}: each writes its own. Nothing was read.");
            }

            if (read.Contains(full))
            {
                throw new UsageException($"{option} {path} is one of the files being read: writing it would replace that data. Choose another path. Nothing was read.");
            }

            // A new data-named file inside a folder being read would be taken as a TFRecord file by the next read of it.
            if (folders.FirstOrDefault(f => full.StartsWith(f, StringComparison.Ordinal) &&
                    Path.GetRelativePath(f, full).Split(Path.DirectorySeparatorChar).All(TfRecordPaths.IsDataFileName)) is { } inside)
            {
                string marker = Path.Combine(Path.GetDirectoryName(path) ?? ".", "_" + Path.GetFileName(path));
                throw new UsageException($"{option} {path} is inside {inside.TrimEnd(Path.DirectorySeparatorChar)}, which is being read: a later read of that folder would take it as a TFRecord file. " +
                    $"Write it elsewhere, or give it a name starting with '_' (not data, as _SUCCESS), e.g. {marker}. Nothing was read.");
            }

            if (File.Exists(full) && !IsOwn(full, kind))
            {
                throw new UsageException($"{option} {path} exists and is not {Describe(kind)}: " +
                    "writing it would replace that file. Remove it first if it is meant to be replaced, or choose another path. Nothing was read.");
            }
        }
    }

    /// <summary>Refuses a job's <c>--summary</c> before any work (samples on both engines, encode): a folder is a usage
    /// error, so is a file inside a folder the job reads or replaces or over another kind of file
    /// (<see cref="CheckOutside"/>); a missing folder or a file that cannot be opened for writing is exit 1.</summary>
    /// <param name="file">The summary file.</param>
    /// <param name="folders">The job's inputs and outputs, with what each is.</param>
    public static void CheckSummary(string file, IEnumerable<(string Folder, string What)> folders)
    {
        if (file.Length == 0 || Directory.Exists(file) || file.EndsWith('/'))
        {
            throw new UsageException($"--summary '{file}' is a folder, not a file: give the JSON summary's file, for example {Path.Combine(file, "summary.json")}. Nothing was run.");
        }

        CheckOutside("--summary", file, Kind.Json, folders);
        Engine.Jobs.SamplesSummaries.CheckWritable(file);
    }

    /// <summary>Refuses a file a job writes besides its output (<c>samples --summary</c>) inside a folder the job
    /// reads or replaces (the input root, each day's output: the summary would be read as input, or be deleted with the
    /// output, or among its part files be taken as one), or over an existing file of another kind.</summary>
    /// <param name="option">The option.</param>
    /// <param name="path">The file.</param>
    /// <param name="kind">What it writes.</param>
    /// <param name="folders">Each folder with what it is ("the input", "the output"); remote URIs are skipped.</param>
    /// <exception cref="UsageException">The file is inside one of the folders, or exists and is of another kind.</exception>
    public static void CheckOutside(string option, string path, Kind kind, IEnumerable<(string Folder, string What)> folders)
    {
        string full = Path.GetFullPath(path);
        foreach (var (folder, what) in folders)
        {
            if (string.IsNullOrEmpty(folder) || folder.Contains("://", StringComparison.Ordinal))
            {
                continue;
            }

            string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
            if (full == root || full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new UsageException($"{option} {path} is inside {what} {folder}: it would be read as input or replaced with the output. " +
                    $"Write it beside it, e.g. {option} {Path.Combine(Path.GetDirectoryName(root) ?? root, Path.GetFileName(full))}. Nothing was run.");
            }
        }

        if (File.Exists(full) && !IsOwn(full, kind))
        {
            throw new UsageException($"{option} {path} exists and is not {Describe(kind)}: writing it would replace that file. Remove it first if it is meant to be replaced, or choose another path. Nothing was run.");
        }
    }

    private static string Describe(Kind kind) => kind switch
    {
        Kind.Html => $"an HTML page (it does not begin with {HtmlReport.Doctype})",
        Kind.Json => "a JSON file (it does not begin with '{')",
        _ => "a text file (it holds NUL bytes: data such as TFRecord, gzip or Parquet)",
    };

    // An existing file of the kind the option writes (an empty file too: nothing to lose).
    private static bool IsOwn(string file, Kind kind)
    {
        Span<byte> head = stackalloc byte[64];
        int n;
        try
        {
            using var stream = File.OpenRead(file);
            n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true; // unreadable: writing it fails too, and that error names the file
        }

        string text = Encoding.UTF8.GetString(head[..n]).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return n == 0 || kind switch
        {
            Kind.Html => text.StartsWith(HtmlReport.Doctype, StringComparison.OrdinalIgnoreCase) || text.StartsWith("<html", StringComparison.OrdinalIgnoreCase),
            Kind.Json => text.StartsWith('{'),
            _ => !head[..n].Contains((byte)0),
        };
    }
}
