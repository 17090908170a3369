namespace SparkTfrecord.Engine.Config;

/// <summary>How a source's time column is stored.</summary>
internal enum TimeUnit
{
    /// <summary>Integer seconds since the Unix epoch.</summary>
    Seconds,

    /// <summary>Integer milliseconds since the Unix epoch.</summary>
    Milliseconds,

    /// <summary>Integer microseconds since the Unix epoch.</summary>
    Microseconds,

    /// <summary>Timestamp text such as <c>2024-01-15 08:30:00</c>; text without a zone is read in the source's zone.</summary>
    Text,
}
