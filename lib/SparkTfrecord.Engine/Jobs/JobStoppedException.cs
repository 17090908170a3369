namespace SparkTfrecord.Engine.Jobs;

/// <summary>
/// A run (on either engine) stopped because its cancellation token was cancelled, after cleaning up; the message says
/// what the stop left ("temporary files removed, the output of 2024-01-15 is as it was"), a clause to follow the
/// signal's name. A Spark launch also carries the summaries of the days done and of the stopped day.
/// </summary>
public sealed class JobStoppedException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="outcome">What the stop left behind (empty when there is nothing to say), without a final period.</param>
    /// <param name="inner">What the cancellation interrupted, or null.</param>
    public JobStoppedException(string outcome, Exception? inner = null)
        : this(outcome, [], inner)
    {
    }

    /// <summary>Creates the exception with the run's summaries.</summary>
    /// <param name="outcome">What the stop left behind, without a final period.</param>
    /// <param name="summaries">The summaries of the days done, then the stopped day's (status failed).</param>
    /// <param name="inner">What the cancellation interrupted, or null.</param>
    public JobStoppedException(string outcome, IReadOnlyList<SamplesSummary> summaries, Exception? inner = null)
        : base(outcome, inner)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        Summaries = summaries;
    }

    /// <summary>The summaries of the days done, then the stopped day's (status failed, its error naming the signal);
    /// empty where the run writes its summaries itself (<see cref="SamplesRun"/>).</summary>
    public IReadOnlyList<SamplesSummary> Summaries { get; }
}
