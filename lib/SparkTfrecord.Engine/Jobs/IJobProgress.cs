namespace SparkTfrecord.Engine.Jobs;

/// <summary>Receives a job's progress; the command line draws it. Called from the job's thread.</summary>
public interface IJobProgress
{
    /// <summary>A stage starts.</summary>
    /// <param name="stage">Its name, such as "join" or "write".</param>
    /// <param name="total">Its amount of work in units, if known.</param>
    void Start(string stage, long? total);

    /// <summary>Work done in the current stage.</summary>
    /// <param name="done">Units done so far.</param>
    void Report(long done);

    /// <summary>The current stage ends.</summary>
    void Stop();
}

/// <summary>A progress receiver that ignores everything.</summary>
internal sealed class NoProgress : IJobProgress
{
    /// <summary>The instance.</summary>
    public static NoProgress Instance { get; } = new();

    /// <inheritdoc/>
    public void Start(string stage, long? total)
    {
    }

    /// <inheritdoc/>
    public void Report(long done)
    {
    }

    /// <inheritdoc/>
    public void Stop()
    {
    }
}
