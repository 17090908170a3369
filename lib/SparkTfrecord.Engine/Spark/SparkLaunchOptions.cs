using SparkTfrecord.Engine.Config;

namespace SparkTfrecord.Engine.Spark;

/// <summary>What <see cref="SparkLauncher"/> runs: the loaded job (overrides applied) and the run's options as the
/// command line gave them, plus the cluster commands the tests point elsewhere.</summary>
internal sealed class SparkLaunchOptions
{
    /// <summary>The spec and its job section, with the command line's overrides (shards, compression, bad-rows limit)
    /// applied.</summary>
    public required JobDefinition Definition { get; init; }

    /// <summary>The run: its days (each committed before the next starts), the Spark options shared by every day
    /// (<see cref="SparkRunOptions.Date"/> replaced by each day's), the Spark installation, the output guard's choices
    /// and how a stop is handled.</summary>
    public required SparkSamplesRunOptions Run { get; init; }

    /// <summary>The <c>hadoop</c> command used for a cluster output (reading the runner's report, checking
    /// <c>_SUCCESS</c>, putting <c>_manifest.json</c>), or null to look it up in <c>HADOOP_HOME</c> and <c>PATH</c>.</summary>
    internal string? Hadoop { get; init; }

    /// <summary>The <c>yarn</c> command that kills a stopped YARN cluster-mode application, or null to look it up
    /// (<see cref="YarnApplication.FindYarn"/>).</summary>
    internal string? Yarn { get; init; }
}
