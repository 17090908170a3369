using System.Globalization;
using SparkTfrecord.Engine.Hashing;

namespace SparkTfrecord.Engine.Sql;

/// <summary>
/// How the embedded engine writes a day of samples in passes (issue 12: cost linear in the day). One pass is the
/// output query itself. Several: one statement first writes the day's samples (features, shard hash, split and the
/// order columns, <see cref="RenderedJob.SortableOutputQuery"/>) once into Parquet files partitioned by pass (the
/// shard modulo the passes), then each pass reads and sorts its own partition only. Each pass used to take its samples
/// with a filter over the whole day's tables, so the day's cost grew with the passes times the day; now the day is
/// read once and each pass reads its own part.
/// </summary>
internal sealed class OutputPasses
{
    private readonly SqlDialect _d;
    private readonly string _sortable;
    private readonly string _output;
    private readonly string _selected;
    private readonly string _order;
    private readonly int _shards;
    private readonly string _hash;
    private readonly string _passColumn;

    /// <summary>Creates the passes of one rendered job.</summary>
    /// <param name="d">The dialect (the embedded engine's: the statements read and write Parquet files).</param>
    /// <param name="output">The output query (the single pass).</param>
    /// <param name="sortable">The samples with the order columns and no order.</param>
    /// <param name="selected">What a pass selects: the features, the shard hash and the split, from the alias <c>s</c>.</param>
    /// <param name="order">The output order over the alias <c>s</c>.</param>
    /// <param name="shards">The number of shards.</param>
    /// <param name="hash">The shard hash's column in <paramref name="sortable"/>.</param>
    /// <param name="passColumn">A name for the partition column, of the renderer's own (never a feature's).</param>
    public OutputPasses(SqlDialect d, string output, string sortable, string selected, string order, int shards, string hash, string passColumn)
    {
        _hash = hash;
        _passColumn = passColumn;
        _d = d;
        _output = output;
        _sortable = sortable;
        _selected = selected;
        _order = order;
        _shards = shards;
    }

    /// <summary>The statement that writes the day's samples into <paramref name="folder"/>, one subfolder
    /// <c>__pass=P</c> per pass; run before the passes when there are several.</summary>
    /// <param name="folder">An empty scratch folder (the engine's spill folder).</param>
    /// <param name="passes">The number of passes (at least 2).</param>
    /// <returns>The statement.</returns>
    public string Partition(string folder, int passes) =>
        $"COPY (SELECT p.*, {Sharding.ShardSql($"p.{_hash}", _shards, _d)} % {_d.BigInt(passes)} AS {_passColumn} FROM (\n{_sortable}\n) p)\n" +
        $"TO {_d.String(folder)} (FORMAT parquet, PARTITION_BY ({_passColumn}))";

    /// <summary>The query of pass <paramref name="pass"/> of <paramref name="passes"/>: the samples of the shards
    /// <c>s</c> with <c>s % passes == pass</c>, in the output order; pass 0 of 1 is the output query.</summary>
    /// <param name="folder">The folder <see cref="Partition"/> wrote (ignored for one pass).</param>
    /// <param name="pass">The pass.</param>
    /// <param name="passes">The number of passes.</param>
    /// <returns>The query.</returns>
    public string Pass(string folder, int pass, int passes)
    {
        if (passes <= 1)
        {
            return _output;
        }

        // A pass with no samples has no subfolder (DuckDB writes only the partitions it sees).
        string files = Path.Combine(folder, $"{_passColumn}={pass.ToString(CultureInfo.InvariantCulture)}");
        return Directory.Exists(files)
            ? $"SELECT {_selected} FROM read_parquet({_d.String(Path.Combine(files, "*.parquet"))}) s ORDER BY {_order}"
            : $"SELECT {_selected} FROM ({_sortable}) s WHERE false";
    }
}
