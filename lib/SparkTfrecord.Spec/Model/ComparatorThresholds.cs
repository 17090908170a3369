namespace SparkTfrecord.Spec;

/// <summary>
/// A feature's <c>drift:</c> or <c>skew:</c> thresholds (TFDV's <c>FeatureComparator</c>): the largest distance between
/// this dataset's distribution and the baseline's that is not an anomaly. See docs/report.md for the formulas.
/// </summary>
/// <param name="InfinityNorm">The largest L-infinity distance of the normalized value counts (categorical values:
/// strings and int64s), or null for no check.</param>
/// <param name="JensenShannonDivergence">The largest Jensen-Shannon divergence of the histograms (a number feature's
/// values; a string list's values per record), or null for no check.</param>
public sealed record ComparatorThresholds(double? InfinityNorm, double? JensenShannonDivergence);
