namespace SparkTfrecord.Engine.Config;

/// <summary>
/// The <c>checks:</c> of a job section: limits a day's counts must meet before its output is committed (see
/// <see cref="Jobs.DayChecks"/>). A day that fails them is not committed, so the previous output stays.
/// </summary>
/// <param name="MinSamples">The fewest samples a day may write (default 1: an empty day fails; 0 allows one).</param>
/// <param name="MaxOutsideDayFraction">The largest share of the samples source's rows (after quarantine and
/// de-duplication) whose time falls outside the run date, or null for no limit (the default: the shipped specs read
/// the next day's partition as well, so half their rows fall outside the day).</param>
internal sealed record DayChecksConfig(long MinSamples, double? MaxOutsideDayFraction)
{
    /// <summary>The checks of a job section without <c>checks:</c>: an empty day fails.</summary>
    public static DayChecksConfig Default { get; } = new(1, null);

    /// <summary>What the day's statistics are compared with (<c>baseline:</c>; see <see cref="Jobs.DayStatistics"/>).</summary>
    public StatisticsBaseline Baseline { get; init; }
}
