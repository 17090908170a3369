namespace SparkTfrecord.Engine.Jobs;

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
