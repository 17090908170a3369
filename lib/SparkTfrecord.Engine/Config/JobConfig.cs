using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Engine.Config;

/// <summary>The file format of a source.</summary>
public enum SourceFormat
{
    /// <summary>Apache Parquet files.</summary>
    Parquet,

    /// <summary>Delimited text, with or without a header line.</summary>
    Csv,

    /// <summary>One JSON object per line.</summary>
    JsonLines,
}

/// <summary>How a source's time column is stored.</summary>
internal enum TimeUnit
{
    /// <summary>Integer seconds since the Unix epoch.</summary>
    Seconds,

    /// <summary>Integer milliseconds since the Unix epoch.</summary>
    Milliseconds,

    /// <summary>Integer microseconds since the Unix epoch.</summary>
    Microseconds,

    /// <summary>Timestamp text such as <c>2024-01-15 08:30:00</c>; text without a zone is read in the source's zone.</summary>
    Text,
}

/// <summary>A source's time column.</summary>
/// <param name="Column">The column (after renaming).</param>
/// <param name="Unit">How it is stored.</param>
/// <param name="Zone">For <see cref="TimeUnit.Text"/>: the zone that text without an offset is read in (IANA name).</param>
internal sealed record TimeColumn(string Column, TimeUnit Unit, string Zone);

/// <summary>Options of a CSV source.</summary>
/// <param name="Header">Whether the first line names the columns.</param>
/// <param name="Delimiter">The field delimiter.</param>
/// <param name="Columns">The column names when there is no header, in file order.</param>
internal sealed record CsvOptions(bool Header, char Delimiter, IReadOnlyList<string> Columns);

/// <summary>One input table: where its files are, how to read them, and its keys.</summary>
/// <param name="Name">The source's name in the job (impressions, clicks, users, items, ...).</param>
/// <param name="PathTemplate">The path template, with <c>{input}</c>, <c>{date}</c> and ranges such as <c>{date-15d..date}</c>.</param>
/// <param name="Format">The file format.</param>
/// <param name="Csv">CSV options (only for <see cref="SourceFormat.Csv"/>).</param>
/// <param name="Time">The time column of an event source, or null for a profile table.</param>
/// <param name="Key">The key column of a profile table (users, items), or null for an event source.</param>
/// <param name="Dedup">The columns that identify a duplicate event (the earliest copy survives); empty for none.</param>
/// <param name="Rename">Logical column name to the column's name in the files.</param>
/// <param name="Columns">The columns of the source the job declares it reads; filled in from the rules.</param>
internal sealed record SourceConfig(
    string Name,
    string PathTemplate,
    SourceFormat Format,
    CsvOptions Csv,
    TimeColumn? Time,
    string? Key,
    IReadOnlyList<string> Dedup,
    IReadOnlyDictionary<string, string> Rename,
    IReadOnlyList<string> Columns);

/// <summary>A column of a source: <c>source.column</c>.</summary>
/// <param name="Source">The source name.</param>
/// <param name="Column">The column name.</param>
internal sealed record ColumnRef(string Source, string Column)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Source}.{Column}";
}

/// <summary>The small set of derived features both engines render.</summary>
internal enum DerivedFunction
{
    /// <summary>The column as it is.</summary>
    None,

    /// <summary>Hour of day (0..23) of a time column, in the job's zone.</summary>
    HourOfDay,

    /// <summary>ISO day of week (1 = Monday .. 7 = Sunday) of a time column, in the job's zone.</summary>
    DayOfWeek,
}

/// <summary>How one output feature is computed from the sources.</summary>
/// <param name="Feature">The feature.</param>
/// <param name="Ref">The column it comes from.</param>
/// <param name="Function">The derivation applied.</param>
internal sealed record ColumnRule(string Feature, ColumnRef Ref, DerivedFunction Function);

/// <summary>
/// The label rule: an impression is positive when a click is attributed to it. A click is attributed to the latest
/// impression at or before it with the same <see cref="Match"/> columns, at most <see cref="Within"/> earlier; so one
/// click labels at most one impression and several clicks count once.
/// </summary>
/// <param name="Events">The click source.</param>
/// <param name="Match">Columns both sources share (request_id and item_id, or user_id and item_id).</param>
/// <param name="Within">How long after the impression a click may come.</param>
internal sealed record LabelRule(string Events, IReadOnlyList<string> Match, TimeSpan Within);

/// <summary>
/// A history feature: the values of the user's events in <c>[ts - window, ts)</c>, newest first, ties broken by value
/// ascending, at most <see cref="MaxLength"/>.
/// </summary>
/// <param name="Feature">The feature.</param>
/// <param name="Events">The event source.</param>
/// <param name="Value">The value: a column of the events, or of a profile table joined on its key.</param>
/// <param name="Window">The look-back window.</param>
/// <param name="MaxLength">The cap on the list's length.</param>
/// <param name="User">The column that names the user in both the events and the impressions.</param>
/// <param name="Missing">The value listed for an event whose value is missing (for example an item absent from the
/// items table, in a parallel history of categories), keeping parallel histories aligned; null drops such events.</param>
internal sealed record HistoryRule(string Feature, string Events, ColumnRef Value, TimeSpan Window, int MaxLength, string User, string? Missing = null);

/// <summary>Negative down-sampling and the train/eval split, both decided by <see cref="Hashing.ProjectHash"/>.</summary>
/// <param name="NegativeRate">The fraction of negatives kept (1 keeps all).</param>
/// <param name="EvalFraction">The fraction of samples put in the eval split (0 for no split).</param>
/// <param name="Salt">Mixed into the hashed key so that different jobs make independent decisions.</param>
/// <param name="Key">The columns of the impressions whose values are hashed.</param>
internal sealed record SamplingConfig(double NegativeRate, double EvalFraction, string Salt, IReadOnlyList<string> Key);

/// <summary>The native writer's layout.</summary>
/// <param name="Shards">The number of part files.</param>
/// <param name="Compression">none, gzip or zlib.</param>
/// <param name="ShardKey">The impression columns whose project hash picks the shard and orders records in it.</param>
internal sealed record OutputConfig(int Shards, TfRecordCompression Compression, IReadOnlyList<string> ShardKey);

/// <summary>The <c>job:</c> section of a feature spec file: everything the jobs need besides the features.</summary>
/// <param name="File">The file it was read from (for messages).</param>
/// <param name="Sources">The sources by name.</param>
/// <param name="Samples">The source whose rows become samples (the impressions).</param>
/// <param name="TimeZone">The zone in which days are cut and derived time features computed: its IANA name as written,
/// which the SQL engines are given.</param>
/// <param name="Zone">The same zone, resolved once when the config was read, for the job's own date arithmetic.</param>
/// <param name="Label">The label rule, or null when the spec has no label feature.</param>
/// <param name="LabelFeature">The label feature's name, or null.</param>
/// <param name="Histories">The history features.</param>
/// <param name="Columns">The other features.</param>
/// <param name="Sampling">Down-sampling and split.</param>
/// <param name="Output">The writer's layout.</param>
/// <param name="MaxBadFraction">The fraction of bad input rows above which the job fails.</param>
/// <param name="Checks">The day's sanity checks (<c>checks:</c>); null is <see cref="DayChecksConfig.Default"/>.</param>
internal sealed record JobConfig(
    string File,
    IReadOnlyDictionary<string, SourceConfig> Sources,
    string Samples,
    string TimeZone,
    TimeZoneInfo Zone,
    LabelRule? Label,
    string? LabelFeature,
    IReadOnlyList<HistoryRule> Histories,
    IReadOnlyList<ColumnRule> Columns,
    SamplingConfig Sampling,
    OutputConfig Output,
    double MaxBadFraction,
    DayChecksConfig? Checks = null);
