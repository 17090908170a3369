using SparkTfrecord.Engine.Sql;

namespace SparkTfrecord.Engine.Spark;

/// <summary>What a Spark script writes and where.</summary>
internal sealed class SparkScriptOptions
{
    /// <summary>The writer.</summary>
    public SparkWriter Writer { get; init; } = SparkWriter.Connector;

    /// <summary>The connector (for <see cref="SparkWriter.Connector"/>).</summary>
    public SparkConnector Connector { get; init; } = SparkConnector.LinkedIn;

    /// <summary>Where Spark writes, as Spark sees it: the output folder (connector) or the Parquet staging folder (native).</summary>
    public required string Target { get; init; }

    /// <summary>Which absolute paths without a scheme (the sources' paths, the target) are files on this machine:
    /// written as <c>file://</c> URIs. None by default: every path is left to Spark's default file system.</summary>
    public SparkLocalPaths LocalPaths { get; init; } = SparkLocalPaths.None;

    /// <summary>Spell the SQL for Spark 2.4 to 3.1 (the TensorFlow connector's Spark always is).</summary>
    public bool Legacy { get; init; }

    /// <summary>Where Spark writes the next state snapshot's tables (the snapshot's hidden work folder, a local path), or
    /// null when the plan keeps no state (docs/state.md).</summary>
    public string? StateTarget { get; init; }
}
