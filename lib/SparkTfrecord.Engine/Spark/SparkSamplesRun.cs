using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Jobs;

namespace SparkTfrecord.Engine.Spark;

/// <summary>
/// <c>sparktf samples --engine spark</c> over one date or a range, beside the embedded engine's
/// <see cref="SamplesRun"/>: loads the spec with the overrides (a wrong spec gets the failed-before-start summary, as
/// there), runs <see cref="SparkLauncher"/> (or its dry run), and writes the summaries, a failed or stopped day's too.
/// </summary>
public static class SparkSamplesRun
{
    /// <summary>Runs every day of <paramref name="options"/> and writes the summaries.</summary>
    /// <param name="options">The run.</param>
    /// <param name="log">Where progress, Spark's output and errors go (a command's stderr).</param>
    /// <param name="cancellation">Cancelled by a stop signal: Spark gets the signal (see <see cref="SparkLauncher"/>).</param>
    /// <returns>Whether every day was committed (a dry run: described); a failure has been reported on the log.</returns>
    /// <exception cref="JobConfigException">The spec is wrong (nothing ran).</exception>
    /// <exception cref="JobStoppedException">Cancelled; the summaries are written first.</exception>
    /// <exception cref="Engines.EngineSetupException">The Spark options do not fit together.</exception>
    /// <exception cref="IOException">A local output is refused, locked, or an input is missing.</exception>
    public static bool Run(SparkSamplesRunOptions options, TextWriter log, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        string output = options.Spark.Output;

        // A dry run writes no summary: it runs nothing.
        var definition = options.DryRun
            ? SamplesStart.Load(options.Spec, options.Overrides)
            : SamplesStart.LoadOrReport(options.Spec, options.Overrides, options.Dates[0], output, "spark", options.SummaryFile, options.Stdout);
        SparkSetup.RefuseSequences(definition);
        var launcher = new SparkLauncher(new SparkLaunchOptions
        {
            Definition = definition,
            Run = options,
        }, log);
        if (options.DryRun)
        {
            return launcher.DryRun(options.Stdout).Succeeded;
        }

        try
        {
            var launched = launcher.Run(cancellation);
            Write(options, launched.Summaries, failed: !launched.Succeeded);
            return launched.Succeeded;
        }
        catch (JobStoppedException e)
        {
            Write(options, e.Summaries, failed: true);
            throw;
        }
    }

    private static void Write(SparkSamplesRunOptions options, IEnumerable<SamplesSummary> summaries, bool failed) =>
        SamplesSummaries.Write(summaries.Select(s => s.ToJson().TrimEnd()).ToList(), options.SummaryFile, options.Stdout, failed);
}
