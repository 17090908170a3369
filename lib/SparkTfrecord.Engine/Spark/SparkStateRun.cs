using System.Text.RegularExpressions;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Output;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Engine.State;

namespace SparkTfrecord.Engine.Spark;

/// <summary>
/// One Spark day's use of <c>--state DIR</c> (or the job's <c>state:</c>), docs/state.md "The Spark side": the launcher
/// decides which snapshot is usable with the embedded engine's checks (<see cref="StateRun"/>, <see cref="StateStore"/>),
/// the script reads it and writes the next snapshot's tables into its hidden work folder, and the launcher commits them
/// with <c>_manifest.json</c> after the samples. The state needs the input and the state folder on this machine (or a
/// mount it shares with the cluster): the covered files are fingerprinted here, never by Spark.
/// </summary>
internal sealed partial class SparkStateRun : IDisposable
{
    private readonly StateRun _run;
    private OutputCommitter? _committer;

    private SparkStateRun(StateRun run, string snapshot)
    {
        _run = run;
        SnapshotFolder = snapshot;
    }

    /// <summary>The folder of the snapshot this day writes (a dry run shows its work folder's form).</summary>
    public string SnapshotFolder { get; }

    /// <summary>The plan: with a usable snapshot the stateful sources read only their uncovered days.</summary>
    public JobPlan Plan => _run.Plan;

    /// <summary>The day of the snapshot used, or null.</summary>
    public DateOnly? Used => _run.Used;

    /// <summary>The files the plan reads per source.</summary>
    public IReadOnlyDictionary<string, int> FilesRead => _run.FilesRead;

    /// <summary>The state folder of a day, or null when the run keeps no state.</summary>
    /// <param name="definition">The job (its <c>state:</c> template).</param>
    /// <param name="option">The command line's <c>--state</c>, which wins.</param>
    /// <param name="input">The input root (for <c>{input}</c> in the template).</param>
    /// <param name="date">The day.</param>
    /// <returns>The folder as given, or null.</returns>
    public static string? Folder(JobDefinition definition, string? option, string? input, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return option ?? (definition.Job.State is { } template ? PathTemplate.Expand(template, input, date)[0] : null);
    }

    /// <summary>Decides how the day uses the state folder: the state run, or null and why not (the day then reads the
    /// full window and writes no snapshot).</summary>
    /// <param name="definition">The job.</param>
    /// <param name="setup">The day's setup (the full window's plan).</param>
    /// <param name="folder">The state folder, as given.</param>
    /// <param name="force">--force (see <see cref="StateRun.Prepare"/>).</param>
    /// <returns>The state run and the reason (the summary's and stderr's), or null and the reason.</returns>
    public static (SparkStateRun? Run, string Reason) Prepare(JobDefinition definition, SparkSetup setup, string folder, bool force)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(folder);
        if (!SparkSetup.IsLocalPath(folder, setup.Options))
        {
            return (null, $"state not kept: the state folder {folder} is not on this machine; the launcher fingerprints the covered input files and commits the snapshot itself, so --state must be a local folder (or a mount the cluster shares, as file:/...)");
        }

        if (setup.LocalInput is null)
        {
            return (null, $"state not kept: the input {setup.Options.Input ?? "(none given)"} is not on this machine, so the launcher cannot fingerprint the files a snapshot covers (an unchecked snapshot is never used)");
        }

        string local = Path.GetFullPath(folder.StartsWith("file:", StringComparison.Ordinal) ? Regex.Replace(folder, "^file:(//)?", "") : folder);
        var (run, reason) = StateRun.Prepare(definition, setup.Plan, setup.LocalInput, local, setup.OutputIsLocal ? setup.Output : null, force);
        if (run is null)
        {
            return (null, reason);
        }

        // Spark names a row's file by its URI, percent-encoded from Spark 3.4: the script maps it back to the listed path
        // only when encoding leaves the path as it is.
        foreach (var s in run.Sources)
        {
            var full = setup.Plan.Sources[s.Name].Files;
            if (full.FirstOrDefault(f => !PlainPath().IsMatch(f)) is { } odd)
            {
                return (null, $"state not kept: the file {odd} of source '{s.Name}' has characters a Spark file URI encodes (only letters, digits and / . _ - = + , @ are kept as they are)");
            }
        }

        return (new SparkStateRun(run, new StateStore(local).SnapshotFolder(setup.Plan.Date)), reason);
    }

    /// <summary>Locks the next snapshot and opens its hidden work folder, where Spark writes the tables.</summary>
    /// <returns>The work folder.</returns>
    public string Begin()
    {
        _committer = _run.BeginSnapshot();
        return _committer.WorkDirectory;
    }

    /// <summary>Adds the used snapshot's counts of the path window, so the day counts as the full recompute.</summary>
    /// <param name="counts">The reported counts.</param>
    public void AddCoveredCounts(Dictionary<string, long> counts) => _run.AddCoveredCounts(counts);

    /// <summary>Commits the snapshot Spark wrote (every table's <c>_SUCCESS</c> checked), with its manifest.</summary>
    /// <param name="runCounts">The rows read and quarantined per partition this run read (the report row's).</param>
    /// <returns>The day written, or null and why not.</returns>
    public (DateOnly? Written, string? Problem) Commit(IReadOnlyDictionary<string, IReadOnlyDictionary<DateOnly, PartitionCounts>> runCounts)
    {
        var committer = _committer ?? throw new InvalidOperationException("Begin was not called.");
        foreach (var s in _run.Sources)
        {
            var tables = _run.Definition.Job.Histories.Where(h => h.Events == s.Name).Select(h => StatePlan.EventsFile(h.Feature)).Append(StatePlan.CarryFile(s.Name));
            foreach (string table in tables)
            {
                string folder = Path.Combine(committer.WorkDirectory, table);
                if (!File.Exists(Path.Combine(folder, "_SUCCESS")) || !Directory.EnumerateFiles(folder, "*.parquet").Any())
                {
                    return (null, $"Spark did not finish the state table {table} (no _SUCCESS or no Parquet part in {folder})");
                }
            }
        }

        try
        {
            return (_run.CommitSnapshot(committer, runCounts), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OutputRefusedException)
        {
            return (null, e.Message);
        }
    }

    /// <summary>Releases the snapshot's lock; an uncommitted work folder is removed.</summary>
    public void Dispose() => _committer?.Dispose();

    [GeneratedRegex("^[A-Za-z0-9/._=+,@-]+$")]
    private static partial Regex PlainPath();
}
