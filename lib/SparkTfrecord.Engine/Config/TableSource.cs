namespace SparkTfrecord.Engine.Config;

/// <summary>
/// A source read from the metastore (<c>table: db.name</c>) instead of files, as production Spark jobs read their
/// inputs; only the Spark engine reads one. A partitioned table is pruned to the days the job needs.
/// </summary>
/// <param name="Parts">The table's name split at its dots: <c>[name]</c>, <c>[db, name]</c> or <c>[catalog, db, name]</c>.</param>
/// <param name="Partition">The date partitions read, or null for a table read whole (a profile table).</param>
internal sealed record TableSource(IReadOnlyList<string> Parts, PartitionConfig? Partition)
{
    /// <summary>The name as written in the job (<c>db.name</c>).</summary>
    public string Name => string.Join('.', Parts);

    /// <summary>
    /// Refuses a table source on the embedded engine, which reads files only: the message names the source and the path
    /// form to write instead.
    /// </summary>
    /// <param name="definition">The job.</param>
    /// <exception cref="JobConfigException">A source is a table.</exception>
    public static void RefuseOnEmbeddedEngine(JobDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.Job.Sources.Values.FirstOrDefault(s => s.Table is not null) is { } source)
        {
            throw new JobConfigException(EmbeddedRefusal(definition.File, source));
        }
    }

    /// <summary>Why the embedded engine cannot read <paramref name="source"/> and what to write instead.</summary>
    public static string EmbeddedRefusal(string? file, SourceConfig source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var table = source.Table!;
        string dayPart = table.Partition is { } p ? $"/{p.Column}={p.Days}" : "";
        return $"{(file is null ? "" : file + ": ")}source '{source.Name}' reads the metastore table {table.Name} (table:), which only --engine spark can read; the embedded engine reads files: " +
               $"write the source as a path to the table's files instead, for example path: \"{{input}}/.../{table.Parts[^1]}{dayPart}\" " +
               "(a path template: {input}, {date}, day ranges such as {date-15d..date+1d}; see docs/job.md), or run it with --engine spark.";
    }
}
