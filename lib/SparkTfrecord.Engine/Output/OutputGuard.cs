using System.Runtime.InteropServices;
using System.Text.Json;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Engine.Output;

/// <summary>
/// The one place that decides whether a run may replace its output. The commit protocol replaces an output as a whole,
/// so a wrong <c>--output</c> deletes whatever was there: this guard lets a run replace only a folder that is missing,
/// empty or written by this tool (its <c>_manifest.json</c>, or <c>_SUCCESS</c> with part files and nothing else), and
/// refuses, before any work, the root, a file, a symbolic link, the working directory or an ancestor of it, an input
/// or a folder that holds or lies in one, and a folder holding other outputs; any other non-empty folder is replaced
/// only with <c>--force</c>. Paths are compared after resolving symbolic links.
/// </summary>
public static partial class OutputGuard
{
    /// <summary>How deep below an output the guard looks for other outputs.</summary>
    internal const int OtherOutputsDepth = 4;

    private const string ForceNever = "--force never overrides this.";

    /// <summary>Checks a folder output (the leaf folder of one run).</summary>
    /// <param name="output">The output folder.</param>
    /// <param name="options">Force, inputs and working directory.</param>
    /// <exception cref="OutputRefusedException">The output may not be replaced; the message says why and what to do.</exception>
    internal static void CheckFolder(string output, OutputGuardOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(output);
        ArgumentNullException.ThrowIfNull(options);
        string full = Normalize(output);
        if (full == "/")
        {
            throw Refuse(OutputRefusal.Root, full,
                $"--output {output} is the root folder /: the output folder is replaced as a whole, so this would delete everything on the machine. " +
                $"Give this run a folder of its own, e.g. /data/samples/dt={{date}}. {ForceNever}");
        }

        CheckLink(full, output);
        if (File.Exists(full))
        {
            throw Refuse(OutputRefusal.IsFile, full,
                $"--output {full} is a file, not a folder: the output is the folder of one run (its part files, _manifest.json and _SUCCESS). " +
                $"Choose another path, or move the file away if the run should write there. {ForceNever}");
        }

        for (string? above = Path.GetDirectoryName(full); above is not null && !Directory.Exists(above); above = Path.GetDirectoryName(above))
        {
            if (File.Exists(above))
            {
                throw Refuse(OutputRefusal.IsFile, full,
                    $"--output {full} cannot be made: {above} is a file, not a folder. Choose another path. {ForceNever}");
            }
        }

        string real = Resolve(full);
        string cwd = Resolve(options.WorkingDirectory ?? Environment.CurrentDirectory);
        if (IsSameOrInside(cwd, real))
        {
            string what = cwd == real ? "the working directory" : $"an ancestor of the working directory {cwd}";
            throw Refuse(OutputRefusal.WorkingDirectory, full,
                $"--output {full} is {what}: the output folder is replaced as a whole, so this would delete the folder you are working in and everything in it " +
                $"(code, specs, logs). Give this run a folder of its own below it, e.g. --output {Path.Combine(output, "samples")}. {ForceNever}");
        }

        CheckInputs(full, real, options, file: false);
        if (!Directory.Exists(full))
        {
            return;
        }

        var others = OtherOutputs(full);
        if (others.Count > 0)
        {
            throw Refuse(OutputRefusal.OtherOutputs, full,
                $"--output {full} holds other outputs ({string.Join(", ", others)}): replacing it would delete them. " +
                $"Give this run a folder of its own, e.g. --output {Path.Combine(full, "dt={date}")}. {ForceNever}");
        }

        var entries = Directory.EnumerateFileSystemEntries(full).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        if (entries.Count == 0 || IsOwnOutput(full) || options.Force)
        {
            return;
        }

        string examples = string.Join(", ", entries.Take(5)) + (entries.Count > 5 ? ", ..." : "");
        throw Refuse(OutputRefusal.NotEmpty, full,
            $"--output {full} is not empty and is not an output of sparktf (no sparktf _manifest.json, and not _SUCCESS with part files only): " +
            $"it holds {entries.Count} {(entries.Count == 1 ? "entry" : "entries")} ({examples}), which replacing it would delete. " +
            "Choose a new or empty folder, or, if this folder is meant to be replaced with everything in it, run again with --force.");
    }

    /// <summary>
    /// Checks a state folder (<c>--state</c> or the job's <c>state:</c>) before the run writes anything. Each day's
    /// snapshot <c>dt=DATE/</c> below it is committed like an output, replacing whatever folder has that name, and input
    /// partitions have the same names: a state folder that is, holds or lies inside an input would replace a day of
    /// the inputs with a snapshot (and a run would read snapshots as input); one that is, holds or lies inside the
    /// samples output would replace the samples or be replaced with them. The run day's snapshot folder, when it exists,
    /// must be a snapshot (or empty), unless <see cref="OutputGuardOptions.Force"/>.
    /// </summary>
    /// <param name="folder">The state folder (a full local path).</param>
    /// <param name="snapshot">The run day's snapshot folder below it.</param>
    /// <param name="output">The day's samples output (a full local path), or null when it is not on this machine.</param>
    /// <param name="options">Force and inputs.</param>
    /// <exception cref="OutputRefusedException">The state folder may not be used; the message says why and what to do.</exception>
    internal static void CheckStateFolder(string folder, string snapshot, string? output, OutputGuardOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(options);
        string full = Normalize(folder);
        string real = Resolve(full);
        const string Flag = "the state folder (--state or the job's state:)";
        const string ReplacesADay = "a day's snapshot replaces the folder dt=DATE below it, so it could delete a day of the inputs being read.";
        string? amongInputs = InputOverlap(real, options.InputPaths) switch
        {
            (var input, Overlap.Same) => $"is the input {input}: {ReplacesADay}",
            (var input, Overlap.Holds) => $"holds the input {input}: {ReplacesADay}",
            (var input, Overlap.Inside) => $"is inside the input {input}: the snapshots would be written among the inputs, where one replaces a partition of its day or is read as input.",
            _ => null,
        };
        if (amongInputs is not null)
        {
            throw Refuse(OutputRefusal.StateFolder, full, $"{Flag} {full} {amongInputs} Choose a state folder outside the inputs, e.g. beside the samples. {ForceNever}");
        }

        // An output not on this machine (null) cannot be the local state folder.
        if (output is not null && Resolve(Normalize(output)) is var outputReal && OverlapOf(real, outputReal) is { } how)
        {
            string relation = how switch { Overlap.Same => "is the samples output", Overlap.Holds => $"holds the samples output {output}", _ => $"is inside the samples output {output}" };
            throw Refuse(OutputRefusal.StateFolder, full,
                $"{Flag} {full} {relation}: a day's snapshot and the samples are each committed as a whole, so one would replace the other or be deleted with it. " +
                $"Give the state a folder of its own beside the samples, e.g. --state {Path.Combine(Path.GetDirectoryName(outputReal) ?? outputReal, "_state")}. {ForceNever}");
        }

        if (!options.Force && Directory.Exists(snapshot) && Directory.EnumerateFileSystemEntries(snapshot).Any() && !State.StateManifest.IsSnapshot(snapshot))
        {
            throw Refuse(OutputRefusal.StateFolder, snapshot,
                $"{snapshot}, where this run's snapshot goes, is not empty and is not a sparktf state snapshot (no _manifest.json of kind \"{State.StateManifest.Kind}\"): committing the snapshot would delete it. " +
                "Choose another state folder, or, if this folder is meant to be replaced with everything in it, run again with --force.");
        }
    }

    /// <summary>Checks a file output (<c>sparktf write</c>): it may be missing or a TFRecord file; any other file is
    /// replaced only with <see cref="OutputGuardOptions.Force"/>; a folder, a link and an input are refused.</summary>
    /// <param name="output">The output file.</param>
    /// <param name="options">Force and inputs.</param>
    /// <exception cref="OutputRefusedException">The output may not be replaced; the message says why and what to do.</exception>
    public static void CheckFile(string output, OutputGuardOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(output);
        ArgumentNullException.ThrowIfNull(options);
        string full = Normalize(output);
        CheckLink(full, output);
        if (Directory.Exists(full))
        {
            throw Refuse(OutputRefusal.IsFolder, full,
                $"--output {full} is a folder: write's output is the TFRecord file to write. Give a file path, e.g. --output {Path.Combine(full, "data.tfrecord")}. {ForceNever}");
        }

        CheckInputs(full, Resolve(full), options, file: true);
        if (!File.Exists(full) || options.Force)
        {
            return;
        }

        if (NotTfRecord(full) is { } why)
        {
            throw Refuse(OutputRefusal.NotTfRecord, full,
                $"--output {full} exists and is not a TFRecord file ({why}): replacing it would lose it. " +
                "Choose another path, or, if this file is meant to be replaced, run again with --force.");
        }
    }

    // ---- Index files (issue 14) ----

    /// <summary>
    /// Checks an index file about to be written beside a TFRecord file (<c>write --index</c>, <c>sparktf index</c>): it
    /// may be missing, empty or an index (its lines are <c>offset length</c>), which is replaced because it is made from
    /// the file; any other file only with <paramref name="force"/>; a folder or a link never.
    /// </summary>
    /// <param name="indexFile">The index file.</param>
    /// <param name="force">Replace a file that is not an index.</param>
    /// <exception cref="OutputRefusedException">The file may not be replaced; the message says why and what to do.</exception>
    public static void CheckIndexFile(string indexFile, bool force)
    {
        ArgumentException.ThrowIfNullOrEmpty(indexFile);
        string full = Normalize(indexFile);
        if (new FileInfo(full).LinkTarget is not null)
        {
            throw Refuse(OutputRefusal.SymbolicLink, full,
                $"{full} is a symbolic link: writing the index there would replace the link, not its target. Remove the link. {ForceNever}");
        }

        if (Directory.Exists(full))
        {
            throw Refuse(OutputRefusal.IsFolder, full, $"{full} is a folder, where the index file would go: move it away. {ForceNever}");
        }

        if (!force && !Tfrecord.Files.TfRecordIndex.IsReplaceable(full))
        {
            throw Refuse(OutputRefusal.NotAnIndex, full,
                $"{full} exists and is not an index file (its lines are not '<offset> <length>'): replacing it would lose it. " +
                "Move it away, or, if it is meant to be replaced, run again with --force.");
        }
    }

    /// <summary>The inputs of a job plan as the guard compares them: every source's expanded paths, and <c>--input</c>.</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="input">The value of <c>{input}</c>, or null.</param>
    /// <returns>The paths.</returns>
    internal static IReadOnlyList<string> InputsOf(JobPlan plan, string? input)
    {
        ArgumentNullException.ThrowIfNull(plan);
        // --input first: an output that is --input itself is named as such, not as a folder holding a source's path.
        var paths = new List<string>();
        if (!string.IsNullOrEmpty(input))
        {
            paths.Add(input);
        }

        paths.AddRange(plan.Sources.Values.SelectMany(s => s.Paths));
        return paths;
    }

    /// <summary>Whether a file is a <c>_manifest.json</c> that this tool wrote: a JSON object with an integer
    /// <c>version</c> of 1 or more, <c>kind</c> "samples", and <c>spec_hash</c> and <c>engine</c> strings.</summary>
    /// <param name="file">The file.</param>
    /// <returns>True for a manifest of this tool.</returns>
    internal static bool IsManifest(string file)
    {
        try
        {
            var info = new FileInfo(file);
            if (!info.Exists || info.Length > 64 << 20)
            {
                return false;
            }

            using var stream = File.OpenRead(file);
            using var doc = JsonDocument.Parse(stream);
            var root = doc.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("version", out var version) && version.ValueKind == JsonValueKind.Number && version.TryGetInt32(out int v) && v >= 1
                && root.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String && kind.GetString() == "samples"
                && root.TryGetProperty("spec_hash", out var hash) && hash.ValueKind == JsonValueKind.String
                && root.TryGetProperty("engine", out var engine) && engine.ValueKind == JsonValueKind.String;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return false;
        }
    }

    /// <summary>The message for an output whose folder cannot be written (read-only file system, permission denied),
    /// or null when <paramref name="e"/> is not such a failure.</summary>
    /// <param name="e">The failure.</param>
    /// <param name="output">The output (full path).</param>
    /// <param name="path">The path that could not be written.</param>
    /// <returns>The exception to throw instead, or null.</returns>
    internal static OutputRefusedException? NotWritable(Exception e, string output, string path)
    {
        ArgumentNullException.ThrowIfNull(e);
        const int erofs = 30;
        if (e is IOException { HResult: erofs })
        {
            return new OutputRefusedException(OutputRefusal.ReadOnly, output,
                $"cannot write {path}: it is on a read-only file system, so the output {output} cannot be written there. " +
                "Choose an output on a writable file system (or remount it read-write).", e);
        }

        if (e is UnauthorizedAccessException)
        {
            return new OutputRefusedException(OutputRefusal.PermissionDenied, output,
                $"cannot write {path}: permission denied (read-only folder or not this user's), so the output {output} cannot be written there. " +
                "Choose an output in a folder you can write, or fix the folder's permissions.", e);
        }

        return null;
    }

    private static OutputRefusedException Refuse(OutputRefusal reason, string output, string message) => new(reason, output, message);

    private static string Normalize(string path)
    {
        string full = Path.GetFullPath(StripFileScheme(path));
        return full.Length > 1 ? full.TrimEnd('/') : full;
    }

    private static void CheckLink(string full, string output)
    {
        if (new FileInfo(full).LinkTarget is { } target)
        {
            throw Refuse(OutputRefusal.SymbolicLink, full,
                $"--output {output} is a symbolic link (to {target}): the output is replaced by renaming, which would replace the link itself, not write into {target}. " +
                $"Pass the real path as --output, or remove the link. {ForceNever}");
        }
    }

    private static void CheckInputs(string full, string real, OutputGuardOptions options, bool file)
    {
        string? problem = InputOverlap(real, options.InputPaths) switch
        {
            (var input, Overlap.Same) => $"is the input {input}: " + (file ? "writing it would replace the data being read." : "the output folder is replaced as a whole, so this would delete the inputs being read."),
            (var input, Overlap.Holds) => $"holds the input {input}: the output folder is replaced as a whole, so this would delete the inputs being read.",
            (var input, Overlap.Inside) => $"is inside the input {input}: the samples would be written among the inputs, and replacing the output later could delete inputs, or a run could read samples as input.",
            _ => null,
        };
        if (problem is not null)
        {
            throw Refuse(OutputRefusal.Input, full, $"--output {full} {problem} Choose an output outside the inputs. {ForceNever}");
        }
    }

    // How a path lies against an input: the same, holding it, or inside it.
    private enum Overlap
    {
        Same,
        Holds,
        Inside,
    }

    // The first local input the resolved path is, holds or lies inside, with how; null when none.
    private static (string Input, Overlap How)? InputOverlap(string real, IReadOnlyList<string> inputs)
    {
        foreach (string input in inputs)
        {
            if (LocalBase(input) is not { } local)
            {
                continue;
            }

            if (OverlapOf(real, Resolve(local)) is { } how)
            {
                return (input, how);
            }
        }

        return null;
    }

    // How the resolved path lies against another: the same, holding it, inside it, or apart (null).
    private static Overlap? OverlapOf(string path, string other) =>
        path == other ? Overlap.Same : IsSameOrInside(other, path) ? Overlap.Holds : IsSameOrInside(path, other) ? Overlap.Inside : null;

    /// <summary>The local path an input stands for; remote URIs and paths with unexpanded templates give null.</summary>
    private static string? LocalBase(string input)
    {
        if (string.IsNullOrWhiteSpace(input) || input == "-" || input.Contains('{', StringComparison.Ordinal))
        {
            return null;
        }

        string path = StripFileScheme(input);
        int scheme = path.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0)
        {
            return null;
        }

        // Paths are literal on every engine (no glob expansion), so `logs[1]` is the folder of that name.
        return Path.GetFullPath(path);
    }

    private static string StripFileScheme(string path) =>
        path.StartsWith("file://", StringComparison.Ordinal) ? path["file://".Length..]
        : path.StartsWith("file:", StringComparison.Ordinal) ? path["file:".Length..]
        : path;

    /// <summary>Whether <paramref name="path"/> is <paramref name="folder"/> or below it (both resolved, absolute).</summary>
    private static bool IsSameOrInside(string path, string folder) =>
        path == folder || folder == "/" || path.StartsWith(folder + "/", StringComparison.Ordinal);

    /// <summary>The path with symbolic links resolved: its longest existing prefix through <c>realpath</c>, then the rest.</summary>
    private static string Resolve(string path)
    {
        string full = Normalize(path);
        string existing = full;
        var rest = new Stack<string>();
        while (!Directory.Exists(existing) && !File.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
        {
            rest.Push(Path.GetFileName(existing));
            existing = parent;
        }

        string resolved = Native.RealPath(existing) ?? existing;
        while (rest.Count > 0)
        {
            resolved = Path.Combine(resolved, rest.Pop());
        }

        return resolved;
    }

    /// <summary>Examples of other outputs below a folder: <c>key=value</c> partition folders (<c>dt=2024-01-14</c>)
    /// and folders holding a <c>_manifest.json</c>, looked for <see cref="OtherOutputsDepth"/> levels down.</summary>
    private static List<string> OtherOutputs(string folder)
    {
        var found = new List<string>();
        var pending = new Queue<(string Path, int Depth)>();
        pending.Enqueue((folder, 0));
        var enumeration = new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true };
        while (pending.Count > 0 && found.Count < 3)
        {
            var (dir, depth) = pending.Dequeue();
            foreach (string sub in Directory.EnumerateDirectories(dir, "*", enumeration).Order(StringComparer.Ordinal))
            {
                string name = Path.GetFileName(sub);
                string relative = Path.GetRelativePath(folder, sub);
                if (new DirectoryInfo(sub).LinkTarget is not null)
                {
                    continue;
                }

                if (name.IndexOf('=', StringComparison.Ordinal) > 0 && !name.StartsWith('.'))
                {
                    found.Add(relative);
                }
                else if (File.Exists(Path.Combine(sub, "_manifest.json")))
                {
                    found.Add(Path.Combine(relative, "_manifest.json"));
                }
                else if (depth + 1 < OtherOutputsDepth)
                {
                    pending.Enqueue((sub, depth + 1));
                }

                if (found.Count >= 3)
                {
                    break;
                }
            }
        }

        return found;
    }

    /// <summary>Whether a folder is an output of this tool: its <c>_manifest.json</c> is one, or it holds <c>_SUCCESS</c>
    /// with part files (and their checksums) only, as Spark's committer leaves them.</summary>
    private static bool IsOwnOutput(string folder)
    {
        string manifest = Path.Combine(folder, "_manifest.json");
        if (File.Exists(manifest))
        {
            return IsManifest(manifest);
        }

        return File.Exists(Path.Combine(folder, "_SUCCESS")) && OnlyParts(folder, 0);
    }

    /// <summary>Whether a folder holds nothing but <c>_SUCCESS</c>, part files, their hidden <c>.crc</c> checksums and (at the
    /// top) the connector's <c>train/</c> and <c>eval/</c> folders of the same kind, and the Spark script's
    /// <c>_quarantine/</c> (its JSON part files, as Spark's committer leaves them). <c>_SUCCESS</c> alone (Spark's output
    /// of no samples) counts: it holds nothing to lose.</summary>
    private static bool OnlyParts(string folder, int depth)
    {
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos("*", new EnumerationOptions { AttributesToSkip = 0 }))
        {
            string name = entry.Name;
            bool ok = entry.LinkTarget is null && (entry is DirectoryInfo
                ? depth == 0 && ((name is "train" or "eval" && File.Exists(Path.Combine(entry.FullName, "_SUCCESS"))) || name == QuarantineFiles.Folder) && OnlyParts(entry.FullName, depth + 1)
                : name == "_SUCCESS" || name.StartsWith("part-", StringComparison.Ordinal) || (name.StartsWith('.') && name.EndsWith(".crc", StringComparison.Ordinal)));
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Why a file is not a TFRecord file, or null when it is one (or empty).</summary>
    private static string? NotTfRecord(string file)
    {
        try
        {
            if (new FileInfo(file).Length == 0)
            {
                return null;
            }

            using var reader = TfRecordReader.Open(file);
            return reader.TryRead(out _) ? null : "it holds no record";
        }
        catch (Exception e) when (e is IOException or InvalidDataException or FormatException or UnauthorizedAccessException)
        {
            return e.Message.TrimEnd('.');
        }
    }

    private static class Native
    {
#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code; the runtime marshaller is fine for a few calls per run.
        [DllImport("libc", SetLastError = true)]
        private static extern IntPtr realpath(string path, IntPtr resolved);

        [DllImport("libc")]
        private static extern void free(IntPtr pointer);
#pragma warning restore SYSLIB1054

        public static string? RealPath(string path)
        {
            if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            {
                return null;
            }

            try
            {
                IntPtr resolved = realpath(path, IntPtr.Zero);
                if (resolved == IntPtr.Zero)
                {
                    return null;
                }

                try
                {
                    return Marshal.PtrToStringUTF8(resolved);
                }
                finally
                {
                    free(resolved);
                }
            }
            catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
            {
                return null;
            }
        }
    }
}
