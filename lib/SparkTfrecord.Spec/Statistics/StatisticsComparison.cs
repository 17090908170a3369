using System.Globalization;
using SparkTfrecord.Spec.Validation;

namespace SparkTfrecord.Spec.Statistics;

/// <summary>
/// The distances TFDV's skew and drift comparators use (formulas in docs/report.md): the L-infinity distance of two
/// normalized value-count vectors, and the Jensen-Shannon divergence of two histograms after aligning their buckets.
/// </summary>
public static class StatisticsComparison
{
    /// <summary>The L-infinity metric's name (the spec's key).</summary>
    public const string InfinityNormMetric = "infinity_norm";

    /// <summary>The Jensen-Shannon metric's name (the spec's key).</summary>
    public const string JensenShannonMetric = "jensen_shannon_divergence";

    /// <summary>
    /// max over values v of |p(v) - q(v)|, where p and q are each side's counts divided by that side's total (an
    /// empty side has p = 0 everywhere: two empty sides are 0 apart).
    /// </summary>
    /// <param name="a">One side's value counts.</param>
    /// <param name="b">The other's.</param>
    /// <param name="mostChanged">The value where the largest difference is (the last of equals in ordinal order, as TFDV), or null.</param>
    /// <returns>The distance, in [0, 1].</returns>
    public static double InfinityNorm(IReadOnlyList<ValueCount> a, IReadOnlyList<ValueCount> b, out string? mostChanged)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var p = Normalized(a);
        var q = Normalized(b);
        double best = 0;
        mostChanged = null;
        foreach (string value in p.Keys.Union(q.Keys).Order(StringComparer.Ordinal))
        {
            double difference = Math.Abs(p.GetValueOrDefault(value) - q.GetValueOrDefault(value));
            if (difference >= best)
            {
                best = difference;
                mostChanged = value;
            }
        }

        return best;
    }

    /// <summary>
    /// JSD(P, Q) = (KL(P || M) + KL(Q || M)) / 2 with M = (P + Q) / 2 and KL(P || M) = sum p log2(p / m), over the two
    /// histograms aligned as TFDV aligns them (docs/report.md), capped at 1. Two empty histograms are 0 apart; an empty
    /// one is 1 from any other.
    /// </summary>
    /// <param name="a">One side's distribution.</param>
    /// <param name="b">The other's.</param>
    /// <returns>The divergence, in [0, 1].</returns>
    public static double JensenShannonDivergence(Distribution a, Distribution b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var (p, q) = Align(a, b);
        double totalP = p.Sum();
        double totalQ = q.Sum();
        if (totalP == 0 || totalQ == 0)
        {
            return totalP == totalQ ? 0 : 1;
        }

        double result = 0;
        for (int i = 0; i < p.Count; i++)
        {
            double pi = p[i] / totalP;
            double qi = q[i] / totalQ;
            double m = (pi + qi) / 2;
            result += (Kl(pi, m) + Kl(qi, m)) / 2;
        }

        return Math.Min(result, 1.0);
    }

    /// <summary>
    /// Prints the comparisons as <c>sparktf validate --baseline</c> shows them: one line per distance (OVER when past its
    /// threshold), one <c>anomaly:</c> line per distance over, and a verdict; with no threshold declared, a note instead.
    /// </summary>
    /// <param name="output">Where the comparison goes (the command's data output).</param>
    /// <param name="notes">Where the note about no thresholds goes (the command's messages).</param>
    /// <param name="comparisons">The comparisons.</param>
    /// <param name="mode">Which thresholds applied.</param>
    /// <param name="baseline">The baseline compared with.</param>
    /// <returns>How many distances are over their thresholds.</returns>
    public static int WriteText(TextWriter output, TextWriter notes, IReadOnlyList<FeatureComparison> comparisons, ComparisonMode mode, DatasetStatistics baseline)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(notes);
        ArgumentNullException.ThrowIfNull(comparisons);
        ArgumentNullException.ThrowIfNull(baseline);
        string thresholds = mode == ComparisonMode.Drift ? "drift" : "skew";
        if (comparisons.Count == 0)
        {
            notes.WriteLine($"sparktf: validate: the spec declares no {thresholds}: thresholds, so nothing was compared with the baseline {baseline.Dataset}");
            return 0;
        }

        output.WriteLine($"compared with {baseline.Dataset} ({baseline.Records} records), {thresholds} thresholds:");
        foreach (FeatureComparison c in comparisons)
        {
            output.WriteLine($"  {c.Feature}: {c.Metric} of {c.Of} {c.Distance.ToString("0.####", CultureInfo.InvariantCulture)} (threshold {c.Threshold.ToString(CultureInfo.InvariantCulture)}){(c.Exceeded ? " OVER" : "")}");
        }

        foreach (FeatureComparison c in comparisons.Where(c => c.Exceeded))
        {
            output.WriteLine($"anomaly: {c.Describe(mode)}");
        }

        int exceeded = comparisons.Count(c => c.Exceeded);
        output.WriteLine(exceeded == 0 ? "comparison: within the thresholds" : $"comparison: {exceeded} distance(s) over the thresholds");
        return exceeded;
    }

    /// <summary>Compares each feature with a threshold in the rules against the baseline's statistics.</summary>
    /// <param name="current">This dataset.</param>
    /// <param name="baseline">The baseline.</param>
    /// <param name="rules">The rules whose features declare thresholds.</param>
    /// <param name="mode">Which thresholds apply.</param>
    /// <returns>One comparison per threshold of a feature both sides have.</returns>
    public static IReadOnlyList<FeatureComparison> Compare(DatasetStatistics current, DatasetStatistics baseline, ValidationRules rules, ComparisonMode mode)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(rules);
        var result = new List<FeatureComparison>();
        foreach (ExpectedFeature e in rules.Features)
        {
            if ((mode == ComparisonMode.Drift ? e.Drift : e.Skew) is not { } thresholds || current.Find(e.Name) is not { } now || baseline.Find(e.Name) is not { } before)
            {
                continue;
            }

            if (thresholds.InfinityNorm is { } infinity)
            {
                double distance = InfinityNorm(now.Strings?.Top ?? [], before.Strings?.Top ?? [], out string? value);
                result.Add(new FeatureComparison(e.Name, InfinityNormMetric, "values", distance, infinity, value));
            }

            if (thresholds.JensenShannonDivergence is { } jensen)
            {
                // A number feature's values; a string list has no numbers, so its values per record (its length).
                bool lengths = now.Numbers is null || before.Numbers is null;
                double distance = lengths
                    ? JensenShannonDivergence(now.ValuesPerRecord, before.ValuesPerRecord)
                    : JensenShannonDivergence(now.Numbers!, before.Numbers!);
                result.Add(new FeatureComparison(e.Name, JensenShannonMetric, lengths ? "values per record" : "values", distance, jensen, null));
            }
        }

        return result;
    }

    private static double Kl(double p, double m) => p > 0 && m > 0 ? p * Math.Log2(p / m) : 0;

    private static Dictionary<string, double> Normalized(IReadOnlyList<ValueCount> counts)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        double total = counts.Sum(c => (double)c.Count);
        if (total == 0)
        {
            return result;
        }

        foreach (ValueCount c in counts)
        {
            result[c.Value] = result.GetValueOrDefault(c.Value) + (c.Count / total);
        }

        return result;
    }

    // TFDV's alignment: point buckets (low = high) aside; the other buckets re-cut at the union of both sides' bounds,
    // each bucket's count spread evenly over its width; then one bucket per point value; then infinities as a bucket
    // each side alone has; then NaN (one bucket both share: docs/report.md says why this differs from TFDV).
    private static (List<double> P, List<double> Q) Align(Distribution a, Distribution b)
    {
        var bounds = new SortedSet<double>();
        foreach (HistogramBucket bucket in a.Histogram.Concat(b.Histogram).Where(x => x.Low != x.High))
        {
            bounds.Add(bucket.Low);
            bounds.Add(bucket.High);
        }

        double[] edges = [.. bounds];
        var points = new SortedSet<double>(a.Histogram.Concat(b.Histogram).Where(x => x.Low == x.High).Select(x => x.Low));
        var p = Aligned(a, edges, points);
        var q = Aligned(b, edges, points);
        if (a.Infinities != 0)
        {
            p.Add(a.Infinities);
            q.Add(0);
        }

        if (b.Infinities != 0)
        {
            p.Add(0);
            q.Add(b.Infinities);
        }

        if (a.NaN > 0 || b.NaN > 0)
        {
            p.Add(a.NaN);
            q.Add(b.NaN);
        }

        return (p, q);
    }

    private static List<double> Aligned(Distribution d, double[] edges, SortedSet<double> points)
    {
        var result = new List<double>(new double[Math.Max(0, edges.Length - 1)]);
        foreach (HistogramBucket bucket in d.Histogram.Where(x => x.Low != x.High))
        {
            int start = Array.BinarySearch(edges, bucket.Low);
            for (int j = start; j < edges.Length - 1 && edges[j + 1] <= bucket.High; j++)
            {
                result[j] += bucket.Count * (edges[j + 1] - edges[j]) / (bucket.High - bucket.Low);
            }
        }

        foreach (double point in points)
        {
            result.Add(d.Histogram.Where(x => x.Low == x.High && x.Low == point).Sum(x => x.Count));
        }

        return result;
    }
}
