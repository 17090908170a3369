using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Engine.Config;

/// <summary>The native writer's layout.</summary>
/// <param name="Shards">The number of part files (ignored when <see cref="Limit"/> is set).</param>
/// <param name="Compression">none, gzip or zlib.</param>
/// <param name="ShardKey">The impression columns whose project hash picks the shard and orders records in it.</param>
internal sealed record OutputConfig(int Shards, TfRecordCompression Compression, IReadOnlyList<string> ShardKey)
{
    /// <summary>Also write each part's index file (<c>--index</c>; uncompressed parts only, see <see cref="JobOverrides.Apply"/>).</summary>
    public bool Index { get; init; }

    /// <summary>Sized parts instead of <see cref="Shards"/> (issue 14): the records in hash order cut into consecutive
    /// files within this limit; null for a fixed number of shards.</summary>
    public ShardLimit? Limit { get; init; }
}
