namespace SparkTfrecord.Engine.Spark;

/// <summary>
/// The Spark options of a run do not fit together (a cluster deploy mode with a local master, TensorFlow's connector on
/// Spark 3, the native writer with a cluster output). The message says which and what to use instead; a command line
/// reports it as a usage error, since nothing was started.
/// </summary>
public sealed class SparkOptionsException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What does not fit and what to use instead.</param>
    /// <param name="inner">The error behind it, if any.</param>
    public SparkOptionsException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
