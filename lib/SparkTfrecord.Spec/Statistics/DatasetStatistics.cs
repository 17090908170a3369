namespace SparkTfrecord.Spec.Statistics;

/// <summary>
/// A dataset's statistics: what <c>validate --save-stats</c> writes (<see cref="StatisticsJson"/>), what the HTML
/// report draws and what <c>--baseline</c> compares against.
/// </summary>
/// <param name="Dataset">What was read (the paths given).</param>
/// <param name="Records">Records read.</param>
/// <param name="SpecHash">The spec's hash (<c>sparktf spec</c>'s), or null for a TFDV schema.</param>
/// <param name="Created">When the statistics were computed (UTC, ISO 8601).</param>
/// <param name="Features">The declared features in declaration order.</param>
public sealed record DatasetStatistics(
    string Dataset,
    long Records,
    string? SpecHash,
    string Created,
    IReadOnlyList<FeatureStatistics> Features)
{
    /// <summary>The feature of that name, or null.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The feature's statistics.</returns>
    public FeatureStatistics? Find(string name) => Features.FirstOrDefault(f => f.Name == name);

    /// <summary>The statistics of a validation whose validator gathered them (see <see cref="Validation.DatasetValidator"/>).</summary>
    /// <param name="report">The validation's report.</param>
    /// <param name="dataset">What was read.</param>
    /// <param name="specHash">The spec's hash, or null.</param>
    /// <param name="created">When.</param>
    /// <returns>The statistics of the declared features.</returns>
    public static DatasetStatistics Of(Validation.ValidationReport report, string dataset, string? specHash, DateTimeOffset created)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new DatasetStatistics(
            dataset,
            report.Records,
            specHash,
            created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            [.. report.Features.Where(f => f.Statistics is not null).Select(f => f.Statistics!)]);
    }
}
