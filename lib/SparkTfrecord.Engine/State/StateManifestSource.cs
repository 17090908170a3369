namespace SparkTfrecord.Engine.State;

/// <summary>What a snapshot covers of one stateful source.</summary>
/// <param name="PathTemplate">The source's path template.</param>
/// <param name="Covered">The covered partitions' days, ascending.</param>
/// <param name="Files">Every file found in those partitions when the snapshot was written, sorted by path.</param>
internal sealed record StateManifestSource(string PathTemplate, IReadOnlyList<DateOnly> Covered, IReadOnlyList<FileFingerprint> Files);
