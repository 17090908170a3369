namespace SparkTfrecord.Engine.Jobs;

/// <summary>A run stopped because its cancellation token was cancelled, after cleaning up; the message says what the
/// stop left ("temporary files removed, the output of 2024-01-15 is as it was").</summary>
/// <param name="outcome">What the stop left behind (empty when there is nothing to say).</param>
/// <param name="inner">What the cancellation interrupted, or null.</param>
public sealed class JobStoppedException(string outcome, Exception? inner = null) : OperationCanceledException(outcome, inner);
