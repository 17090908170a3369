namespace SparkTfrecord.Jobs;

/// <summary>A command line that parses but makes no sense (for example conflicting options); exits with 2.</summary>
/// <param name="message">What makes no sense and what to write instead.</param>
/// <param name="inner">The library's error behind it, if any.</param>
internal sealed class UsageException(string message, Exception? inner = null) : Exception(message, inner);
