using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Engine.Config;

/// <summary>The native writer's layout.</summary>
/// <param name="Shards">The number of part files.</param>
/// <param name="Compression">none, gzip or zlib.</param>
/// <param name="ShardKey">The impression columns whose project hash picks the shard and orders records in it.</param>
internal sealed record OutputConfig(int Shards, TfRecordCompression Compression, IReadOnlyList<string> ShardKey)
{
    /// <summary>Also write each part's index file (<c>--index</c>; uncompressed parts only, see <see cref="JobOverrides.Apply"/>).</summary>
    public bool Index { get; init; }
}
