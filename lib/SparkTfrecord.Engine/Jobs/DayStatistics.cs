using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Spec;
using SparkTfrecord.Spec.Statistics;
using SparkTfrecord.Spec.Validation;
using SparkTfrecord.Tfrecord.Files;

namespace SparkTfrecord.Engine.Jobs;

/// <summary>
/// A day's statistics in its output (docs/report.md): when the job's <c>checks: {baseline: previous_day}</c> or
/// <c>--report-html</c> ask for them, the written parts are read back once (in the hidden work folder, before the
/// commit) and <c>_stats.json</c> (and <c>_report.html</c>) are written beside them; with <c>previous_day</c>, a
/// feature whose distance from the previous day's <c>_stats.json</c> is over its <c>drift:</c> threshold fails the
/// day, so the previous output stays.
/// </summary>
internal static class DayStatistics
{
    /// <summary>The statistics file in an output.</summary>
    public const string StatsFile = "_stats.json";

    /// <summary>The HTML report in an output.</summary>
    public const string ReportFile = "_report.html";

    /// <summary>Writes the statistics files into the work folder and checks the drift, when asked for.</summary>
    /// <param name="definition">The spec and job section.</param>
    /// <param name="options">The run's options (its date and output template).</param>
    /// <param name="workDirectory">The output's hidden work folder, holding the written parts.</param>
    /// <param name="outputPath">The day's output folder (for messages).</param>
    /// <param name="counts">The run's counts (for the failure's summary).</param>
    /// <exception cref="JobFailedException">A feature drifted past its threshold (<see cref="JobFailure.Drift"/>).</exception>
    public static void WriteAndCheck(JobDefinition definition, SamplesJobOptions options, string workDirectory, string outputPath, IReadOnlyDictionary<string, long> counts)
    {
        bool compare = (definition.Job.Checks ?? DayChecksConfig.Default).Baseline == StatisticsBaseline.PreviousDay;
        if (!compare && !options.ReportHtml)
        {
            return;
        }

        var rules = ValidationRules.FromSpec(SpecLoader.Load(definition.File));
        var validator = new DatasetValidator(rules, statistics: true);
        foreach (string file in TfRecordPaths.Expand([workDirectory]))
        {
            validator.AddFile(file);
        }

        var report = validator.GetReport();
        var statistics = DatasetStatistics.Of(report, outputPath, definition.SpecHash, DateTimeOffset.UtcNow);
        DatasetStatistics? previous = null;
        IReadOnlyList<FeatureComparison> comparisons = [];
        if (compare)
        {
            DateOnly day = options.Date.AddDays(-1);
            string previousOutput = Path.GetFullPath(PathTemplate.ExpandOne(options.Output, day));

            // An --output without {date} names the same folder every day: its _stats.json is this day's last run,
            // not the previous day's, so comparing with it would check nothing that the name promises.
            if (string.Equals(previousOutput.TrimEnd(Path.DirectorySeparatorChar), outputPath.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
            {
                throw new JobConfigException(
                    $"checks.baseline: previous_day in {definition.File} needs an --output with {{date}} (such as out/dt={{date}}) to find the previous day's output; '{options.Output}' names the same folder for every day.");
            }

            string previousFile = Path.Combine(previousOutput, StatsFile);
            if (File.Exists(previousFile))
            {
                previous = StatisticsJson.Read(previousFile);
                comparisons = StatisticsComparison.Compare(statistics, previous, rules, ComparisonMode.Drift);
            }
            else
            {
                options.OnStatistics?.Invoke($"baseline previous_day: no statistics of {PathTemplate.Format(day)} at {previousFile} (a first day, or that day ran without checks.baseline); nothing compared, the day passes");
            }

            if (comparisons.Where(c => c.Exceeded).ToList() is { Count: > 0 } exceeded)
            {
                throw new JobFailedException(JobFailure.Drift,
                    $"the day {PathTemplate.Format(options.Date)} drifted from {PathTemplate.Format(day)} (checks.baseline: previous_day): " +
                    string.Join("; ", exceeded.Select(c => c.Describe(ComparisonMode.Drift))) +
                    $". Nothing was committed: {outputPath} is as it was. If the change is expected, raise the feature's drift: threshold in {definition.File} " +
                    "or run the day once without checks.baseline.",
                    counts);
            }
        }

        StatisticsJson.WriteFile(Path.Combine(workDirectory, StatsFile), statistics);
        if (options.ReportHtml)
        {
            HtmlReport.WriteFile(Path.Combine(workDirectory, ReportFile), statistics, report, previous, comparisons, ComparisonMode.Drift);
        }
    }
}
