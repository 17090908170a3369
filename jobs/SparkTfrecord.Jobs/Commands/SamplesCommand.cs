using System.CommandLine;
using System.Runtime.InteropServices;
using SparkTfrecord.Engine.Jobs;
using SparkTfrecord.Engine.Planning;

namespace SparkTfrecord.Jobs.Commands;

/// <summary>
/// <c>sparktf samples</c>: the click-log join on the embedded engine (<see cref="SamplesRun"/>), written as TFRecord
/// shards with the commit protocol; or, with <c>--engine spark</c>, on a cluster. A signal stops it promptly (the output
/// is left as it was; <see cref="Cli"/> exits 143 / 130).
/// </summary>
internal static class SamplesCommand
{
    public static Command Create(CliContext context)
    {
        var options = new JobOptions();
        var spark = new SparkOptions();
        var command = options.AddTo(new Command("samples", "Build training samples for a date: join the click logs point-in-time correctly and write TFRecord shards, _manifest.json and _SUCCESS."));
        spark.AddTo(command, withDryRun: true);
        command.SetAction((result, cancellation) => Task.FromResult(result.GetValue(options.Engine) == "spark"
            ? SparkEngineCommand.Samples(context, result, options, spark, cancellation, () => context.Termination.Signal ?? PosixSignal.SIGTERM)
            : Run(context, result, options, cancellation)));
        return command;
    }

    private static int Run(CliContext context, ParseResult result, JobOptions o, CancellationToken cancellation)
    {
        var (dates, output) = o.DatesAndOutput(result);
        o.CheckSummaryTarget(result);
        SamplesRun.Run(new SamplesRunOptions
        {
            Spec = result.GetValue(o.Spec)!,
            Dates = dates,
            Input = result.GetValue(o.Input),
            Output = output,
            Overrides = o.Overrides(result),
            NoClobber = result.GetValue(o.NoClobber),
            Force = result.GetValue(o.Force),
            Audit = result.GetValue(o.Audit),
            Engine = o.EngineOptions(result),
            SummaryFile = result.GetValue(o.Summary),
            Stdout = context.Out,
            WithProgress = (date, run) => ProgressDisplay.Show(context, PathTemplate.Format(date), run),
            OnMemoryRetry = (date, note) => context.Err.WriteLine($"sparktf: {PathTemplate.Format(date)} write: {note}"),
            StoppedBy = () => context.Termination.SignalName,
        }, cancellation);

        return ExitCodes.Success;
    }

    /// <summary>The run's dates and its <c>--output</c> (see <see cref="JobOptions.DatesAndOutput"/>).</summary>
    internal static (IReadOnlyList<DateOnly> Dates, string Output) DatesAndOutput(ParseResult result, JobOptions o) => o.DatesAndOutput(result);

    /// <summary>Refuses a <c>--summary</c> that cannot be written (see <see cref="JobOptions.CheckSummaryTarget"/>).</summary>
    internal static void CheckSummaryTarget(ParseResult result, JobOptions o) => o.CheckSummaryTarget(result);

    /// <summary>The summary of a run that failed before its first day started (see <see cref="SamplesSummaries.FailedBeforeStart"/>).</summary>
    internal static string FailedBeforeStart(DateOnly date, string output, string engine, string error) => SamplesSummaries.FailedBeforeStart(date, output, engine, error);

    /// <summary>Writes the summaries to <c>--summary</c>, else stdout (see <see cref="SamplesSummaries.Write"/>).</summary>
    internal static void WriteSummaries(CliContext context, ParseResult result, JobOptions o, IReadOnlyList<string> summaries, bool failed = false) =>
        SamplesSummaries.Write(summaries, result.GetValue(o.Summary), context.Out, failed);
}
