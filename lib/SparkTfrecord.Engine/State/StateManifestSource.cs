namespace SparkTfrecord.Engine.State;

/// <summary>What a snapshot covers of one stateful source.</summary>
/// <param name="PathTemplate">The source's path template.</param>
/// <param name="Covered">The covered partitions' days, ascending.</param>
/// <param name="Files">Every file found in those partitions when the snapshot was written, sorted by path.</param>
/// <param name="Counts">Per covered partition, the rows read and quarantined there: a run that uses the snapshot adds
/// them to its own counts, so its manifest and summary count as the full recompute's.</param>
internal sealed record StateManifestSource(
    string PathTemplate,
    IReadOnlyList<DateOnly> Covered,
    IReadOnlyList<FileFingerprint> Files,
    IReadOnlyDictionary<DateOnly, PartitionCounts> Counts);
