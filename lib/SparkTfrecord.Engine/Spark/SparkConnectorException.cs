namespace SparkTfrecord.Engine.Spark;

/// <summary>
/// No connector jar is published for the run's connector and Spark version (<c>jars/connectors.tsv</c>). The message
/// lists the versions that have one and says what to do instead (the native writer, or a jar given with
/// <c>spark.jars</c>).
/// </summary>
public sealed class SparkConnectorException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Which jar is missing and what to do.</param>
    /// <param name="inner">The error behind it, if any.</param>
    public SparkConnectorException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
