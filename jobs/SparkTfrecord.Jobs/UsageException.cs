namespace SparkTfrecord.Jobs;

/// <summary>A command line that parses but makes no sense (for example conflicting options); exits with 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
