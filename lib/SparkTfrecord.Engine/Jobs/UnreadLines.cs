namespace SparkTfrecord.Engine.Jobs;

/// <summary>A quarantine entry the job adds to the reader's: lines of a file the reader could not read.</summary>
/// <param name="Source">The source.</param>
/// <param name="File">The file.</param>
/// <param name="Row">The first such line.</param>
/// <param name="Reason">Why, and how many lines.</param>
internal sealed record UnreadLines(string Source, string File, long Row, string Reason);
