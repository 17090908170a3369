namespace SparkTfrecord.Spec.Statistics;

/// <summary>
/// A distribution of numbers (a feature's values, or its values per record): count, range, mean, zeros, NaN and
/// infinities (not in the other figures), quantiles and a histogram of <see cref="HistogramBuckets"/> equal-width
/// buckets over [min, max] (TFDV's standard histogram), both from a bounded sketch (docs/report.md).
/// </summary>
/// <param name="Count">Finite numbers seen.</param>
/// <param name="Min">The smallest (NaN when none).</param>
/// <param name="Max">The largest (NaN when none).</param>
/// <param name="Mean">The mean (NaN when none).</param>
/// <param name="Zeros">How many are 0.</param>
/// <param name="NaN">NaN values seen.</param>
/// <param name="Infinities">Infinite values seen.</param>
/// <param name="Quantiles">The 0, 0.1, ..., 1 quantiles (nearest rank), or empty when none.</param>
/// <param name="Histogram">The histogram, or empty when none.</param>
public sealed record Distribution(
    long Count,
    double Min,
    double Max,
    double Mean,
    long Zeros,
    long NaN,
    long Infinities,
    IReadOnlyList<double> Quantiles,
    IReadOnlyList<HistogramBucket> Histogram)
{
    /// <summary>Buckets of the histogram (TFDV's default).</summary>
    public const int HistogramBuckets = 10;

    /// <summary>Quantiles given: 0, 1/(N-1), ..., 1.</summary>
    public const int QuantileCount = 11;

    internal static Distribution Of(ValueSketch sketch, long nan, long infinities)
    {
        if (sketch.Count == 0)
        {
            return new Distribution(0, double.NaN, double.NaN, double.NaN, 0, nan, infinities, [], []);
        }

        var buckets = sketch.Buckets().ToList();
        var quantiles = new double[QuantileCount];
        for (int i = 0; i < QuantileCount; i++)
        {
            // Nearest rank: the smallest value with at least ceil(q * count) values at or below it.
            double q = (double)i / (QuantileCount - 1);
            long rank = Math.Max(1, (long)Math.Ceiling(q * sketch.Count));
            long seen = 0;
            foreach ((double value, long count) in buckets)
            {
                seen += count;
                if (seen >= rank)
                {
                    quantiles[i] = value;
                    break;
                }
            }
        }

        quantiles[0] = sketch.Min;
        quantiles[^1] = sketch.Max;
        return new Distribution(sketch.Count, sketch.Min, sketch.Max, sketch.Sum / sketch.Count, sketch.Zeros, nan, infinities, quantiles, EqualWidth(sketch, buckets));
    }

    private static List<HistogramBucket> EqualWidth(ValueSketch sketch, List<(double Value, long Count)> buckets)
    {
        double min = sketch.Min;
        double max = sketch.Max;
        if (min == max)
        {
            return [new HistogramBucket(min, max, sketch.Count)];
        }

        double width = (max - min) / HistogramBuckets;
        var counts = new double[HistogramBuckets];
        foreach ((double value, long count) in buckets)
        {
            int index = Math.Clamp((int)Math.Floor((value - min) / width), 0, HistogramBuckets - 1);
            counts[index] += count;
        }

        var result = new List<HistogramBucket>(HistogramBuckets);
        for (int i = 0; i < HistogramBuckets; i++)
        {
            result.Add(new HistogramBucket(min + (i * width), i == HistogramBuckets - 1 ? max : min + ((i + 1) * width), counts[i]));
        }

        return result;
    }
}
