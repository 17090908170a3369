namespace SparkTfrecord.Engine.Config;

/// <summary>One input table: where its files are, how to read them, and its keys.</summary>
/// <param name="Name">The source's name in the job (impressions, clicks, users, items, ...).</param>
/// <param name="PathTemplate">The path template, with <c>{input}</c>, <c>{date}</c> and ranges such as <c>{date-15d..date}</c>;
/// empty for a <see cref="Table"/> source.</param>
/// <param name="Format">The file format.</param>
/// <param name="Csv">CSV options (only for <see cref="SourceFormat.Csv"/>).</param>
/// <param name="Time">The time column of an event source, or null for a profile table.</param>
/// <param name="Key">The key column of a profile table (users, items), or null for an event source.</param>
/// <param name="Dedup">The columns that identify a duplicate event (the earliest copy survives); empty for none.</param>
/// <param name="Rename">Logical column name to the column's name in the files.</param>
/// <param name="Columns">The columns of the source the job declares it reads; filled in from the rules.</param>
/// <param name="Table">The metastore table read instead of files (<see cref="PathTemplate"/> is then empty), or null.</param>
/// <param name="AsOf">The version time of a versioned keyed table (<c>as_of:</c>), or null: each row is a version of its
/// key from that instant on, and a sample joins the latest version at or before its own time (docs/job.md).</param>
internal sealed record SourceConfig(
    string Name,
    string PathTemplate,
    SourceFormat Format,
    CsvOptions Csv,
    TimeColumn? Time,
    string? Key,
    IReadOnlyList<string> Dedup,
    IReadOnlyDictionary<string, string> Rename,
    IReadOnlyList<string> Columns,
    TableSource? Table = null,
    TimeColumn? AsOf = null)
{
    /// <summary>The column read as the row's time (<c>__ts</c>): an event's time, a version's as-of time, or null.</summary>
    public TimeColumn? RowTime => Time ?? AsOf;
}
