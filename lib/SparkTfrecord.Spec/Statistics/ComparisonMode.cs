namespace SparkTfrecord.Spec.Statistics;

/// <summary>Which of a feature's thresholds a comparison applies (TFDV's comparator semantics).</summary>
public enum ComparisonMode
{
    /// <summary><c>drift:</c> this span against the previous span (yesterday's data, the previous day's output).</summary>
    Drift,

    /// <summary><c>skew:</c> training data against serving data (logged requests).</summary>
    Skew,
}
