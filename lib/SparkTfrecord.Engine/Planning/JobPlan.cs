using SparkTfrecord.Engine.Config;
using SparkTfrecord.Tfrecord.Files;

namespace SparkTfrecord.Engine.Planning;

/// <summary>
/// The job plan for one run date: sources → label → point-in-time history → feature columns, with every rule's
/// parameters resolved (time bounds in epoch microseconds, windows in microseconds). Engines render it; it is the
/// single description of the job that the DuckDB and the Spark renderings share.
/// </summary>
internal sealed class JobPlan
{
    private JobPlan(JobDefinition definition, DateOnly date, IReadOnlyDictionary<string, PlannedSource> sources, long dayStart, long dayEnd, TechnicalColumns names)
    {
        Definition = definition;
        Date = date;
        Sources = sources;
        DayStartMicros = dayStart;
        DayEndMicros = dayEnd;
        Columns = new SampleColumns(this, names);
    }

    /// <summary>The spec file and job section the plan comes from.</summary>
    public JobDefinition Definition { get; }

    /// <summary>The job section.</summary>
    public JobConfig Job => Definition.Job;

    /// <summary>The run date (a day in the job's zone).</summary>
    public DateOnly Date { get; }

    /// <summary>The sources by name.</summary>
    public IReadOnlyDictionary<string, PlannedSource> Sources { get; }

    /// <summary>The first microsecond of the run date in the job's zone (Unix epoch microseconds).</summary>
    public long DayStartMicros { get; }

    /// <summary>The first microsecond after the run date in the job's zone.</summary>
    public long DayEndMicros { get; }

    /// <summary>The longest label attribution window in microseconds (0 without a label).</summary>
    public long LabelWithinMicros => Job.Labels.Count > 0 ? Job.Labels.Max(l => ToMicros(l.Within)) : 0;

    /// <summary>The samples' columns by role: the features in spec order and the technical columns the renderer
    /// makes and the writers read.</summary>
    public SampleColumns Columns { get; }

    /// <summary>The technical columns' names.</summary>
    public TechnicalColumns Names => Columns.Names;

    /// <summary>The samples source.</summary>
    public PlannedSource Samples => Sources[Job.Samples];

    /// <summary>Per source with any, the paths where no file was found (look-back days of histories and labels, the
    /// next day's partition): a run leaves them out (a new service has no older days; only a run day without
    /// impressions is an error), so none of their rows is read. Said on stderr and in the summary's
    /// <c>missing_inputs</c>, never left silent: a partition that lands late makes this day's samples differ from a
    /// rerun's.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> MissingInputs =>
        Sources.Values.Where(s => s.MissingPaths.Count > 0).OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToDictionary(s => s.Name, s => s.MissingPaths, StringComparer.Ordinal);

    /// <summary>The stderr note of <see cref="MissingInputs"/>, or null when every path has files.</summary>
    public string? MissingInputsNote =>
        MissingInputs.Count == 0 ? null
        : "no files at " + string.Join("; ", MissingInputs.Select(m => $"{m.Value.Count} of the {Sources[m.Key].Paths.Count} paths of source '{m.Key}' ({string.Join(", ", m.Value)})")) +
          ": they are left out of this day, none of their rows read (history, label or sample); rerun the day once they have landed";

    /// <summary>Every data file the run reads, sorted.</summary>
    public IReadOnlyList<string> InputFiles => Sources.Values.SelectMany(s => s.Files).Order(StringComparer.Ordinal).ToList();

    /// <summary>Makes the plan for a date.</summary>
    /// <param name="definition">The spec and job section.</param>
    /// <param name="date">The run date.</param>
    /// <param name="input">The value of <c>{input}</c> in path templates.</param>
    /// <param name="resolveFiles">List the files under each path (false for paths this machine cannot see).</param>
    /// <returns>The plan.</returns>
    /// <exception cref="FormatException">A path template is invalid.</exception>
    /// <exception cref="Jobs.InputDataException">A required source has no files.</exception>
    public static JobPlan Create(JobDefinition definition, DateOnly date, string? input, bool resolveFiles = true) =>
        Create(definition, date, input, resolveFiles, TechnicalColumns.Default);

    /// <summary>Makes the plan for a date with other technical names (tests that rename them).</summary>
    /// <param name="definition">The spec and job section.</param>
    /// <param name="date">The run date.</param>
    /// <param name="input">The value of <c>{input}</c> in path templates.</param>
    /// <param name="resolveFiles">List the files under each path.</param>
    /// <param name="names">The technical columns' names.</param>
    /// <returns>The plan.</returns>
    internal static JobPlan Create(JobDefinition definition, DateOnly date, string? input, bool resolveFiles, TechnicalColumns names) =>
        Create(definition, date, input, _ => resolveFiles, names);

    /// <summary>Makes the plan for a date, listing the files of only the sources <paramref name="listFiles"/> picks: the
    /// Spark launcher lists the sources on this machine, and leaves those on a cluster's file system to Spark.</summary>
    /// <param name="definition">The spec and job section.</param>
    /// <param name="date">The run date.</param>
    /// <param name="input">The value of <c>{input}</c> in path templates.</param>
    /// <param name="listFiles">Whether to list a source's files (a source not listed has every path read as given).</param>
    /// <param name="names">The technical columns' names.</param>
    /// <returns>The plan.</returns>
    internal static JobPlan Create(JobDefinition definition, DateOnly date, string? input, Func<SourceConfig, bool> listFiles, TechnicalColumns names)
    {
        ArgumentNullException.ThrowIfNull(listFiles);
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(names);
        var job = definition.Job;
        var zone = job.Zone;
        long start = LocalMidnightMicros(date, zone);
        long end = LocalMidnightMicros(date.AddDays(1), zone);

        var keys = ColumnUsage.Keys(job);
        var sources = new Dictionary<string, PlannedSource>(StringComparer.Ordinal);
        foreach (var s in job.Sources.Values)
        {
            if (s.Table is { } table)
            {
                // A metastore table has no files to list: Spark reads it, pruned to the days its partition names.
                sources[s.Name] = new PlannedSource(s, [], [], [], keys[s.Name])
                {
                    TableDays = table.Partition is { } partition ? PathTemplate.Days(partition.Days, date) : null,
                };
                continue;
            }

            var paths = PathTemplate.Expand(s.PathTemplate, input, date);
            var files = new List<string>();
            var missing = new List<string>();
            if (listFiles(s))
            {
                foreach (string p in paths)
                {
                    var found = FindFiles(p);
                    if (found.Count == 0)
                    {
                        missing.Add(p);
                    }

                    files.AddRange(found);
                }

                // History and label look-back days may be absent (a new service, a late partition); the run day's
                // samples and the profile tables may not.
                if (files.Count == 0 && (s.Name == job.Samples || s.Time is null))
                {
                    throw new Jobs.InputDataException(Jobs.InputProblem.NoFiles,
                        $"no input files for source '{s.Name}' at {string.Join(", ", paths)}: check --input and --date (path template '{s.PathTemplate}' in {definition.File}).");
                }
            }

            sources[s.Name] = new PlannedSource(s, paths, files.Distinct().Order(StringComparer.Ordinal).ToList(), missing, keys[s.Name]);
        }

        return new JobPlan(definition, date, sources, start, end, names);
    }

    /// <summary>The same plan with other sources (the same names), such as sources with their files scanned.</summary>
    /// <param name="sources">The sources by name.</param>
    /// <returns>The plan.</returns>
    public JobPlan WithSources(IReadOnlyDictionary<string, PlannedSource> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return new JobPlan(Definition, Date, sources, DayStartMicros, DayEndMicros, Names) { State = State };
    }

    /// <summary>The incremental state this run reads and writes (docs/state.md), or null for none.</summary>
    public State.StatePlan? State { get; private init; }

    /// <summary>The same plan reading and writing state.</summary>
    /// <param name="state">The state's part of the plan.</param>
    /// <returns>The plan.</returns>
    public JobPlan WithState(State.StatePlan state) =>
        new(Definition, Date, Sources, DayStartMicros, DayEndMicros, Names) { State = state };

    /// <summary>Converts a duration to whole microseconds.</summary>
    /// <param name="span">The duration.</param>
    /// <returns>Microseconds.</returns>
    public static long ToMicros(TimeSpan span) => span.Ticks / 10;

    /// <summary>The Unix epoch microsecond at which <paramref name="date"/> starts in <paramref name="zone"/>.</summary>
    /// <param name="date">The day.</param>
    /// <param name="zone">The zone.</param>
    /// <returns>Epoch microseconds.</returns>
    public static long LocalMidnightMicros(DateOnly date, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);

        // A zone whose clocks jump over midnight starts the day at the first valid minute after it.
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        var utc = TimeZoneInfo.ConvertTimeToUtc(local, zone);
        return (utc.Ticks - DateTime.UnixEpoch.Ticks) / 10;
    }

    /// <summary>The Unix epoch microsecond of a local time of day on <paramref name="date"/> in <paramref name="zone"/>
    /// (the time-split cut, issue 13), read as the time-dst clause reads local times: a time the clock skips moves
    /// forward by the gap (the offset before the change), a repeated one takes the earlier instant.</summary>
    /// <param name="date">The day.</param>
    /// <param name="time">The local time of day.</param>
    /// <param name="zone">The zone.</param>
    /// <returns>Epoch microseconds.</returns>
    public static long LocalTimeMicros(DateOnly date, TimeOnly time, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        TimeSpan offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max()
            : zone.IsInvalidTime(local) ? zone.GetUtcOffset(local.AddDays(-1))
            : zone.GetUtcOffset(local);
        return (local.Ticks - offset.Ticks - DateTime.UnixEpoch.Ticks) / 10;
    }

    // A path is taken literally: a file, or a folder's data files. Characters such as '[' or '*' in it are part of
    // a name, never a pattern (a folder 'logs[1]' is never read as 'logs1').
    internal static List<string> FindFiles(string path)
    {
        if (File.Exists(path))
        {
            return [Path.GetFullPath(path)];
        }

        if (Directory.Exists(path))
        {
            return Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Where(f => Path.GetRelativePath(path, f).Split(Path.DirectorySeparatorChar).All(TfRecordPaths.IsDataFileName))
                .Select(Path.GetFullPath)
                .Order(StringComparer.Ordinal)
                .ToList();
        }

        return [];
    }
}
