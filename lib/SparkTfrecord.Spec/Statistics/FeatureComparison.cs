namespace SparkTfrecord.Spec.Statistics;

/// <summary>One distance between a feature's distribution and the baseline's, and its threshold.</summary>
/// <param name="Feature">The feature's name.</param>
/// <param name="Metric"><c>infinity_norm</c> or <c>jensen_shannon_divergence</c>.</param>
/// <param name="Of">What was compared: <c>values</c> or <c>values per record</c>.</param>
/// <param name="Distance">The distance, in [0, 1].</param>
/// <param name="Threshold">The spec's threshold.</param>
/// <param name="MostChanged">For the L-infinity distance, the value whose share changed most; else null.</param>
public sealed record FeatureComparison(string Feature, string Metric, string Of, double Distance, double Threshold, string? MostChanged)
{
    /// <summary>Whether the distance is over the threshold (an anomaly).</summary>
    public bool Exceeded => Distance > Threshold;

    /// <summary>TFDV's anomaly name for an exceeded threshold.</summary>
    public string AnomalyType => Metric == StatisticsComparison.InfinityNormMetric ? "COMPARATOR_L_INFTY_HIGH" : "COMPARATOR_JENSEN_SHANNON_DIVERGENCE_HIGH";

    /// <summary>One line for the user: the feature, the distance, the threshold.</summary>
    public string Describe(ComparisonMode mode) =>
        $"feature '{Feature}': {AnomalyType}: the {(Metric == StatisticsComparison.InfinityNormMetric ? "L-infinity distance" : "Jensen-Shannon divergence")} of its {Of} from the baseline is " +
        $"{Distance.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture)}, over the {(mode == ComparisonMode.Drift ? "drift" : "skew")} threshold {Metric} {Threshold.ToString(System.Globalization.CultureInfo.InvariantCulture)}" +
        (MostChanged is { } v ? $" (the share of \"{v}\" changed most)" : "");
}
