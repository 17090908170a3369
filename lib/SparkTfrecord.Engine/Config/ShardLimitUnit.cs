namespace SparkTfrecord.Engine.Config;

/// <summary>What a <see cref="ShardLimit"/> limits.</summary>
internal enum ShardLimitUnit
{
    /// <summary>The records of a file (<c>max_records_per_shard</c>).</summary>
    Records,

    /// <summary>The framed, uncompressed bytes of a file (<c>target_shard_bytes</c>).</summary>
    Bytes,
}
