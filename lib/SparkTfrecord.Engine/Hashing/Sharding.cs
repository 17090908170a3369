using SparkTfrecord.Engine.Sql;

namespace SparkTfrecord.Engine.Hashing;

/// <summary>
/// The shard of a record: its project hash (<see cref="ProjectHash"/>, in [0, 2^60)) modulo the number of shards. One
/// definition, in C# for the writers and in SQL for the queries that cut the output into passes of whole shards; a
/// test runs both on many hashes.
/// </summary>
internal static class Sharding
{
    /// <summary>The shard of a hash.</summary>
    /// <param name="hash">The record's project hash (non-negative).</param>
    /// <param name="shards">The number of shards (at least 1).</param>
    /// <returns>The shard, 0 to <paramref name="shards"/> - 1.</returns>
    public static int ShardOf(long hash, int shards) => (int)(hash % shards);

    /// <summary>The shard of a hash as a SQL expression (BIGINT operands, so that it agrees with <see cref="ShardOf"/> on
    /// every engine: the hash is non-negative, so the remainder is too).</summary>
    /// <param name="hash">The hash expression.</param>
    /// <param name="shards">The number of shards.</param>
    /// <param name="d">The dialect.</param>
    /// <returns>The expression, parenthesized.</returns>
    public static string ShardSql(string hash, int shards, SqlDialect d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return $"({hash} % {d.BigInt(shards)})";
    }
}
