using SparkTfrecord.Engine.Output;

namespace SparkTfrecord.Engine.Jobs;

/// <summary>What an encode run wrote.</summary>
/// <param name="Output">The output folder.</param>
/// <param name="Records">Records written.</param>
/// <param name="Positives">Records whose label feature is 1.</param>
/// <param name="Shards">The part files.</param>
/// <param name="Seconds">Wall time.</param>
public sealed record EncodeSummary(string Output, long Records, long Positives, IReadOnlyList<ManifestShard> Shards, double Seconds);
