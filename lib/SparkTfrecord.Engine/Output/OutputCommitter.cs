using System.Runtime.InteropServices;

namespace SparkTfrecord.Engine.Output;

/// <summary>
/// The commit protocol of one output folder (the leaf folder of one run). A run takes an exclusive lock
/// (<c>.&lt;leaf&gt;.lock</c> beside the output, held through <c>flock</c>, so a killed run's lock goes with its process),
/// removes what killed runs left, writes everything into a hidden work folder beside the output
/// (<c>.&lt;leaf&gt;.tmp-&lt;id&gt;</c>), writes <c>_SUCCESS</c> there last, then puts the folder in place in one step: an
/// atomic exchange with the previous output (Linux <c>renameat2(RENAME_EXCHANGE)</c>), or, where that is not available,
/// a rename of the previous output aside followed by a rename into place. A reader therefore sees the previous complete
/// output, or the new complete output, or (only in the fallback, between two renames) no output; never a partial one.
/// </summary>
internal sealed class OutputCommitter : IDisposable
{
    /// <summary>The steps, in order, as passed to <see cref="OutputCommitOptions.OnStep"/>.</summary>
    public static readonly IReadOnlyList<string> Steps =
        ["locked", "work-created", "parts-written", "manifest-written", "success-written", "swapped", "old-removed", "unlocked"];

    /// <summary>errno EAGAIN / EWOULDBLOCK on Linux: .NET's IOException when flock finds the file locked.</summary>
    private const int EWouldBlock = 11;

    // The hidden names beside an output leaf: its lock ".<leaf>.lock", a run's work folder ".<leaf>.tmp-<id>" and a
    // previous output set aside by the fallback commit ".<leaf>.old-<id>". Spelled here only.
    private const string WorkTag = ".tmp-";
    private const string SetAsideTag = ".old-";

    private readonly FileStream _lock;
    private readonly Action<string>? _onStep;
    private bool _committed;
    private bool _disposed;

    private OutputCommitter(string output, FileStream lockFile, string work, Action<string>? onStep)
    {
        Output = output;
        _lock = lockFile;
        WorkDirectory = work;
        _onStep = onStep;
    }

    /// <summary>The output folder (full path).</summary>
    public string Output { get; }

    /// <summary>The hidden folder the run writes into.</summary>
    public string WorkDirectory { get; }

    /// <summary>
    /// Checks the output with <see cref="OutputGuard.CheckFolder"/>, locks it (writing this run's pid, host, start time
    /// and command line into the lock file, so a refused run can name it), removes leftovers of killed runs and creates
    /// the work folder.
    /// </summary>
    /// <param name="output">The output folder.</param>
    /// <param name="options">Options.</param>
    /// <returns>The committer; dispose it to release the lock (and remove the work folder if not committed).</returns>
    /// <exception cref="OutputRefusedException">The output may not be replaced, its folder cannot be written, another run
    /// is writing it (<see cref="OutputRefusal.Locked"/>), or it exists and <see cref="OutputCommitOptions.NoClobber"/> is
    /// set (<see cref="OutputRefusal.Exists"/>).</exception>
    public static OutputCommitter Begin(string output, OutputCommitOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(output);
        options ??= new OutputCommitOptions();

        // The guard comes first: a refused output is left exactly as it was, without even a lock file beside it.
        OutputGuard.CheckFolder(output, new OutputGuardOptions { Force = options.Force, InputPaths = options.InputPaths, WorkingDirectory = options.WorkingDirectory });
        string full = Path.GetFullPath(output).TrimEnd(Path.DirectorySeparatorChar);
        string parent = Path.GetDirectoryName(full) ?? throw new OutputRefusedException(OutputRefusal.Root, full, $"{output}: the output must be a folder below a parent folder.");
        string leaf = Path.GetFileName(full);
        string lockPath = LockFile(parent, leaf);
        FileStream lockFile;
        try
        {
            Directory.CreateDirectory(parent);

            // FileShare.None takes flock(LOCK_EX | LOCK_NB) on Unix: held while this process lives, gone when it dies.
            lockFile = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e.HResult == EWouldBlock)
        {
            throw new OutputRefusedException(OutputRefusal.Locked, full, $"another run is writing {full}: {LockHolder.Describe(lockPath)} (it holds the lock {lockPath}). " +
                "Wait for it to finish or stop it, then run again.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && OutputGuard.NotWritable(e, full, Directory.Exists(parent) ? lockPath : parent) is { } refused)
        {
            throw refused;
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new OutputRefusedException(OutputRefusal.LockNotCreated, full, $"cannot create the lock file {lockPath} beside the output {full}: {e.Message}", e);
        }

        try
        {
            LockHolder.Write(lockFile);
            options.OnStep?.Invoke("locked");
            CommitStepObserver.After("locked");
            // What killed runs left (a previous output one set aside is put back first). Nobody else can be using it: we
            // hold the lock.
            RecoverLeftovers(parent, leaf);
            if (options.NoClobber && Directory.Exists(full))
            {
                throw new OutputRefusedException(OutputRefusal.Exists, full, $"{full} exists and --no-clobber was given; remove it or run without --no-clobber to replace it.");
            }

            string work = WorkFolder(full, $"{Environment.ProcessId}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(work);
            var committer = new OutputCommitter(full, lockFile, work, options.OnStep);
            committer.Step("work-created");
            return committer;
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>How old a killed run's leftovers must be before <see cref="RemoveAbandoned"/> takes them.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromHours(1);

    /// <summary>
    /// Removes what killed runs left beside other outputs of <paramref name="parent"/>: the hidden work folders and
    /// set-aside old outputs of every leaf but <paramref name="except"/> whose lock no run holds and whose leftovers are
    /// older than <see cref="AbandonedAfter"/>. <see cref="Begin"/> removes its own leaf's leftovers; this is for folders
    /// whose days are not run again, such as a state folder, where a run killed while writing day D's snapshot would
    /// otherwise leave D's hidden work folder (a snapshot's size) until D is run again. Each leaf's lock is taken while
    /// its leftovers are removed, so a live run's folder is never touched; a run of that leaf starting in those few
    /// milliseconds would be refused as locked, and looking only at leftovers this old keeps that to a leaf whose run
    /// was killed and not run again for an hour.
    /// </summary>
    /// <param name="parent">The folder holding the outputs.</param>
    /// <param name="except">The leaf being written now (its own <see cref="Begin"/> handles it).</param>
    /// <returns>The folders removed.</returns>
    public static IReadOnlyList<string> RemoveAbandoned(string parent, string except)
    {
        var removed = new List<string>();
        if (!Directory.Exists(parent))
        {
            return removed;
        }

        var byLeaf = Directory.EnumerateDirectories(parent, ".*")
            .Select(folder => (Folder: folder, Leaf: LeftoverLeaf(Path.GetFileName(folder))))
            .Where(x => x.Leaf is not null && x.Leaf != except)
            .GroupBy(x => x.Leaf!, StringComparer.Ordinal);
        foreach (var leaf in byLeaf)
        {
            string lockPath = LockFile(parent, leaf.Key);
            if (!File.Exists(lockPath) || leaf.Any(x => DateTime.UtcNow - Directory.GetLastWriteTimeUtc(x.Folder) < AbandonedAfter))
            {
                continue; // not this protocol's, or possibly a run still writing
            }

            try
            {
                using var held = new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
                removed.AddRange(RecoverLeftovers(parent, leaf.Key));
            }
            catch (IOException e) when (e.HResult == EWouldBlock)
            {
                // A live run holds the lock: its folders are in use.
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Cleaning up is not worth failing the run for: what is left is hidden, and the leaf's next run removes it.
            }
        }

        return removed;
    }

    /// <summary>
    /// Clears what killed runs of <paramref name="leaf"/> left, its lock held: their work folders, and the previous
    /// outputs they set aside. A run killed between setting the previous output aside and moving its own into place (the
    /// fallback without an atomic exchange) leaves no output and the previous one set aside: that one is put back rather
    /// than removed, so the previous complete output is never lost, whatever happens to the run that found it.
    /// </summary>
    /// <returns>The folders removed.</returns>
    private static List<string> RecoverLeftovers(string parent, string leaf)
    {
        string output = Path.Combine(parent, leaf);
        var setAside = Directory.EnumerateDirectories(parent, $".{leaf}{SetAsideTag}*").OrderBy(Directory.GetLastWriteTimeUtc).ToList();
        if (setAside.Count > 0 && !Directory.Exists(output))
        {
            Directory.Move(setAside[^1], output);
            setAside.RemoveAt(setAside.Count - 1);
        }

        var removed = new List<string>();
        foreach (string stale in Directory.EnumerateDirectories(parent, $".{leaf}{WorkTag}*").Concat(setAside))
        {
            Directory.Delete(stale, recursive: true);
            removed.Add(stale);
        }

        return removed;
    }

    /// <summary>The work folder a run with id <paramref name="id"/> writes for <paramref name="output"/>, beside it.</summary>
    internal static string WorkFolder(string output, string id) =>
        Path.Combine(Path.GetDirectoryName(output) ?? "", $".{Path.GetFileName(output)}{WorkTag}{id}");

    private static string LockFile(string parent, string leaf) => Path.Combine(parent, $".{leaf}.lock");

    private static string SetAsideFolder(string output) =>
        Path.Combine(Path.GetDirectoryName(output)!, $".{Path.GetFileName(output)}{SetAsideTag}{Environment.ProcessId}-{Guid.NewGuid():N}");

    // The leaf of a work folder or a set-aside previous output, or null for any other name.
    private static string? LeftoverLeaf(string name)
    {
        int at = Math.Max(name.LastIndexOf(WorkTag, StringComparison.Ordinal), name.LastIndexOf(SetAsideTag, StringComparison.Ordinal));
        return name.StartsWith('.') && at > 1 ? name[1..at] : null;
    }

    /// <summary>Reports a step that happens outside the committer (the writer's parts, the manifest).</summary>
    /// <param name="name">The step's name.</param>
    public void Step(string name)
    {
        _onStep?.Invoke(name);
        CommitStepObserver.After(name);
    }

    /// <summary>Writes <c>_SUCCESS</c> into the work folder and puts the folder in place of the output.</summary>
    /// <exception cref="IOException">The output could not be replaced.</exception>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using (File.Create(Path.Combine(WorkDirectory, "_SUCCESS")))
        {
        }

        Step("success-written");
        if (Directory.Exists(Output))
        {
            if (TryExchange(WorkDirectory, Output))
            {
                // The work folder's name now holds the previous output.
                _committed = true;
                Step("swapped");
                Directory.Delete(WorkDirectory, recursive: true);
            }
            else
            {
                string old = SetAsideFolder(Output);
                Directory.Move(Output, old);
                try
                {
                    Directory.Move(WorkDirectory, Output);
                }
                catch
                {
                    Directory.Move(old, Output); // the previous output back in place: the run failed, nothing is lost
                    throw;
                }

                _committed = true;
                Step("swapped");
                Directory.Delete(old, recursive: true);
            }
        }
        else
        {
            Directory.Move(WorkDirectory, Output);
            _committed = true;
            Step("swapped");
        }

        Step("old-removed");
    }

    /// <summary>Removes the work folder unless committed, and releases the lock.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (!_committed && Directory.Exists(WorkDirectory))
            {
                Directory.Delete(WorkDirectory, recursive: true);
            }
        }
        finally
        {
            _lock.Dispose();
            if (_committed)
            {
                Step("unlocked");
            }
        }
    }

    private static bool TryExchange(string a, string b)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return Native.renameat2(Native.AtFdCwd, a, Native.AtFdCwd, b, Native.RenameExchange) == 0;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    private static class Native
    {
        public const int AtFdCwd = -100;
        public const uint RenameExchange = 2;

#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code; the runtime marshaller is fine for one call per run.
        [DllImport("libc", SetLastError = true)]
        public static extern int renameat2(int olddirfd, string oldpath, int newdirfd, string newpath, uint flags);
#pragma warning restore SYSLIB1054
    }
}
