namespace SparkTfrecord.Spec.Statistics;

/// <summary>A string feature's value counts: the most frequent values (see docs/report.md for the bound on their error).</summary>
/// <param name="TotalValues">Values seen (all records, all positions).</param>
/// <param name="Top">The most frequent values, highest count first (at most <see cref="Limit"/>).</param>
public sealed record StringValues(long TotalValues, IReadOnlyList<ValueCount> Top)
{
    /// <summary>The most values kept (TFDV's default rank histogram size).</summary>
    public const int Limit = 1000;
}
