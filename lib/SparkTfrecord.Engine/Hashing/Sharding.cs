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

    /// <summary>The end (exclusive) of the project hash's range: hashes are 60-bit, in [0, 2^60).</summary>
    public const long HashEnd = 1L << 60;

    /// <summary>The first hash of range <paramref name="part"/> when [0, 2^60) is cut into <paramref name="parts"/>
    /// ranges of (nearly) equal width, consecutive and ascending: <c>RangeStart(parts, parts)</c> is <see cref="HashEnd"/>.
    /// Sized shards (issue 14) write their output passes as these ranges, so that the passes, one after another, are
    /// the one stream in hash order the files are cut from.</summary>
    /// <param name="part">The range, 0 to <paramref name="parts"/>.</param>
    /// <param name="parts">The number of ranges (at least 1).</param>
    /// <returns>The range's first hash.</returns>
    public static long RangeStart(int part, int parts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(part);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(part, parts);
        return (long)(((UInt128)(ulong)part << 60) / (ulong)parts);
    }
}
