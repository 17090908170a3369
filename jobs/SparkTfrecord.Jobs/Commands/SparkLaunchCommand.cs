using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using SparkTfrecord.Engine.Spark;

namespace SparkTfrecord.Jobs.Commands;

/// <summary>
/// <c>sparktf samples --engine spark</c>: maps the command line onto <see cref="SparkSamplesRun"/> (which loads the
/// job, runs Spark day by day, checks and commits each day, and writes the summaries) and turns its outcome into the
/// exit code; Spark's log and the errors go to stderr.
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
            o.CheckSummaryTarget(result, dates, output);
        }

        bool succeeded = SparkSamplesRun.Run(new SparkSamplesRunOptions
        {
            Spec = result.GetValue(o.Spec)!,
            Overrides = o.Overrides(result),
            Dates = dates,
            Spark = spark.RunOptions(result, dates[0], result.GetValue(o.Input), output),
            SparkHome = result.GetValue(spark.SparkHome) ?? Environment.GetEnvironmentVariable("SPARK_HOME"),
            Force = result.GetValue(o.Force),
            NoClobber = result.GetValue(o.NoClobber),
            State = result.GetValue(o.State),
            KillAfter = KillAfter(),
            StopSignal = stopSignal,
            DryRun = dryRun,
            SummaryFile = result.GetValue(o.Summary),
            Stdout = context.Out,
        }, context.Err, cancellationToken);
        return succeeded ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static TimeSpan KillAfter() => TimeSpan.FromSeconds(
        double.TryParse(Environment.GetEnvironmentVariable(KillAfterVariable), NumberStyles.Float, CultureInfo.InvariantCulture, out double s) && s >= 0 ? s : 30);
}
