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
        var reportHtml = new Option<bool>("--report-html") { Description = "Also write the day's statistics into the output as _report.html (a self-contained page) and _stats.json (docs/report.md); embedded engine only." };
        var command = options.AddTo(new Command("samples", "Build training samples for a date: join the click logs point-in-time correctly and write TFRecord shards, _manifest.json and _SUCCESS."));
        spark.AddTo(command, withDryRun: true);
        command.Options.Add(reportHtml);
        EngineOptionRules.AddTo(command, options, spark, reportHtml);
        command.SetAction((result, cancellation) => Task.FromResult(result.GetValue(options.Engine) == "spark"
            ? SparkEngineCommand.Samples(context, result, options, spark, cancellation, () => context.Termination.Signal ?? PosixSignal.SIGTERM)
            : Run(context, result, options, result.GetValue(reportHtml), cancellation)));
        return command;
    }

    private static int Run(CliContext context, ParseResult result, JobOptions o, bool reportHtml, CancellationToken cancellation)
    {
        var (dates, output) = o.DatesAndOutput(result);
        o.CheckSummaryTarget(result, dates, output);
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
            State = result.GetValue(o.State),
            OnState = (date, note) => context.Err.WriteLine($"sparktf: {PathTemplate.Format(date)} state: {note}"),
            OnInputs = (date, note) => context.Err.WriteLine($"sparktf: {PathTemplate.Format(date)} input: {note}"),
            OnMemoryRetry = (date, note) => context.Err.WriteLine($"sparktf: {PathTemplate.Format(date)} write: {note}"),
            StoppedBy = () => context.Termination.SignalName,
            ReportHtml = reportHtml,
            OnStatistics = (date, note) => context.Err.WriteLine($"sparktf: {PathTemplate.Format(date)} checks: {note}"),
        }, cancellation);

        return ExitCodes.Success;
    }
}
