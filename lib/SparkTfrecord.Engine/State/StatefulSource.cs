using System.Text.RegularExpressions;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Planning;

namespace SparkTfrecord.Engine.State;

/// <summary>
/// An event source whose history events a snapshot carries (docs/state.md): read through one day range
/// (<c>{date-15d..date+1d}</c>), so each of its paths is one day's partition.
/// </summary>
/// <param name="Name">The source's name.</param>
/// <param name="PathTemplate">Its path template.</param>
/// <param name="FromDays">The range's first day, as an offset from the run date (-15).</param>
/// <param name="ToDays">The range's last day, as an offset from the run date (+1).</param>
internal sealed partial record StatefulSource(string Name, string PathTemplate, int FromDays, int ToDays)
{
    /// <summary>The path of one day's partition: the template with its range read as that day.</summary>
    /// <param name="input">The input root.</param>
    /// <param name="day">The partition's day.</param>
    /// <returns>The path.</returns>
    public string PartitionPath(string? input, DateOnly day)
    {
        string single = RangePattern().Replace(PathTemplate, "{date}", 1);
        return Planning.PathTemplate.Expand(single, input, day)[0];
    }

    /// <summary>The partitions a snapshot written by the run for <paramref name="date"/> covers: those the next day's
    /// run reads except its own two newest (its run day's and later), i.e. <c>[date+1+from, date]</c>.</summary>
    /// <param name="date">The day whose run writes the snapshot.</param>
    /// <returns>The days, ascending.</returns>
    public IReadOnlyList<DateOnly> CoveredBy(DateOnly date)
    {
        var days = new List<DateOnly>();
        for (var d = date.AddDays(1 + FromDays); d <= date; d = d.AddDays(1))
        {
            days.Add(d);
        }

        return days;
    }

    /// <summary>The stateful sources of a job, or why the job cannot carry state (the run then reads the full window).</summary>
    /// <param name="job">The job.</param>
    /// <returns>The sources, or the reason.</returns>
    public static (IReadOnlyList<StatefulSource> Sources, string? Refusal) Of(JobConfig job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Histories.Count == 0)
        {
            return ([], "the job has no history");
        }

        var sources = new List<StatefulSource>();
        foreach (var h in job.Histories)
        {
            var s = job.Sources[h.Events];
            if (h.Value.Source != h.Events)
            {
                // The keyed table is read anew every run: yesterday's values (and their rank order) may change.
                return ([], $"history '{h.Feature}' takes its value from table '{h.Value.Source}', which is read anew every run");
            }

            if (h.Steps.FirstOrDefault(st => st.Value is not null) is { } step)
            {
                // The snapshot keeps each event's value only; a time_delta step needs nothing more (the event's time).
                return ([], $"history '{h.Feature}' has the step '{step.Feature}' with a value of its own, which the state does not keep yet");
            }

            if (s.Dedup.Count > 0)
            {
                // Exact de-duplication needs every covered copy's key (a dedup ledger), not yet built: docs/state.md.
                return ([], $"source '{s.Name}' has dedup: its late copies need a dedup ledger, which the state does not keep yet");
            }

            if (s.Table is not null)
            {
                return ([], $"source '{s.Name}' is a metastore table");
            }

            if (s.Name == job.Samples)
            {
                return ([], $"source '{s.Name}' is both the samples and a history's events");
            }

            var ranges = RangePattern().Matches(s.PathTemplate);
            if (ranges.Count != 1 || DatePattern().Matches(s.PathTemplate).Count != 1)
            {
                return ([], $"source '{s.Name}' path '{s.PathTemplate}' needs exactly one day range ({{date-15d..date+1d}}) and no other day");
            }

            int from = Offset(ranges[0].Groups["from"].Value);
            int to = Offset(ranges[0].Groups["to"].Value);
            if (to > 1 || from > 0)
            {
                return ([], $"source '{s.Name}' path '{s.PathTemplate}' must end its range at {{date}} or {{date+1d}} and start at or before {{date}}");
            }

            if (sources.All(x => x.Name != s.Name))
            {
                sources.Add(new StatefulSource(s.Name, s.PathTemplate, from, to));
            }
        }

        return (sources, null);
    }

    private static int Offset(string text) => text.Length == 0 ? 0 : int.Parse(text.TrimEnd('d'), System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\{date(?<from>[+-][0-9]+d)?\.\.date(?<to>[+-][0-9]+d)?\}")]
    private static partial Regex RangePattern();

    [GeneratedRegex(@"\{date")]
    private static partial Regex DatePattern();
}
