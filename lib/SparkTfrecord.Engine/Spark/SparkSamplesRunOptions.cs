using System.Runtime.InteropServices;
using SparkTfrecord.Engine.Config;

namespace SparkTfrecord.Engine.Spark;

/// <summary>A run of <c>sparktf samples --engine spark</c>: one date or a range of them, as
/// <see cref="Jobs.SamplesRunOptions"/> is for the embedded engine.</summary>
public sealed class SparkSamplesRunOptions
{
    /// <summary>The feature spec file (the job's configuration is in it).</summary>
    public required string Spec { get; init; }

    /// <summary>The command line's overrides of the job config.</summary>
    public JobOverrides Overrides { get; init; } = JobOverrides.None;

    /// <summary>The run dates, in order; more than one is a backfill (one output per day).</summary>
    public required IReadOnlyList<DateOnly> Dates { get; init; }

    /// <summary>The Spark options shared by every day (their date is the first day's; each day replaces it).</summary>
    public required SparkRunOptions Spark { get; init; }

    /// <summary>The Spark installation (its <c>bin/spark-sql</c> and <c>bin/spark-submit</c>), or null when there is none
    /// (a dry run then shows <c>$SPARK_HOME/bin/...</c>; a launch fails with what to install).</summary>
    public string? SparkHome { get; init; }

    /// <summary>The state folder (<c>--state DIR</c>; the job's <c>state:</c> when null), docs/state.md: each day reads the
    /// day before's snapshot when usable and writes its own.</summary>
    public string? State { get; init; }

    /// <summary>Replace a local output that is not a previous output.</summary>
    public bool Force { get; init; }

    /// <summary>Refuse to replace an existing local output.</summary>
    public bool NoClobber { get; init; }

    /// <summary>How long Spark gets to stop after the stop signal is forwarded before its process tree is killed.</summary>
    public TimeSpan KillAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Which signal asked for the stop, read when the cancellation token is cancelled: Spark gets the same
    /// signal, and the stopped day's summary names it. Null: SIGTERM.</summary>
    public Func<PosixSignal>? StopSignal { get; init; }

    /// <summary>Print what would run (the command and the script of each day) instead of running it; no summaries.</summary>
    public bool DryRun { get; init; }

    /// <summary>Where the summaries go: this file, else <see cref="Stdout"/>.</summary>
    public string? SummaryFile { get; init; }

    /// <summary>Standard output: the summaries (without <see cref="SummaryFile"/>) and a dry run's description.</summary>
    public required TextWriter Stdout { get; init; }
}
