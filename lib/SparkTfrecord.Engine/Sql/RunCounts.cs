namespace SparkTfrecord.Engine.Sql;

/// <summary>
/// The names of a run's counts, and the counts derived from others: the one place that spells them for the embedded
/// engine's statistics, the Spark script's report, the summary and the manifest. A count of a source, table or
/// feature is <c>kind.NAME</c>; its column in a row of counts is <c>kind_NAME</c>.
/// </summary>
internal static class RunCounts
{
    /// <summary>Samples made (before down-sampling).</summary>
    public const string Samples = "samples";

    /// <summary>Samples written.</summary>
    public const string Written = "written";

    /// <summary>Samples written whose label is 1.</summary>
    public const string Positives = "positives";

    /// <summary>The kind of one label's positives among the samples written (<c>positives.LABEL</c>), counted for each
    /// label when a job has several (issue 13); <see cref="Positives"/> is the primary label's.</summary>
    public const string PositivesKind = Positives;

    /// <summary>Samples written to the eval split.</summary>
    public const string Eval = "eval";

    /// <summary>Rows of the samples source outside the run date.</summary>
    public const string OutsideDay = "outside_day";

    /// <summary>Negative samples dropped by down-sampling (<see cref="Samples"/> less <see cref="Written"/>).</summary>
    public const string NegativesDropped = "negatives_dropped";

    /// <summary>The kind of a source's rows read (<c>read.SOURCE</c>).</summary>
    public const string ReadKind = "read";

    /// <summary>The kind of a source's bad (quarantined) rows (<c>quarantined.SOURCE</c>).</summary>
    public const string QuarantinedKind = "quarantined";

    /// <summary>The kind of a source's duplicate rows dropped (<c>duplicates.SOURCE</c>).</summary>
    public const string DuplicatesKind = "duplicates";

    /// <summary>The kind of a joined table's missing profiles (<c>missing.TABLE</c>).</summary>
    public const string MissingKind = "missing";

    /// <summary>The kind of a feature's invalid values (<c>invalid.FEATURE</c>): written samples whose source value was
    /// present but did not convert to the feature's kind, so the feature has its default.</summary>
    public const string InvalidKind = "invalid";

    /// <summary>The prefix of a feature's invalid values.</summary>
    public const string InvalidPrefix = InvalidKind + ".";

    /// <summary>The prefix of a source's rows read.</summary>
    public const string ReadPrefix = ReadKind + ".";

    /// <summary>The prefix of a source's bad (quarantined) rows.</summary>
    public const string QuarantinedPrefix = QuarantinedKind + ".";

    /// <summary>The prefix of a source's duplicate rows dropped.</summary>
    public const string DuplicatesPrefix = DuplicatesKind + ".";

    /// <summary>The prefix of a joined table's missing profiles.</summary>
    public const string MissingPrefix = MissingKind + ".";

    /// <summary>The prefix of the per-history statistics (left out of the manifest).</summary>
    public const string HistoryPrefix = "history_";

    /// <summary>The shortest history of a feature (<c>history_min.FEATURE</c>; the Spark script reports it).</summary>
    public const string HistoryMin = HistoryPrefix + "min";

    /// <summary>The sum of a feature's history lengths (<c>history_sum.FEATURE</c>), for the mean.</summary>
    public const string HistorySum = HistoryPrefix + "sum";

    /// <summary>The longest history of a feature (<c>history_max.FEATURE</c>).</summary>
    public const string HistoryMax = HistoryPrefix + "max";

    /// <summary>A count column named after its count: <c>kind.NAME</c> becomes the column <c>kind_NAME</c>.</summary>
    /// <param name="kind">The count's kind (read, quarantined, missing, ...).</param>
    /// <param name="name">The source, table or feature, or null for a count of the run.</param>
    /// <param name="sql">The expression.</param>
    /// <returns>The column.</returns>
    public static CountColumn Column(string kind, string? name, string sql) =>
        name is null ? new CountColumn(kind, kind, sql) : new CountColumn($"{kind}.{name}", ColumnName(kind, name), sql);

    /// <summary>The column of the count <c>kind.NAME</c> in a row of counts: <c>kind_NAME</c>.</summary>
    /// <param name="kind">The count's kind.</param>
    /// <param name="name">The source, table or feature.</param>
    /// <returns>The column's name.</returns>
    public static string ColumnName(string kind, string name) => $"{kind}_{name}";

    /// <summary>A source's rows read.</summary>
    /// <param name="source">The source.</param>
    /// <returns>The count's name.</returns>
    public static string Read(string source) => ReadPrefix + source;

    /// <summary>A source's bad rows.</summary>
    /// <param name="source">The source.</param>
    /// <returns>The count's name.</returns>
    public static string Quarantined(string source) => QuarantinedPrefix + source;

    /// <summary>A source's duplicate rows dropped.</summary>
    /// <param name="source">The source.</param>
    /// <returns>The count's name.</returns>
    public static string Duplicates(string source) => DuplicatesPrefix + source;

    /// <summary>Adds the counts derived from others (<see cref="NegativesDropped"/>), where they are derived.</summary>
    /// <param name="counts">The counts an engine reported (<see cref="Written"/> among them).</param>
    public static void AddDerived(IDictionary<string, long> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        counts[NegativesDropped] = counts.GetValueOrDefault(Samples, counts[Written]) - counts[Written];
    }

    private static long GetValueOrDefault(this IDictionary<string, long> counts, string key, long fallback) =>
        counts.TryGetValue(key, out long v) ? v : fallback;
}
