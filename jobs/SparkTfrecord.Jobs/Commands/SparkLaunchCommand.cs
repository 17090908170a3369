using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Jobs;
using SparkTfrecord.Engine.Spark;

namespace SparkTfrecord.Jobs.Commands;

/// <summary>
/// <c>sparktf samples --engine spark</c>: maps the command line onto <see cref="SparkLauncher"/> (which writes the
/// script, runs Spark, checks and commits each day) and writes its summaries; Spark's log and the errors go to stderr.
/// </summary>
internal static partial class SparkEngineCommand
{
    /// <summary>Seconds between a forwarded signal and killing Spark's process tree (default 30; docs/spark.md).</summary>
    public const string KillAfterVariable = "SPARKTF_SPARK_KILL_AFTER";

    /// <param name="context">Where the command writes.</param>
    /// <param name="result">The parsed command line.</param>
    /// <param name="o">The job's options.</param>
    /// <param name="spark">The Spark engine's options.</param>
    /// <param name="cancellationToken">Cancelled by SIGTERM / Ctrl-C: Spark gets the signal, and the command throws
    /// <see cref="Engine.Jobs.JobStoppedException"/> saying what the stop left.</param>
    /// <param name="stopSignal">Which signal cancelled the token (Spark is sent the same one); null: SIGTERM.</param>
    public static int Samples(CliContext context, ParseResult result, JobOptions o, SparkOptions spark, CancellationToken cancellationToken, Func<PosixSignal>? stopSignal = null)
    {
        var (dates, output) = o.DatesAndOutput(result);
        bool dryRun = result.GetValue(spark.DryRun);
        if (!dryRun)
        {
            o.CheckSummaryTarget(result);
        }

        if (!TryLoad(context.Err, result, o, out var definition, out string? configError))
        {
            if (!dryRun)
            {
                WriteSummaries(context, result, o, [SamplesSummaries.FailedBeforeStart(dates[0], output, "spark", configError!)], failed: true);
            }

            return ExitCodes.Failure;
        }

        var launcher = new SparkLauncher(new SparkLaunchOptions
        {
            Definition = definition,
            Dates = dates,
            Spark = spark.RunOptions(result, dates[0], result.GetValue(o.Input), output),
            SparkHome = result.GetValue(spark.SparkHome) ?? Environment.GetEnvironmentVariable("SPARK_HOME"),
            Force = result.GetValue(o.Force),
            NoClobber = result.GetValue(o.NoClobber),
            KillAfter = KillAfter(),
            StopSignal = stopSignal,
        }, context.Err);
        try
        {
            if (dryRun)
            {
                return launcher.DryRun(context.Out).Succeeded ? ExitCodes.Success : ExitCodes.Failure;
            }

            var launched = launcher.Run(cancellationToken);
            WriteSummaries(context, result, o, Json(launched.Summaries), failed: !launched.Succeeded);
            return launched.Succeeded ? ExitCodes.Success : ExitCodes.Failure;
        }
        catch (JobStoppedException e)
        {
            WriteSummaries(context, result, o, Json(e.Summaries), failed: true);
            throw;
        }
    }

    private static List<string> Json(IEnumerable<Engine.Jobs.SamplesSummary> summaries) => summaries.Select(s => s.ToJson().TrimEnd()).ToList();

    private static TimeSpan KillAfter() => TimeSpan.FromSeconds(
        double.TryParse(Environment.GetEnvironmentVariable(KillAfterVariable), NumberStyles.Float, CultureInfo.InvariantCulture, out double s) && s >= 0 ? s : 30);

    private static bool TryLoad(TextWriter err, ParseResult result, JobOptions o, out JobDefinition definition, out string? error)
    {
        try
        {
            definition = o.Overrides(result).Apply(JobDefinition.Load(result.GetValue(o.Spec)!));
            error = null;
            return true;
        }
        catch (JobConfigException e)
        {
            err.WriteLine($"sparktf: {e.Message}");
            definition = null!;
            error = e.Message;
            return false;
        }
    }

    private static void WriteSummaries(CliContext context, ParseResult result, JobOptions o, IReadOnlyList<string> summaries, bool failed = false) =>
        SamplesSummaries.Write(summaries, result.GetValue(o.Summary), context.Out, failed);
}
