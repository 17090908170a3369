namespace SparkTfrecord.Engine.Config;

/// <summary>
/// A job configuration that cannot be used: the message names the file, line and column of the offending YAML node
/// and says what is expected.
/// </summary>
public sealed class JobConfigException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The full message, already naming the place.</param>
    public JobConfigException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    /// <param name="message">The full message, already naming the place.</param>
    /// <param name="inner">The cause.</param>
    public JobConfigException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception for a place in a file (line and column are 1-based).</summary>
    /// <param name="file">The configuration file.</param>
    /// <param name="line">The line of the node.</param>
    /// <param name="column">The column of the node.</param>
    /// <param name="what">What is wrong and what to do.</param>
    /// <returns>The exception.</returns>
    public static JobConfigException At(string file, long line, long column, string what) =>
        new($"{file}:{line}:{column}: {what}");
}
