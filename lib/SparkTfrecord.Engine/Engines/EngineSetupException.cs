namespace SparkTfrecord.Engine.Engines;

/// <summary>
/// The one exception for an engine's setup that cannot work, found before anything runs: a setting the embedded engine
/// refuses, Spark options that do not fit together, a Spark version that is not one, no connector jar for the version.
/// The message says which and what to use instead; a command line reports it as a usage error.
/// </summary>
public sealed class EngineSetupException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="problem">What is wrong.</param>
    /// <param name="message">What does not fit and what to use instead.</param>
    /// <param name="inner">The error behind it (the engine's refusal), if any.</param>
    public EngineSetupException(EngineSetupProblem problem, string message, Exception? inner = null)
        : base(message, inner)
    {
        Problem = problem;
    }

    /// <summary>What is wrong.</summary>
    public EngineSetupProblem Problem { get; }
}
