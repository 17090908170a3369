namespace SparkTfrecord.Engine.State;

/// <summary>The rows of one partition of a stateful source: read (not blank lines) and quarantined.</summary>
/// <param name="Read">Rows read.</param>
/// <param name="Quarantined">Rows set aside as bad.</param>
internal sealed record PartitionCounts(long Read, long Quarantined);
