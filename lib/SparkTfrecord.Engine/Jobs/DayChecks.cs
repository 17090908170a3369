using System.Globalization;
using System.Text;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Planning;

using SparkTfrecord.Engine.Sql;

namespace SparkTfrecord.Engine.Jobs;

/// <summary>
/// The sanity checks a day's counts must pass before its output is committed, shared by both engines: at least
/// <see cref="DayChecksConfig.MinSamples"/> samples (1 by default, so an empty day fails) and, when the job sets it,
/// at most <see cref="DayChecksConfig.MaxOutsideDayFraction"/> of the samples source's rows outside the run date. A
/// failure's message gives the counts and, since a wrong time unit or zone is the usual cause, where the rows' times
/// fall and which unit would put them on the date.
/// </summary>
internal static class DayChecks
{
    private const long MicrosPerDay = 86_400_000_000;

    /// <summary>Checks a day's counts.</summary>
    /// <param name="plan">The run's plan (its date, zone and samples source).</param>
    /// <param name="counts">The run's counts (written, outside_day, read.SOURCE, quarantined.SOURCE, duplicates.SOURCE).</param>
    /// <param name="samplesTimes">Gives the samples source's time range, when it can be known (it makes the message
    /// precise); asked only when the day fails, since it costs a query.</param>
    /// <returns>Null when the day passes; else what failed, with the counts and hints (without what happened to the
    /// output, which the caller adds).</returns>
    public static string? Check(JobPlan plan, IReadOnlyDictionary<string, long> counts, Func<TimeRange?>? samplesTimes = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(counts);
        var job = plan.Job;
        var checks = job.Checks ?? DayChecksConfig.Default;
        long Get(string name) => counts.TryGetValue(name, out long v) ? v : 0;
        string samples = job.Samples;
        long written = Get(RunCounts.Written);
        long read = Get(RunCounts.Read(samples));
        long quarantined = Get(RunCounts.Quarantined(samples));
        long duplicates = Get(RunCounts.Duplicates(samples));
        long outside = Get(RunCounts.OutsideDay);
        long kept = Math.Max(outside, read - quarantined - duplicates);

        var failures = new List<string>();
        if (written < checks.MinSamples)
        {
            failures.Add(checks == DayChecksConfig.Default
                ? $"{written} samples written: an empty day (checks.min_samples is 1 by default; set checks: {{min_samples: 0}} in the job section if an empty day is expected)"
                : $"{written} samples written, fewer than checks.min_samples ({checks.MinSamples})");
        }

        if (checks.MaxOutsideDayFraction is { } maxOutside && kept > 0 && (double)outside / kept > maxOutside)
        {
            failures.Add($"{outside} of {kept} {samples} rows ({Percent((double)outside / kept)}) fall outside the run date, more than checks.max_outside_day_fraction ({maxOutside.ToString("R", CultureInfo.InvariantCulture)})");
        }

        if (failures.Count == 0)
        {
            return null;
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"the day {PathTemplate.Format(plan.Date)} failed its checks: {string.Join("; ", failures)}. ");
        // Only the counts the engine gave (the Spark engine reports outside_day and duplicates only when the job sets
        // checks.max_outside_day_fraction).
        bool knowsOutside = counts.ContainsKey("outside_day");
        text.Append(CultureInfo.InvariantCulture, $"Counts: {read} {samples} rows read, {quarantined} quarantined");
        text.Append(counts.ContainsKey("duplicates." + samples) ? $", {duplicates.ToString(CultureInfo.InvariantCulture)} duplicates" : "");
        text.Append(knowsOutside ? $", {outside.ToString(CultureInfo.InvariantCulture)} outside the run date" : "");
        text.Append(counts.ContainsKey("samples") ? $", {Get("samples").ToString(CultureInfo.InvariantCulture)} samples" : "");
        text.Append(CultureInfo.InvariantCulture, $", {written} written. ");
        text.Append(Hint(plan, read, knowsOutside ? kept : -1, outside, samplesTimes?.Invoke()));
        return text.ToString().TrimEnd();
    }

    // Why the day may be empty or off: no rows read, or rows whose times (in the declared unit) miss the date; kept is
    // -1 when the engine did not count the rows outside the date.
    private static string Hint(JobPlan plan, long read, long kept, long outside, TimeRange? times)
    {
        var job = plan.Job;
        var time = plan.Samples.Config.Time!;
        string source = $"source '{job.Samples}'";
        string day = $"The run date {PathTemplate.Format(plan.Date)} in the job's timezone {job.TimeZone} is {Instant(plan.DayStartMicros)} .. {Instant(plan.DayEndMicros)} UTC.";
        if (read == 0)
        {
            return $"No {job.Samples} rows were read: check --input and the {source}'s path ('{plan.Samples.Config.PathTemplate}'; 'sparktf plan' lists the files it reads).";
        }

        if (kept == 0 || (kept > 0 && outside == 0))
        {
            return "";
        }

        string unit = UnitName(time.Unit);
        if (kept < 0 || times is not { } range)
        {
            return $"Check the time unit of {source} (time: {{column: {time.Column}, unit: {unit}}}: a wrong unit puts every row far from the date) " +
                   $"and the job's timezone (a wrong zone shifts the day by hours). {day}";
        }

        var hint = new StringBuilder();
        hint.Append(CultureInfo.InvariantCulture, $"Read as {UnitText(time.Unit)} (time: {{column: {time.Column}, unit: {unit}}} of {source}), its times fall in {Instant(range.MinMicros)} .. {Instant(range.MaxMicros)} UTC. {day} ");
        if (time.Unit != TimeUnit.Text)
        {
            double factor = Factor(time.Unit);
            foreach (var other in new[] { TimeUnit.Seconds, TimeUnit.Milliseconds, TimeUnit.Microseconds }.Where(u => u != time.Unit))
            {
                double scale = Factor(other) / factor;
                double min = range.MinMicros * scale;
                double max = range.MaxMicros * scale;
                if (max >= plan.DayStartMicros && min < plan.DayEndMicros)
                {
                    hint.Append(CultureInfo.InvariantCulture,
                        $"Read as {UnitText(other)} they would fall in {Instant(min)} .. {Instant(max)} UTC, on the run date: the time unit is likely wrong; set unit: {UnitName(other)}. ");
                    return hint.ToString();
                }
            }
        }

        bool near = range.MaxMicros >= plan.DayStartMicros - (2 * MicrosPerDay) && range.MinMicros < plan.DayEndMicros + (2 * MicrosPerDay);
        hint.Append(near
            ? "They are near the date: check the job's timezone (a wrong zone shifts the day by hours)" + (time.Unit == TimeUnit.Text ? $", the time's zone (time.zone, {time.Zone}, for text without an offset)" : "") + " and which partitions the source's path reads."
            : "They are far from the date: check the time unit (s, ms or us since the Unix epoch, or text) and the source's path.");
        return hint.ToString();
    }

    private static double Factor(TimeUnit unit) => unit switch
    {
        TimeUnit.Seconds => 1_000_000,
        TimeUnit.Milliseconds => 1_000,
        _ => 1,
    };

    private static string UnitName(TimeUnit unit) => unit switch
    {
        TimeUnit.Seconds => "s",
        TimeUnit.Milliseconds => "ms",
        TimeUnit.Microseconds => "us",
        _ => "text",
    };

    private static string UnitText(TimeUnit unit) => unit switch
    {
        TimeUnit.Seconds => "epoch seconds",
        TimeUnit.Milliseconds => "epoch milliseconds",
        TimeUnit.Microseconds => "epoch microseconds",
        _ => "timestamp text",
    };

    private static string Percent(double fraction) => (100 * fraction).ToString("0.###", CultureInfo.InvariantCulture) + "%";

    // A time as yyyy-MM-dd HH:mm:ss (UTC); beyond what a date can hold, the year alone (a wrong unit gives year 55000).
    private static string Instant(double micros)
    {
        if (micros >= DateTime.MinValue.Subtract(DateTime.UnixEpoch).TotalMicroseconds && micros <= DateTime.MaxValue.Subtract(DateTime.UnixEpoch).TotalMicroseconds)
        {
            return DateTime.UnixEpoch.AddTicks((long)(micros * 10)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        }

        double year = 1970 + (micros / MicrosPerDay / 365.2425);
        return "year " + Math.Floor(year).ToString("0", CultureInfo.InvariantCulture);
    }
}
