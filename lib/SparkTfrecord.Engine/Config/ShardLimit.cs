namespace SparkTfrecord.Engine.Config;

/// <summary>
/// A limit on each part file (issue 14: <c>output.max_records_per_shard</c> or <c>output.target_shard_bytes</c>, the
/// alternatives to a fixed <c>shards</c> count): the records, in the project hash's order, are cut into consecutive
/// files, a new file starting when the next record would break the limit. The one place the cutting rule is spelled.
/// </summary>
/// <param name="Unit">What is limited.</param>
/// <param name="Limit">The most records, or the most bytes, of a file (at least 1).</param>
internal sealed record ShardLimit(ShardLimitUnit Unit, long Limit)
{
    /// <summary>The config key (and, with <c>--</c> and dashes, the option) that sets this limit.</summary>
    public string Key => KeyOf(Unit);

    /// <summary>The config key of a unit's limit: <c>max_records_per_shard</c> or <c>target_shard_bytes</c>.</summary>
    /// <param name="unit">The unit.</param>
    /// <returns>The key.</returns>
    public static string KeyOf(ShardLimitUnit unit) => unit == ShardLimitUnit.Records ? "max_records_per_shard" : "target_shard_bytes";

    /// <summary>Whether a record of <paramref name="nextLength"/> framed bytes must start a new file after a file of
    /// <paramref name="records"/> records and <paramref name="bytes"/> bytes. A file always takes its first record, so
    /// a record larger than the byte target is alone in its file.</summary>
    /// <param name="records">The records in the open file.</param>
    /// <param name="bytes">The framed bytes in the open file (uncompressed: the TFRecord stream a reader sees).</param>
    /// <param name="nextLength">The next record's framed length.</param>
    /// <returns>True to close the file before the record.</returns>
    public bool StartsNewFile(long records, long bytes, int nextLength) =>
        records > 0 && (Unit == ShardLimitUnit.Records ? records >= Limit : bytes + nextLength > Limit);
}
