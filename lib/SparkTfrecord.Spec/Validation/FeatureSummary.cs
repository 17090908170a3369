using System.Globalization;

namespace SparkTfrecord.Spec.Validation;

/// <summary>The statistics and anomalies of one feature.</summary>
/// <param name="Name">The feature's name.</param>
/// <param name="Kind">The list kind seen: int64, float, bytes, mixed, or none.</param>
/// <param name="Known">False for a feature the spec or schema does not declare.</param>
/// <param name="Present">Records that have the feature.</param>
/// <param name="ValuesMin">Fewest values in a record that has it.</param>
/// <param name="ValuesMean">Mean values per record that has it.</param>
/// <param name="ValuesMax">Most values in a record that has it.</param>
/// <param name="Min">Smallest number (long or double), or null.</param>
/// <param name="Max">Largest number (long or double), or null.</param>
/// <param name="DistinctApprox">Approximate distinct count of bytes values (HyperLogLog), or null.</param>
/// <param name="Anomalies">The anomalies.</param>
public sealed record FeatureSummary(
    string Name,
    string Kind,
    bool Known,
    long Present,
    long? ValuesMin,
    double? ValuesMean,
    long? ValuesMax,
    object? Min,
    object? Max,
    long? DistinctApprox,
    IReadOnlyList<Anomaly> Anomalies)
{
    /// <summary>The feature's distributions (histograms, quantiles, top values), when the validator was asked for them.</summary>
    public Statistics.FeatureStatistics? Statistics { get; init; }

    internal static string FormatNumber(object? value) => value switch
    {
        null => "-",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("G7", CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "-",
    };
}
