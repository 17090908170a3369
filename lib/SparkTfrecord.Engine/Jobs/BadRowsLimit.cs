using System.Globalization;
using SparkTfrecord.Engine.Sql;

namespace SparkTfrecord.Engine.Jobs;

/// <summary>
/// The bad-rows limit, one rule for both engines (the embedded job's counts and those Spark reports, by the same names
/// <c>read.SOURCE</c> and <c>quarantined.SOURCE</c>): a run fails when rows were read and bad / read is above
/// <c>quarantine.max_bad_fraction</c>.
/// </summary>
internal static class BadRowsLimit
{
    /// <summary>All rows read and bad: the sums of the per-source <c>read.SOURCE</c> and <c>quarantined.SOURCE</c>
    /// counts (the summary's rows_read and quarantined).</summary>
    public static (long Read, long Bad) Totals(IReadOnlyDictionary<string, long> counts) =>
        (counts.Where(c => c.Key.StartsWith(RunCounts.ReadPrefix, StringComparison.Ordinal)).Sum(c => c.Value),
         counts.Where(c => c.Key.StartsWith(RunCounts.QuarantinedPrefix, StringComparison.Ordinal)).Sum(c => c.Value));

    /// <summary>Whether the bad rows are above the limit.</summary>
    public static bool OverLimit(IReadOnlyDictionary<string, long> counts, double maxBad)
    {
        var (read, bad) = Totals(counts);
        return read > 0 && (double)bad / read > maxBad;
    }

    /// <summary>The error of a run stopped by the bad-rows check, with the counts when Spark printed them.</summary>
    /// <param name="counts">The input counts, or null when Spark's log is all there is.</param>
    /// <param name="maxBad">The limit.</param>
    /// <param name="what">What happened to the output, a sentence.</param>
    public static string TooMany(IReadOnlyDictionary<string, long>? counts, double maxBad, string what)
    {
        string limit = maxBad.ToString("R", CultureInfo.InvariantCulture);
        string found;
        if (counts is not null)
        {
            var (read, bad) = Totals(counts);
            var sources = counts.Keys.Where(k => k.StartsWith(RunCounts.ReadPrefix, StringComparison.Ordinal)).Select(k => k[RunCounts.ReadPrefix.Length..])
                .Select(s => $"{s} {counts.GetValueOrDefault(RunCounts.Quarantined(s))} of {counts[RunCounts.Read(s)]}");
            string fraction = read > 0 ? (100.0 * bad / read).ToString("0.###", CultureInfo.InvariantCulture) + "%" : "0%";
            found = $"{bad} of {read} input rows are bad ({fraction}: {string.Join(", ", sources)})";
        }
        else
        {
            found = $"more than {limit} of the input rows are bad (the counts are in Spark's log)";
        }

        return $"too many bad input rows: {found}, above the limit of {limit} (quarantine.max_bad_fraction or --max-bad-fraction). " +
               what + " " +
               "Fix the bad rows (null keys, unparsable times, malformed lines: the embedded engine, --engine duckdb, lists them with their reasons in its quarantine), " +
               "or raise --max-bad-fraction if they may be dropped.";
    }
}
