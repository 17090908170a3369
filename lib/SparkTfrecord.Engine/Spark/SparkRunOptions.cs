namespace SparkTfrecord.Engine.Spark;

/// <summary>The options of one Spark run, as <c>sparktf samples --engine spark</c> takes them.</summary>
public sealed record SparkRunOptions
{
    /// <summary>The run date.</summary>
    public required DateOnly Date { get; init; }

    /// <summary>The value of <c>{input}</c> in source paths (a local folder, or a URI the cluster reads).</summary>
    public string? Input { get; init; }

    /// <summary>The output folder (the leaf of this run; <c>{date}</c> allowed): local, or a URI for the connector.</summary>
    public required string Output { get; init; }

    /// <summary>The Spark master: <c>local[*]</c>, <c>yarn</c>, <c>k8s://...</c>, <c>spark://...</c>.</summary>
    public string Master { get; init; } = "local[*]";

    /// <summary>Where the driver runs.</summary>
    public SparkDeployMode DeployMode { get; init; } = SparkDeployMode.Client;

    /// <summary>The writer.</summary>
    public SparkWriter Writer { get; init; } = SparkWriter.Connector;

    /// <summary>The connector.</summary>
    public SparkConnector Connector { get; init; } = SparkConnector.LinkedIn;

    /// <summary>The Spark version (major.minor), if known: it picks the connector's jar and the SQL spelling.</summary>
    public SparkVersion? Version { get; init; }

    /// <summary>Spark settings, <c>key=value</c>, passed as <c>--conf</c>.</summary>
    public IReadOnlyList<string> SparkConf { get; init; } = [];

    /// <summary>Whether the master runs on this machine (<c>local</c>, <c>local[N]</c>, <c>local[*]</c>).</summary>
    internal bool IsLocalMaster => Master == "local" || Master.StartsWith("local[", StringComparison.Ordinal);
}
