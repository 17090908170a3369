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
