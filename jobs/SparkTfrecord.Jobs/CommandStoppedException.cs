namespace SparkTfrecord.Jobs;

/// <summary>
/// A command stopped because it was asked to (Ctrl-C or SIGTERM cancelled its token) after cleaning up. The message
/// says what the stop left behind ("temporary files removed, the output is as it was"); <see cref="Cli"/> prints it
/// once, with the signal's name, and exits with the signal's code (130 or 143).
/// </summary>
internal sealed class CommandStoppedException(string outcome, Exception? inner = null) : OperationCanceledException(outcome, inner);
