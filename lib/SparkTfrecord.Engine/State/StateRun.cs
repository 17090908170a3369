using System.Globalization;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Engines;
using SparkTfrecord.Engine.Output;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Engine.Sql;

namespace SparkTfrecord.Engine.State;

/// <summary>
/// One run's use of <c>--state DIR</c> on the embedded engine (docs/state.md): before the run, the snapshot it may use
/// and the plan that reads only the uncovered partitions; after the output is committed, the next snapshot, committed
/// the same way (hidden work folder, <c>_SUCCESS</c> last, atomic exchange, lock).
/// </summary>
internal sealed class StateRun
{
    private readonly StateStore _store;
    private readonly JobDefinition _definition;
    private readonly string _stateHash;
    private readonly IReadOnlyList<StatefulSource> _sources;
    private readonly StateManifest? _used;
    private readonly Dictionary<string, IReadOnlyList<FileFingerprint>> _nextFiles;

    private StateRun(StateStore store, JobDefinition definition, string stateHash, IReadOnlyList<StatefulSource> sources, StateManifest? used,
        Dictionary<string, IReadOnlyList<FileFingerprint>> nextFiles, JobPlan plan, string reason)
    {
        _store = store;
        _definition = definition;
        _stateHash = stateHash;
        _sources = sources;
        _used = used;
        _nextFiles = nextFiles;
        Plan = plan;
        Reason = reason;
    }

    /// <summary>The plan to run: with a usable snapshot, the stateful sources read only their uncovered partitions.</summary>
    public JobPlan Plan { get; }

    /// <summary>Why the snapshot was or was not used.</summary>
    public string Reason { get; }

    /// <summary>The day of the snapshot used, or null.</summary>
    public DateOnly? Used => _used?.Date;

    /// <summary>The files the plan reads per source.</summary>
    public IReadOnlyDictionary<string, int> FilesRead => Plan.Sources.ToDictionary(s => s.Key, s => s.Value.Files.Count, StringComparer.Ordinal);

    /// <summary>Decides how the run for the plan's day uses the state folder.</summary>
    /// <param name="definition">The job.</param>
    /// <param name="plan">The full window's plan, files resolved.</param>
    /// <param name="input">The input root.</param>
    /// <param name="folder">The state folder.</param>
    /// <param name="output">The day's samples output folder (full path), or null when it is not on this machine.</param>
    /// <param name="force">--force: a folder where the day's snapshot goes that is not a snapshot may be replaced.</param>
    /// <returns>The state run, or null with the reason when the job cannot carry state.</returns>
    /// <exception cref="OutputRefusedException">The state folder is a file, overlaps an input or the output, or its day's
    /// folder is not a snapshot (<see cref="OutputGuard.CheckStateFolder"/>).</exception>
    public static (StateRun? Run, string Reason) Prepare(JobDefinition definition, JobPlan plan, string? input, string folder, string? output, bool force)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(plan);
        var (sources, refusal) = StatefulSource.Of(definition.Job);
        if (refusal is not null)
        {
            return (null, "state not kept: " + refusal);
        }

        // A state folder that is a file could never take a snapshot: refused before any work, not found out after the
        // samples were committed (the run would exit 0 having kept no state).
        string root = Path.GetFullPath(folder);
        if (File.Exists(root))
        {
            throw new OutputRefusedException(OutputRefusal.IsFile, root,
                $"the state folder {root} is a file: the state keeps one dt=DATE/ snapshot folder per day below a folder. Give --state (or the job's state:) a folder, new or holding earlier snapshots.");
        }

        var store = new StateStore(root);
        OutputGuard.CheckStateFolder(root, store.SnapshotFolder(plan.Date), output, new OutputGuardOptions { Force = force, InputPaths = OutputGuard.InputsOf(plan, input) });
        string hash = StateStore.StateHash(definition, input);
        var (used, reason) = store.FindUsable(plan.Date, hash, sources, input);

        // The next snapshot's files, fingerprinted before this run reads them.
        var nextFiles = sources.ToDictionary(
            s => s.Name,
            s => (IReadOnlyList<FileFingerprint>)s.CoveredBy(plan.Date).SelectMany(d => StateStore.FilesOf(s, input, d)).OrderBy(f => f.Path, StringComparer.Ordinal).ToList(),
            StringComparer.Ordinal);
        var (runPlan, notKept) = PlanWithState(plan, sources, input, used?.Date, used is null ? null : store.SnapshotFolder(used.Date), JobPlan.FindFiles);
        if (runPlan is null)
        {
            return (null, notKept!);
        }

        return (new StateRun(store, definition, hash, sources, used, nextFiles, runPlan, reason), reason);
    }

    /// <summary>The plan of a run with state: each stateful source's files with their partition day, and with a used
    /// snapshot only its uncovered days' files and paths (the run day's and later). The one place both engines' runs
    /// (and the tests that render a state script without input files) build it.</summary>
    /// <param name="plan">The full window's plan, files resolved.</param>
    /// <param name="sources">The stateful sources.</param>
    /// <param name="input">The input root.</param>
    /// <param name="usedDate">The day of the snapshot used, or null.</param>
    /// <param name="previous">The folder of the snapshot used, or null.</param>
    /// <param name="filesOf">The files of one day's partition path.</param>
    /// <returns>The plan, or null and why the job cannot carry state.</returns>
    internal static (JobPlan? Plan, string? Refusal) PlanWithState(JobPlan plan, IReadOnlyList<StatefulSource> sources, string? input, DateOnly? usedDate,
        string? previous, Func<string, IEnumerable<string>> filesOf)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(filesOf);
        var planned = new Dictionary<string, PlannedSource>(plan.Sources, StringComparer.Ordinal);
        var fileDays = new Dictionary<string, IReadOnlyList<DateOnly>>(StringComparer.Ordinal);
        foreach (var s in sources)
        {
            var source = plan.Sources[s.Name];
            var dayOf = new Dictionary<string, DateOnly>(StringComparer.Ordinal);
            for (var d = plan.Date.AddDays(s.FromDays); d <= plan.Date.AddDays(s.ToDays); d = d.AddDays(1))
            {
                foreach (string f in filesOf(s.PartitionPath(input, d)))
                {
                    dayOf.TryAdd(f, d);
                }
            }

            // With a snapshot, only the partitions it does not cover: the run day's and the next day's.
            var files = usedDate is null ? source.Files : source.Files.Where(f => dayOf.TryGetValue(f, out var d) && d >= plan.Date).ToList();
            if (files.Any(f => !dayOf.ContainsKey(f)))
            {
                return (null, $"state not kept: a file of source '{s.Name}' lies in no day's partition");
            }

            // The engines that read folders (Spark) read the paths: with a snapshot, only the uncovered days' paths.
            var coveredPaths = usedDate is null ? [] : s.CoveredBy(usedDate.Value).Select(d => s.PartitionPath(input, d)).ToHashSet(StringComparer.Ordinal);
            planned[s.Name] = source with
            {
                Files = files,
                Paths = source.Paths.Where(p => !coveredPaths.Contains(p)).ToList(),
                MissingPaths = source.MissingPaths.Where(p => !coveredPaths.Contains(p)).ToList(),
                Scans = null,
            };
            fileDays[s.Name] = files.Select(f => dayOf[f]).ToList();
        }

        return (plan.WithSources(planned).WithState(new StatePlan(sources, fileDays, previous, plan.Date)), null);
    }

    /// <summary>Adds the counts of the snapshot's partitions that the run's path window still holds to the run's own
    /// counts, so they are the full recompute's. A stateful source has no dedup, so its duplicates are none (the carried
    /// rows joining its clean rows would otherwise count as negative duplicates).</summary>
    /// <param name="counts">The run's counts.</param>
    public void AddCoveredCounts(Dictionary<string, long> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        foreach (var s in _sources)
        {
            // Only where the engine counts them (Spark counts duplicates of the samples source alone).
            if (counts.ContainsKey(RunCounts.DuplicatesPrefix + s.Name))
            {
                counts[RunCounts.DuplicatesPrefix + s.Name] = 0;
            }

            if (_used is null)
            {
                continue;
            }

            var windowStart = Plan.Date.AddDays(s.FromDays);
            foreach (var (day, c) in _used.Sources[s.Name].Counts.Where(c => c.Key >= windowStart && c.Key < Plan.Date))
            {
                counts[RunCounts.ReadPrefix + s.Name] += c.Read;
                counts[RunCounts.QuarantinedPrefix + s.Name] += c.Quarantined;
            }
        }
    }

    /// <summary>Writes and commits the snapshot of the run's day, from the embedded engine's state tables.</summary>
    /// <param name="engine">The engine that ran the plan.</param>
    /// <returns>The day written.</returns>
    public DateOnly Write(DuckDbEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        using var committer = BeginSnapshot();
        var d = DuckDbDialect.Instance;
        string Lit(string path) => d.String(path);
        var runCounts = new Dictionary<string, IReadOnlyDictionary<DateOnly, PartitionCounts>>(StringComparer.Ordinal);
        foreach (var s in _sources)
        {
            foreach (var h in _definition.Job.Histories.Where(h => h.Events == s.Name))
            {
                // Sorted, so the same state gives the same file.
                engine.Execute($"COPY (SELECT * FROM {d.Identifier(StatePlan.NextEvents(h.Feature))} ORDER BY ALL) TO {Lit(Path.Combine(committer.WorkDirectory, StatePlan.EventsFile(h.Feature)))} (FORMAT parquet)");
            }

            engine.Execute($"COPY (SELECT * FROM {d.Identifier(StatePlan.NextCarry(s.Name))} ORDER BY ALL) TO {Lit(Path.Combine(committer.WorkDirectory, StatePlan.CarryFile(s.Name)))} (FORMAT parquet)");
            var counts = new Dictionary<DateOnly, PartitionCounts>();
            engine.Query($"SELECT * FROM {d.Identifier(StatePlan.NextCounts(s.Name))}", r =>
            {
                while (r.Read())
                {
                    // DuckDB.NET gives a DATE as DateOnly (older versions as DateTime).
                    var value = r.GetValue(0);
                    var day = value is DateOnly x ? x : DateOnly.FromDateTime(Convert.ToDateTime(value, CultureInfo.InvariantCulture));
                    counts[day] = new PartitionCounts(r.GetInt64(1), r.GetInt64(2));
                }
            });
            runCounts[s.Name] = counts;
        }

        return CommitSnapshot(committer, runCounts);
    }

    // ---- The engine seam: the embedded engine writes the tables itself (Write); the Spark launcher lets Spark write
    // them into the work folder during the run and commits them after the samples (Spark/SparkStateRun.cs). ----

    /// <summary>The stateful sources.</summary>
    public IReadOnlyList<StatefulSource> Sources => _sources;

    /// <summary>The job.</summary>
    public JobDefinition Definition => _definition;

    /// <summary>Locks the snapshot of the run's day and opens its hidden work folder, where the engine writes the
    /// tables (<see cref="StatePlan.EventsFile"/>, <see cref="StatePlan.CarryFile"/>: a Parquet file or a folder of
    /// part files each).</summary>
    /// <returns>The committer; dispose it to drop the work folder when the snapshot is not committed.</returns>
    public OutputCommitter BeginSnapshot()
    {
        Directory.CreateDirectory(_store.Folder);
        string folder = _store.SnapshotFolder(Plan.Date);

        // A day's snapshot is written once, after its samples: one killed while writing is not written again unless
        // that day is rerun, so its hidden work folder would stay. The next snapshots take such folders away.
        OutputCommitter.RemoveAbandoned(_store.Folder, Path.GetFileName(folder));
        return OutputCommitter.Begin(folder, new OutputCommitOptions { Force = true });
    }

    /// <summary>Writes <c>_manifest.json</c> into the work folder (the engine has written the tables there) and commits
    /// the snapshot (<c>_SUCCESS</c> last, atomic exchange).</summary>
    /// <param name="committer">The committer from <see cref="BeginSnapshot"/>.</param>
    /// <param name="runCounts">Per stateful source, the rows read and quarantined per partition this run read.</param>
    /// <returns>The day written.</returns>
    public DateOnly CommitSnapshot(OutputCommitter committer, IReadOnlyDictionary<string, IReadOnlyDictionary<DateOnly, PartitionCounts>> runCounts)
    {
        ArgumentNullException.ThrowIfNull(committer);
        ArgumentNullException.ThrowIfNull(runCounts);
        var date = Plan.Date;
        var sources = new Dictionary<string, StateManifestSource>(StringComparer.Ordinal);
        foreach (var s in _sources)
        {
            // Per covered partition: this run's counts where it read the partition, the used snapshot's otherwise.
            var covered = s.CoveredBy(date);
            var counts = new Dictionary<DateOnly, PartitionCounts>();
            if (_used is not null)
            {
                foreach (var (day, c) in _used.Sources[s.Name].Counts.Where(c => covered.Contains(c.Key)))
                {
                    counts[day] = c;
                }
            }

            foreach (var (day, c) in runCounts.GetValueOrDefault(s.Name) ?? new Dictionary<DateOnly, PartitionCounts>())
            {
                if (covered.Contains(day))
                {
                    counts[day] = c;
                }
            }

            sources[s.Name] = new StateManifestSource(s.PathTemplate, covered, _nextFiles[s.Name], counts);
        }

        new StateManifest(date, _stateHash, _definition.SpecHash, StateStore.Histories(_definition.Job), sources, _used?.Date, FilesRead)
            .Write(Path.Combine(committer.WorkDirectory, StateManifest.FileName));
        committer.Commit();
        return date;
    }
}
