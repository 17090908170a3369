using SparkTfrecord.Engine.Config;

namespace SparkTfrecord.Engine.Generation;

/// <summary>Options of <see cref="LogGenerator"/>.</summary>
public sealed class LogGeneratorOptions
{
    /// <summary>The folder to write (impressions/, clicks/, users/, items/ below it).</summary>
    public required string Output { get; init; }

    /// <summary>The last day written. A job of day D reads D+1's partitions too (late clicks and copies), so its logs
    /// end with D+1.</summary>
    public required DateOnly Date { get; init; }

    /// <summary>Days of impressions and clicks, ending with <see cref="Date"/>; clicks also spill into the next day.</summary>
    public int Days { get; init; } = 16;

    /// <summary>Impressions per day (before duplicates).</summary>
    public int ImpressionsPerDay { get; init; } = 10_000;

    /// <summary>Number of users.</summary>
    public int Users { get; init; } = 1_000;

    /// <summary>Number of items.</summary>
    public int Items { get; init; } = 500;

    /// <summary>The random seed; the same options give the same files.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The file format.</summary>
    public SourceFormat Format { get; init; } = SourceFormat.Parquet;

    /// <summary>
    /// Write impressions for only the last this many days (0: every day); earlier days' impressions are still drawn,
    /// to make their clicks, but not written (a job of day D reads the impressions of D and D+1 and the clicks of D-15 to D+1).
    /// </summary>
    public int ImpressionDays { get; init; }

    /// <summary>
    /// Impressions per day drawn for the days whose impressions are not written (before the last
    /// <see cref="ImpressionDays"/> days; null: <see cref="ImpressionsPerDay"/>). Those days exist for their clicks, the
    /// history a job reads: fewer drawn impressions give a long history (many days of clicks, the same users and items,
    /// with their late clicks, clicks without an impression and clicks past midnight) in a fraction of the time, while the
    /// written days keep <see cref="ImpressionsPerDay"/>. Needs <see cref="ImpressionDays"/> above 0.
    /// </summary>
    public int? HistoryImpressionsPerDay { get; init; }

    /// <summary>The fraction of impression and click rows made bad (null key or null time).</summary>
    public double BadRowFraction { get; init; }

    /// <summary>The zone in which partitions are cut by local date.</summary>
    public string TimeZone { get; init; } = "Asia/Shanghai";

    /// <summary>The fraction of impressions clicked.</summary>
    public double ClickThroughRate { get; init; } = 0.04;
}
