namespace SparkTfrecord.Spec.Statistics;

/// <summary>One bucket of a histogram: the values in [<paramref name="Low"/>, <paramref name="High"/>) (the last bucket
/// includes <paramref name="High"/>; a bucket with Low = High holds exactly that value).</summary>
/// <param name="Low">The bucket's low bound.</param>
/// <param name="High">The bucket's high bound.</param>
/// <param name="Count">The values in it.</param>
public sealed record HistogramBucket(double Low, double High, double Count);
