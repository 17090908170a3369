namespace SparkTfrecord.Engine.Jobs;

/// <summary>The smallest and largest time of the samples source's rows, as read in their declared unit (Unix epoch
/// microseconds), when the engine can tell them.</summary>
/// <param name="MinMicros">The earliest time.</param>
/// <param name="MaxMicros">The latest time.</param>
internal readonly record struct TimeRange(long MinMicros, long MaxMicros);
