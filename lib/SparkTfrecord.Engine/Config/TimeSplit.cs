namespace SparkTfrecord.Engine.Config;

/// <summary>
/// The time-based train/eval split (<c>sampling.split: {by: time, ...}</c>): a sample whose impression is at or after
/// the cut goes to eval. The cut is a local time of day on the run day (<see cref="EvalFrom"/>, in the job's zone) or
/// the last hours of the run day (<see cref="EvalLast"/>, counted back from the day's end, so real hours on a day of a
/// clock change). Exactly one of the two is set.
/// </summary>
/// <param name="EvalFrom">The local time of day from which samples are eval, or null.</param>
/// <param name="EvalLast">How long before the day's end the eval part starts, or null.</param>
internal sealed record TimeSplit(TimeOnly? EvalFrom, TimeSpan? EvalLast)
{
    /// <summary>The cut in epoch microseconds for one run day.</summary>
    /// <param name="date">The run day.</param>
    /// <param name="zone">The job's zone.</param>
    /// <param name="dayEndMicros">The day's end (the next local midnight) in epoch microseconds.</param>
    /// <returns>The first instant of the eval part.</returns>
    public long CutMicros(DateOnly date, TimeZoneInfo zone, long dayEndMicros)
    {
        if (EvalLast is { } last)
        {
            return dayEndMicros - Planning.JobPlan.ToMicros(last);
        }

        // A local time the clock skips (a spring-forward gap) is moved forward by the gap, as the time-dst clause reads
        // local times; a repeated one takes the earlier instant.
        return Planning.JobPlan.LocalTimeMicros(date, EvalFrom!.Value, zone);
    }
}
