using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Engines;

namespace SparkTfrecord.Engine.Jobs;

/// <summary>A run of <c>sparktf samples</c> on the embedded engine: one date, or a range of them (a backfill).</summary>
public sealed class SamplesRunOptions
{
    /// <summary>The feature spec file (the job's configuration is in it).</summary>
    public required string Spec { get; init; }

    /// <summary>The run dates, in order; more than one is a backfill (one output per day).</summary>
    public required IReadOnlyList<DateOnly> Dates { get; init; }

    /// <summary>The value of <c>{input}</c> in source paths.</summary>
    public string? Input { get; init; }

    /// <summary>The output folder's template (<c>{date}</c> is each day's date; required for a range).</summary>
    public required string Output { get; init; }

    /// <summary>The command line's overrides of the job config.</summary>
    public JobOverrides Overrides { get; init; } = JobOverrides.None;

    /// <summary>Refuse to replace an existing output.</summary>
    public bool NoClobber { get; init; }

    /// <summary>Replace a non-empty folder this tool did not write (see <see cref="Output.OutputGuard"/>).</summary>
    public bool Force { get; init; }

    /// <summary>Also write each day's samples as Parquet under <c>_audit/</c>.</summary>
    public bool Audit { get; init; }

    /// <summary>Engine options.</summary>
    public DuckDbEngineOptions Engine { get; init; } = new();

    /// <summary>Where the summaries go (<see cref="SamplesSummaries.Write"/>): this file, else standard output.</summary>
    public string? SummaryFile { get; init; }

    /// <summary>Standard output, for the summaries when there is no <see cref="SummaryFile"/>.</summary>
    public required TextWriter Stdout { get; init; }

    /// <summary>Runs one day inside a progress display: called with the day and the day's job, which it calls with the
    /// display's receiver. By default the job runs without one.</summary>
    public Func<DateOnly, Func<IJobProgress, SamplesSummary>, SamplesSummary> WithProgress { get; init; } = (_, run) => run(NoProgress.Instance);

    /// <summary>Told (the day, what happened) when an output pass ran out of memory and is written again in smaller passes.</summary>
    public Action<DateOnly, string>? OnMemoryRetry { get; init; }

    /// <summary>Names what stopped a cancelled run in its summary and its message ("SIGTERM", "Ctrl-C").</summary>
    public Func<string> StoppedBy { get; init; } = () => "a cancellation";

    // ---- Incremental state (issue 12, docs/state.md) ----

    /// <summary>The state folder (<c>--state DIR</c>), or null for none: each day's run uses the day before's snapshot
    /// and writes its own, so a range of dates chains through the days.</summary>
    public string? State { get; init; }

    /// <summary>Told, per day, which look-back paths have no files.</summary>
    public Action<DateOnly, string>? OnInputs { get; init; }

    /// <summary>Told, per day, whether the state's snapshot is used, and why (or why not).</summary>
    public Action<DateOnly, string>? OnState { get; init; }

    /// <summary>Also write <c>_report.html</c> (and <c>_stats.json</c>) into each day's output (<c>--report-html</c>).</summary>
    public bool ReportHtml { get; init; }

    /// <summary>Told what a day's statistics check did when there was nothing to compare with (the first day).</summary>
    public Action<DateOnly, string>? OnStatistics { get; init; }
}
