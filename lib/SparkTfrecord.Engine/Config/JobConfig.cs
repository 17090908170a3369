namespace SparkTfrecord.Engine.Config;

/// <summary>The <c>job:</c> section of a feature spec file: everything the jobs need besides the features.</summary>
/// <param name="File">The file it was read from (for messages).</param>
/// <param name="Sources">The sources by name.</param>
/// <param name="Samples">The source whose rows become samples (the impressions).</param>
/// <param name="TimeZone">The zone in which days are cut and derived time features computed: its IANA name as written,
/// which the SQL engines are given.</param>
/// <param name="Zone">The same zone, resolved once when the config was read, for the job's own date arithmetic.</param>
/// <param name="Label">The primary label's rule (the only one, or the one <c>labels.primary</c> names: negative
/// down-sampling, the weights and <c>positives</c> use it), or null when the job has no label.</param>
/// <param name="LabelFeature">The primary label feature's name, or null.</param>
/// <param name="Histories">The history features.</param>
/// <param name="Columns">The other features.</param>
/// <param name="Sampling">Down-sampling and split.</param>
/// <param name="Output">The writer's layout.</param>
/// <param name="MaxBadFraction">The fraction of bad input rows above which the job fails.</param>
/// <param name="Checks">The day's sanity checks (<c>checks:</c>); null is <see cref="DayChecksConfig.Default"/>.</param>
/// <param name="State">The incremental state's folder (<c>state:</c>, a path template with <c>{input}</c> and no day), or null.</param>
internal sealed record JobConfig(
    string File,
    IReadOnlyDictionary<string, SourceConfig> Sources,
    string Samples,
    string TimeZone,
    TimeZoneInfo Zone,
    LabelRule? Label,
    string? LabelFeature,
    IReadOnlyList<HistoryRule> Histories,
    IReadOnlyList<ColumnRule> Columns,
    SamplingConfig Sampling,
    OutputConfig Output,
    double MaxBadFraction,
    DayChecksConfig? Checks = null,
    string? State = null)
{
    /// <summary>Every label rule (<c>label:</c> gives one, <c>labels:</c> several), the primary among them, in the order
    /// written; each is evaluated independently.</summary>
    public IReadOnlyList<LabelRule> Labels { get; init; } = Label is null ? [] : [Label];
}
