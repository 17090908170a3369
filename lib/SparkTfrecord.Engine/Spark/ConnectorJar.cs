using System.Text.RegularExpressions;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Engines;

namespace SparkTfrecord.Engine.Spark;

/// <summary>A connector jar's Maven coordinates for a Spark and Scala version (a row of <c>jars/connectors.tsv</c>).</summary>
/// <param name="Connector">linkedin or tensorflow.</param>
/// <param name="Spark">Spark major.minor.</param>
/// <param name="Scala">Scala binary version.</param>
/// <param name="Coordinates">group:artifact:version, or null when nothing is published for that Spark.</param>
/// <param name="Status">targets, nearest or none.</param>
internal sealed record ConnectorJar(string Connector, string Spark, string Scala, string? Coordinates, string Status)
{
    /// <summary>Reads <c>jars/connectors.tsv</c>.</summary>
    /// <param name="tsv">The file's text.</param>
    /// <returns>The rows.</returns>
    public static IReadOnlyList<ConnectorJar> Parse(string tsv)
    {
        ArgumentNullException.ThrowIfNull(tsv);
        var rows = new List<ConnectorJar>();
        foreach (string line in tsv.Split('\n'))
        {
            string l = line.TrimEnd('\r');
            if (l.Length == 0 || l.StartsWith('#') || l.StartsWith("connector\t", StringComparison.Ordinal))
            {
                continue;
            }

            string[] f = l.Split('\t');
            if (f.Length < 7)
            {
                continue;
            }

            rows.Add(new ConnectorJar(f[0], f[1], f[2], f[3] == "-" ? null : $"{f[3]}:{f[4]}:{f[5]}", f[6]));
        }

        return rows;
    }

    /// <summary>Picks the jar for a connector and Spark version: the row for that Spark and Scala version (Scala 2.12
    /// when unknown, else the first listed).</summary>
    /// <param name="rows">The table.</param>
    /// <param name="connector">The connector.</param>
    /// <param name="version">The Spark version.</param>
    /// <returns>The row.</returns>
    /// <exception cref="EngineSetupException">No jar fits (<see cref="EngineSetupProblem.SparkConnectorJar"/>); the message says what to do.</exception>
    public static ConnectorJar Choose(IReadOnlyList<ConnectorJar> rows, SparkConnector connector, SparkVersion version)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(version);
        string name = connector == SparkConnector.LinkedIn ? "linkedin" : "tensorflow";
        string spark = $"{version.Major}.{version.Minor}";
        var candidates = rows.Where(r => r.Connector == name && r.Spark == spark).ToList();
        var row = candidates.FirstOrDefault(r => r.Scala == version.Scala)
                  ?? candidates.FirstOrDefault(r => version.Scala is null && r.Scala == "2.12")
                  ?? (version.Scala is null ? candidates.FirstOrDefault() : null);
        string supported = string.Join(", ", rows.Where(r => r.Connector == name && r.Coordinates is not null).Select(r => $"{r.Spark}/{r.Scala}").Distinct());
        if (row is null || row.Coordinates is null)
        {
            throw new EngineSetupException(EngineSetupProblem.SparkConnectorJar,
                $"the {name} connector has no jar for Spark {version} (jars/connectors.tsv lists {supported}): use --writer native, " +
                $"or give a jar you trust with --spark-conf spark.jars=PATH.");
        }

        return row;
    }
}
