using System.Text;

namespace SparkTfrecord.Engine.Spark;

/// <summary>
/// What the launcher carries inside the library (embedded resources, so the single-file build needs nothing beside it):
/// the PySpark runner submitted in cluster mode and the connector jars' coordinates.
/// </summary>
internal static class SparkResources
{
    /// <summary>submit/spark_sql_runner.py: runs the script's statements in the driver and writes the report file.</summary>
    public const string Runner = "spark_sql_runner.py";

    /// <summary>jars/connectors.tsv: the connector jar for each connector, Spark and Scala version.</summary>
    public const string Connectors = "connectors.tsv";

    /// <summary>A resource's text.</summary>
    /// <exception cref="InvalidOperationException">The resource is not in the assembly: a broken build.</exception>
    public static string Text(string name)
    {
        using var stream = typeof(SparkResources).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the resource {name} is missing from {typeof(SparkResources).Assembly.GetName().Name}: the build is broken.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
