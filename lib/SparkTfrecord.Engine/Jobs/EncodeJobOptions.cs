using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Engines;
using SparkTfrecord.Engine.Output;
using SparkTfrecord.Engine.Planning;

namespace SparkTfrecord.Engine.Jobs;

/// <summary>Options of <see cref="EncodeJob"/>.</summary>
public sealed class EncodeJobOptions
{
    /// <summary>Parquet files, folders (every data file below them; names starting with <c>_</c> or <c>.</c> skipped) or globs.</summary>
    public required IReadOnlyList<string> Inputs { get; init; }

    /// <summary>The output folder (the leaf of one run); replaced atomically. Ignored when <see cref="Committer"/> is given.</summary>
    public required string Output { get; init; }

    /// <summary>The command line's overrides of the spec's shards and compression.</summary>
    public JobOverrides Overrides { get; init; } = JobOverrides.None;

    /// <summary>Refuse to replace an existing output.</summary>
    public bool NoClobber { get; init; }

    /// <summary>Replace a non-empty folder this tool did not write (see <see cref="OutputGuard"/>).</summary>
    public bool Force { get; init; }

    /// <summary>An output already locked by the caller (the Spark launcher holds it for the whole run); not disposed here.</summary>
    internal OutputCommitter? Committer { get; init; }

    /// <summary>The job plan the samples come from, if known: the manifest then records its date and inputs exactly as
    /// the embedded engine does.</summary>
    internal JobPlan? Plan { get; init; }

    /// <summary>The engine recorded in the manifest.</summary>
    internal string EngineName { get; init; } = "sparktf encode";

    /// <summary>More counts for the manifest (the Spark run's report).</summary>
    internal IReadOnlyDictionary<string, long>? Counts { get; init; }

    /// <summary>Where the bad input rows are in the work folder (the Spark run put them there), for the manifest; null for none.</summary>
    internal Output.ManifestQuarantine? Quarantine { get; init; }

    /// <summary>The number of records the caller expects (Spark's reported count); a different number fails the run
    /// before the output is committed.</summary>
    internal long? ExpectedRecords { get; init; }

    /// <summary>Engine options of the DuckDB that reads and orders the Parquet.</summary>
    internal DuckDbEngineOptions Engine { get; init; } = new();

    /// <summary>Called after each commit step.</summary>
    internal Action<string>? OnCommitStep { get; init; }

    /// <summary>Progress receiver.</summary>
    internal IJobProgress Progress { get; init; } = NoProgress.Instance;
}
