namespace SparkTfrecord.Engine.Jobs;

/// <summary>
/// The run failed for a reason the user can act on (too many bad rows, a day that fails its checks, the engine out of
/// memory or failing, the disk full); the message says what to do, and nothing was committed.
/// </summary>
public sealed class JobFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="failure">Why the run failed.</param>
    /// <param name="message">What failed and what to do.</param>
    /// <param name="counts">The run's counts known when it failed (for the failed run's summary), or null.</param>
    /// <param name="inner">The error behind it (the engine's, the file system's), if any.</param>
    public JobFailedException(JobFailure failure, string message, IReadOnlyDictionary<string, long>? counts = null, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
        Counts = counts;
    }

    /// <summary>Why the run failed.</summary>
    public JobFailure Failure { get; }

    /// <summary>The run's counts known when it failed, or null.</summary>
    public IReadOnlyDictionary<string, long>? Counts { get; }
}
