using SparkTfrecord.Engine.Jobs;

namespace SparkTfrecord.Engine.Spark;

/// <summary>
/// A launch stopped because its cancellation token was cancelled (a signal to the launcher): Spark was sent the signal
/// (and killed after the grace period), the temporary files are removed, and a local output is as it was.
/// </summary>
public sealed class SparkLaunchStoppedException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="outcome">What the stop left behind, a clause without a final period ("forwarded to spark-sql (which
    /// exited with 143); temporary files removed, the output is as it was"), to follow the signal's name.</param>
    /// <param name="summaries">The summaries of the days done, then the stopped day's (status failed).</param>
    /// <param name="inner">The cancellation that stopped it, if any.</param>
    public SparkLaunchStoppedException(string outcome, IReadOnlyList<SamplesSummary> summaries, Exception? inner = null)
        : base(outcome, inner)
    {
        Summaries = summaries;
    }

    /// <summary>The summaries of the days done, then the stopped day's (status failed, its error naming the signal).</summary>
    public IReadOnlyList<SamplesSummary> Summaries { get; }
}
