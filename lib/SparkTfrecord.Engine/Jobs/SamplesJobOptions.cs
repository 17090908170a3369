using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Engines;
using SparkTfrecord.Engine.Output;
using SparkTfrecord.Engine.Planning;

namespace SparkTfrecord.Engine.Jobs;

/// <summary>Options of one run of the samples job.</summary>
internal sealed class SamplesJobOptions
{
    /// <summary>The run date (a day in the job's zone).</summary>
    public required DateOnly Date { get; init; }

    /// <summary>The value of <c>{input}</c> in source paths.</summary>
    public string? Input { get; init; }

    /// <summary>The output folder (the leaf of this run; <c>{date}</c> allowed).</summary>
    public required string Output { get; init; }

    /// <summary>The command line's overrides of the job's shards, compression and bad-row threshold.</summary>
    public JobOverrides Overrides { get; init; } = JobOverrides.None;

    /// <summary>The technical columns' names (tests rename them; every run uses the default).</summary>
    internal TechnicalColumns Names { get; init; } = TechnicalColumns.Default;

    /// <summary>Refuse to replace an existing output.</summary>
    public bool NoClobber { get; init; }

    /// <summary>Replace a non-empty folder this tool did not write (see <see cref="OutputGuard"/>).</summary>
    public bool Force { get; init; }

    /// <summary>Also write the samples as Parquet under <c>_audit/</c>, with key and time columns.</summary>
    public bool Audit { get; init; }

    /// <summary>Engine options.</summary>
    public DuckDbEngineOptions Engine { get; init; } = new();

    /// <summary>Called after each commit step (tests stop the process there).</summary>
    public Action<string>? OnCommitStep { get; init; }

    /// <summary>
    /// The most samples one output pass handles; a bigger day is written in several passes (groups of shards, or
    /// hash ranges with sized shards). DuckDB's sort spills to disk, so one pass handles a big day within the memory
    /// limit, while each further pass scans the whole day's samples again (at 10M samples one sorted pass cost about
    /// half the CPU time of seven filtered passes: issue 12, docs/benchmarks.md). Passes are the fallback after a pass
    /// runs out of memory.
    /// </summary>
    public long SamplesPerPass { get; init; } = DefaultSamplesPerPass;

    /// <summary>The default of <see cref="SamplesPerPass"/>: one pass for any day this machine can hold.</summary>
    public const long DefaultSamplesPerPass = 50_000_000;

    /// <summary>Progress receiver.</summary>
    public IJobProgress Progress { get; init; } = NoProgress.Instance;

    /// <summary>Told (with what happened) when an output pass ran out of memory and the samples are written again in
    /// more, smaller passes.</summary>
    public Action<string>? OnMemoryRetry { get; init; }

    // ---- Statistics and drift (issue 15, docs/report.md) ----

    /// <summary>Also write <c>_report.html</c> (and <c>_stats.json</c>) into the output.</summary>
    public bool ReportHtml { get; init; }

    /// <summary>Told what the statistics check did when there was nothing to compare with (the first day).</summary>
    public Action<string>? OnStatistics { get; init; }

    /// <summary>Told which look-back paths have no files (<see cref="Planning.JobPlan.MissingInputsNote"/>).</summary>
    public Action<string>? OnInputs { get; init; }

    // ---- Incremental state (issue 12, docs/state.md) ----

    /// <summary>The state folder (<c>--state DIR</c>), or null for none.</summary>
    public string? State { get; init; }

    /// <summary>Told whether the state's snapshot is used, and why (or why not).</summary>
    public Action<string>? OnState { get; init; }
}
