using System.Text;
using SparkTfrecord.Spec.Statistics;
using SparkTfrecord.Tfrecord.Files;

namespace SparkTfrecord.Engine.Output;

/// <summary>
/// The files a command writes besides its output and stdout, checked before it reads anything: validate's
/// <c>--report</c>, <c>--html</c> and <c>--save-stats</c> and <c>spec export --output</c>
/// (<see cref="CheckWrittenFiles"/>), a job's <c>--summary</c> (<see cref="CheckSummary"/>). Each is written after the
/// work, replacing whatever is at its path, so a path that names a file being read, a data file of another dataset, or
/// one a later read would take as data lost or corrupted data with exit 0 (<c>validate out/dt=D --html
/// out/dt=D/part-00000-of-00016.tfrecord.gz</c> replaced a shard with the page; <c>samples --summary
/// logs/users/part-00000.parquet</c> an input). A file of the kind the option writes is replaced, as a daily run
/// rewrites yesterday's. Refusals are <see cref="OutputRefusal.WrittenFile"/>: usage errors, nothing was run.
/// </summary>
public static partial class OutputGuard
{
    /// <summary>Refuses files that would replace data, naming the option (nothing was read).</summary>
    /// <param name="files">The files the command writes (those with a null path were not asked for).</param>
    /// <param name="datasets">The TFRecord data the command reads (files, folders, globs), as given.</param>
    /// <param name="read">Other files it reads (a spec), as given.</param>
    /// <exception cref="OutputRefusedException">A file is a folder, is read by this command, lies among the data files of
    /// a folder it reads, is given twice, is in a folder that does not exist, or is an existing file of another kind.</exception>
    public static void CheckWrittenFiles(IReadOnlyList<WrittenFile> files, IReadOnlyList<string> datasets, IReadOnlyList<string>? read = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(datasets);
        var data = TfRecordPaths.Expand(datasets).Select(Normalize).ToList();
        var reading = data.Concat((read ?? []).Select(Normalize)).ToHashSet(StringComparer.Ordinal);

        // The folders whose data files a later read takes: those given, and the outputs (a _SUCCESS or _manifest.json in
        // them) holding a file given or matched by a glob; not any folder a lone file sits in, such as the working one.
        var outputs = data.Select(f => Path.GetDirectoryName(f)!).Where(f => File.Exists(Path.Combine(f, "_SUCCESS")) || File.Exists(Path.Combine(f, "_manifest.json")));
        var folders = datasets.Where(Directory.Exists).Select(Normalize).Concat(outputs).Distinct(StringComparer.Ordinal).ToList();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (option, path, kind) in files)
        {
            if (path is null)
            {
                continue;
            }

            string full = Normalize(path);
            if (Directory.Exists(full) || path.EndsWith('/'))
            {
                string example = kind switch { WrittenFileKind.Html => "report.html", WrittenFileKind.Json => "stats.json", _ => "export.txt" };
                throw WrittenFileRefused(full, $"{option} {path} is a folder, not a file: give the file to write, e.g. {Path.Combine(path, example)}. Nothing was read.");
            }

            if (!seen.TryAdd(full, option))
            {
                throw WrittenFileRefused(full, $"{option} and {seen[full]} are the same file {path}: each writes its own. Nothing was read.");
            }

            if (reading.Contains(full))
            {
                throw WrittenFileRefused(full, $"{option} {path} is one of the files being read: writing it would replace that data. Choose another path. Nothing was read.");
            }

            // A new data-named file inside a folder being read would be taken as a TFRecord file by the next read of it.
            if (folders.FirstOrDefault(f => IsSameOrInside(full, f) && Path.GetRelativePath(f, full).Split(Path.DirectorySeparatorChar).All(TfRecordPaths.IsDataFileName)) is { } inside)
            {
                string marker = Path.Combine(Path.GetDirectoryName(path) ?? ".", "_" + Path.GetFileName(path));
                throw WrittenFileRefused(full, $"{option} {path} is inside {inside}, which is being read: a later read of that folder would take it as a TFRecord file. " +
                    $"Write it elsewhere, or give it a name starting with '_' (not data, as _SUCCESS), e.g. {marker}. Nothing was read.");
            }

            // Written after the whole read: a missing folder found then cost the read and named a temporary file.
            if (Path.GetDirectoryName(full) is { } folder && !Directory.Exists(folder))
            {
                throw WrittenFileRefused(full, $"{option} {path}: the folder {folder} does not exist; create it or choose another path. Nothing was read.");
            }

            CheckExistingKind(option, path, full, kind, "Nothing was read.");
        }
    }

    /// <summary>Refuses a job's <c>--summary</c> before any work (samples on both engines, encode): a folder; a file
    /// inside a folder the job reads or replaces (the summary would be read as input, be deleted with the output, or lie
    /// among its part files); an existing file that is not JSON. A missing folder or a file that cannot be opened for
    /// writing is <see cref="OutputRefusal.SummaryNotWritable"/> (exit 1).</summary>
    /// <param name="file">The summary file.</param>
    /// <param name="folders">The job's inputs and outputs, with what each is ("the input", "the output"); remote URIs
    /// and templates are skipped.</param>
    /// <exception cref="OutputRefusedException">The summary may not be written there.</exception>
    public static void CheckSummary(string file, IEnumerable<(string Folder, string What)> folders)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(folders);
        if (file.Length == 0 || Directory.Exists(file) || file.EndsWith('/'))
        {
            throw WrittenFileRefused(file, $"--summary '{file}' is a folder, not a file: give the JSON summary's file, for example {Path.Combine(file, "summary.json")}. Nothing was run.");
        }

        string full = Normalize(file);
        foreach (var (folder, what) in folders)
        {
            if (LocalBase(folder) is { } local && Normalize(local) is var root && IsSameOrInside(full, root))
            {
                throw WrittenFileRefused(full, $"--summary {file} is inside {what} {folder}: it would be read as input or replaced with the output. " +
                    $"Write it beside it, e.g. --summary {Path.Combine(Path.GetDirectoryName(root) ?? root, Path.GetFileName(full))}. Nothing was run.");
            }
        }

        CheckExistingKind("--summary", file, full, WrittenFileKind.Json, "Nothing was run.");
        Jobs.SamplesSummaries.CheckWritable(file);
    }

    private static OutputRefusedException WrittenFileRefused(string path, string message) => Refuse(OutputRefusal.WrittenFile, path, message);

    // An existing file is replaced only when it is of the kind the option writes (an empty one too: nothing to lose; an
    // unreadable one is left to the write's own error, which names it).
    private static void CheckExistingKind(string option, string path, string full, WrittenFileKind kind, string nothingDone)
    {
        if (!File.Exists(full) || IsOfKind(full, kind))
        {
            return;
        }

        string what = kind switch
        {
            WrittenFileKind.Html => $"an HTML page (it does not begin with {HtmlReport.Doctype})",
            WrittenFileKind.Json => "a JSON file (it does not begin with '{')",
            _ => "a text file (it holds NUL bytes: data such as TFRecord, gzip or Parquet)",
        };
        throw WrittenFileRefused(full, $"{option} {path} exists and is not {what}: writing it would replace that file. Remove it first if it is meant to be replaced, or choose another path. {nothingDone}");
    }

    private static bool IsOfKind(string file, WrittenFileKind kind)
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
            return true;
        }

        string text = Encoding.UTF8.GetString(head[..n]).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return n == 0 || kind switch
        {
            WrittenFileKind.Html => text.StartsWith(HtmlReport.Doctype, StringComparison.OrdinalIgnoreCase) || text.StartsWith("<html", StringComparison.OrdinalIgnoreCase),
            WrittenFileKind.Json => text.StartsWith('{'),
            _ => !head[..n].Contains((byte)0),
        };
    }
}
