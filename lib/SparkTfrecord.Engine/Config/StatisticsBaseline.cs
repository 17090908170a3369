namespace SparkTfrecord.Engine.Config;

/// <summary>The <c>baseline:</c> of a job's <c>checks:</c>: what a day's statistics are compared with before commit.</summary>
internal enum StatisticsBaseline
{
    /// <summary>No comparison (the default).</summary>
    None,

    /// <summary><c>previous_day</c>: the previous day's output's <c>_stats.json</c>, with the spec's <c>drift:</c> thresholds.</summary>
    PreviousDay,
}
