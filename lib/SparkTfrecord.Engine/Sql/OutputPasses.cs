using SparkTfrecord.Engine.Hashing;

namespace SparkTfrecord.Engine.Sql;

/// <summary>
/// How the embedded engine writes a day of samples in passes: pass <c>p</c> of <c>n</c> is the samples of the shards
/// <c>s</c> with <c>s % n == p</c>, in the output order; one pass is the output query itself. Passes bound the memory of
/// each pass's sort on big days. Each pass scans one table, the kept samples with their history lists (built once for
/// the day), with no join: before issue 12 each pass re-joined the histories, so the day's cost grew with the passes
/// times the day. With sized shards (issue 14: <c>max_records_per_shard</c>, <c>target_shard_bytes</c>) the files are
/// cut from one stream in hash order, so pass <c>p</c> of <c>n</c> is instead the samples whose hash lies in the
/// <c>p</c>-th of <c>n</c> consecutive ranges of the hash (<see cref="Sharding.RangeStart"/>): the passes, one after
/// another, are that stream, and the writer carries its open file from one pass into the next.
/// </summary>
internal sealed class OutputPasses
{
    private readonly SqlDialect _d;
    private readonly string _output;
    private readonly string _selectFrom;
    private readonly string _order;
    private readonly int _shards;
    private readonly string _hash;
    private readonly bool _hashRanges;

    /// <summary>The most passes with sized shards: beyond that a range's width no longer bounds a pass (its samples
    /// are then those of few hashes), and each pass is a scan of the day.</summary>
    public const int MaxRangePasses = 4096;

    /// <summary>Creates the passes of one rendered job.</summary>
    /// <param name="d">The dialect.</param>
    /// <param name="output">The output query (the single pass).</param>
    /// <param name="selectFrom">The output query's SELECT and FROM and its WHERE condition, with no order: the rows of
    /// the alias <c>s</c> a pass filters further.</param>
    /// <param name="order">The output order over the alias <c>s</c>.</param>
    /// <param name="shards">The number of shards.</param>
    /// <param name="hash">The shard hash's column of the alias <c>s</c>.</param>
    /// <param name="hashRanges">Passes are ranges of the hash (sized shards), not groups of shards.</param>
    public OutputPasses(SqlDialect d, string output, string selectFrom, string order, int shards, string hash, bool hashRanges = false)
    {
        _hashRanges = hashRanges;
        _d = d;
        _output = output;
        _selectFrom = selectFrom;
        _order = order;
        _shards = shards;
        _hash = hash;
    }

    /// <summary>The query of pass <paramref name="pass"/> of <paramref name="passes"/>.</summary>
    /// <param name="pass">The pass.</param>
    /// <param name="passes">The number of passes.</param>
    /// <returns>The query.</returns>
    public string Pass(int pass, int passes) =>
        passes <= 1
            ? _output
            : _hashRanges
                ? $"{_selectFrom} AND s.{_hash} >= {_d.BigInt(Sharding.RangeStart(pass, passes))} AND s.{_hash} < {_d.BigInt(Sharding.RangeStart(pass + 1, passes))} ORDER BY {_order}"
                : $"{_selectFrom} AND {Sharding.ShardSql($"s.{_hash}", _shards, _d)} % {_d.BigInt(passes)} = {_d.BigInt(pass)} ORDER BY {_order}";

    /// <summary>The most passes the output may be cut into: one per shard, or <see cref="MaxRangePasses"/> hash ranges.</summary>
    public int MaxPasses => _hashRanges ? MaxRangePasses : _shards;
}
