using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Engines;
using SparkTfrecord.Engine.Jobs;
using SparkTfrecord.Engine.Output;
using SparkTfrecord.Spec;
using SparkTfrecord.Tfrecord;

namespace SparkTfrecord.Jobs;

/// <summary>
/// The one table from what ended a command to its exit code and its line on stderr. Commands throw; only
/// <see cref="Cli"/> reports. No stack trace reaches a user: anything not in the table is a bug, reported in one line.
/// </summary>
internal static class ErrorReport
{
    /// <summary>The exit code and the message (one line, "sparktf: ...") for <paramref name="error"/>, thrown by
    /// <paramref name="command"/> (its name), which <paramref name="termination"/> may have stopped.</summary>
    public static (int ExitCode, string Message) For(Exception error, string command, Termination termination) => error switch
    {
        UsageException => (ExitCodes.Usage, $"sparktf: {error.Message}"),
        OutputRefusedException { Reason: OutputRefusal.WrittenFile } => (ExitCodes.Usage, $"sparktf: {error.Message}"),

        // A run or command whose token was cancelled says what the stop left; one that let the cancellation through says nothing.
        JobStoppedException stopped => (termination.ExitCode, Stopped(command, termination, stopped.Message)),
        CommandStoppedException stopped => (termination.ExitCode, Stopped(command, termination, stopped.Message)),
        OperationCanceledException when termination.Token.IsCancellationRequested => (termination.ExitCode, Stopped(command, termination, "")),

        // An engine setup that cannot work, found before anything ran: a usage error. The embedded engine's refusal of
        // a setting names neither the command nor the options behind it, so the line adds them.
        EngineSetupException { Problem: EngineSetupProblem.EngineSetting } => (ExitCodes.Usage,
            $"sparktf: {command}: {error.Message}; check --memory-limit and --threads."),
        EngineSetupException => (ExitCodes.Usage, $"sparktf: {error.Message}"),

        // Failures a user causes and can act on: the message says what and what to do. The engine's families first,
        // then the format and spec libraries', then what .NET reports for files and text the commands read themselves.
        // A day whose distributions drifted past the spec's thresholds is an anomaly, as validate's.
        JobFailedException { Failure: JobFailure.Drift } => (ExitCodes.Anomalies, $"sparktf: {error.Message}"),
        JobConfigException or InputDataException or OutputRefusedException or JobFailedException
            or SpecException or TfRecordFormatException
            or IOException or UnauthorizedAccessException or FormatException => (ExitCodes.Failure, $"sparktf: {error.Message}"),

        // .NET ran out of memory outside a phase that says which (a phase of samples reports its own).
        OutOfMemoryException => (ExitCodes.Failure,
            $"sparktf: {command}: out of memory (the process could not allocate more). Free memory, or give the job less at a time: " +
            "fewer inputs per run, and for samples a lower --memory-limit with --spill-dir on a disk with room."),

        // Anything else is a bug: one line with what a report needs.
        _ => (ExitCodes.Failure, $"sparktf: internal error in '{command}': {error.GetType().Name}: {OneLine(error.Message)}. " +
                                 "This is a bug in sparktf, not in your data: please report it with the command line and this message."),
    };

    private static string Stopped(string command, Termination termination, string outcome) =>
        $"sparktf: {command}: stopped by {termination.SignalName}{(outcome.Length > 0 ? "; " + outcome : "")}.";

    private static string OneLine(string text) => string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
