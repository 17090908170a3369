using System.Runtime.InteropServices;
using SparkTfrecord.Engine.Config;

namespace SparkTfrecord.Engine.Spark;

/// <summary>What <see cref="SparkLauncher"/> runs: the job, its days, where Spark is, and how to treat the output.</summary>
internal sealed class SparkLaunchOptions
{
    /// <summary>The spec and its job section, with the command line's overrides (shards, compression, bad-rows limit)
    /// applied.</summary>
    public required JobDefinition Definition { get; init; }

    /// <summary>The days to run, in order; each is committed before the next starts.</summary>
    public required IReadOnlyList<DateOnly> Dates { get; init; }

    /// <summary>The Spark options shared by every day; <see cref="SparkRunOptions.Date"/> is replaced by each day's.</summary>
    public required SparkRunOptions Spark { get; init; }

    /// <summary>The Spark installation (its <c>bin/spark-sql</c> and <c>bin/spark-submit</c>), or null when there is none
    /// (a dry run then shows <c>$SPARK_HOME/bin/...</c>; a launch fails with what to install).</summary>
    public string? SparkHome { get; init; }

    /// <summary>Replace a local output that is not a previous output (the output guard's <c>--force</c>).</summary>
    public bool Force { get; init; }

    /// <summary>Refuse to replace an existing local output (<c>--no-clobber</c>).</summary>
    public bool NoClobber { get; init; }

    /// <summary>How long Spark gets to stop after the stop signal is forwarded before its process tree is killed.</summary>
    public TimeSpan KillAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Which signal asked for the stop, read when the cancellation token is cancelled: Spark gets the same
    /// signal, and the stopped day's summary names it. Null: SIGTERM.</summary>
    public Func<PosixSignal>? StopSignal { get; init; }

    /// <summary>The <c>hadoop</c> command used for a cluster output (reading the runner's report, checking
    /// <c>_SUCCESS</c>, putting <c>_manifest.json</c>), or null to look it up in <c>HADOOP_HOME</c> and <c>PATH</c>.</summary>
    internal string? Hadoop { get; init; }

    /// <summary>The <c>yarn</c> command that kills a stopped YARN cluster-mode application, or null to look it up
    /// (<see cref="YarnApplication.FindYarn"/>).</summary>
    internal string? Yarn { get; init; }
}
