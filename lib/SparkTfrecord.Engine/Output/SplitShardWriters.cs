using System.Data.Common;
using SparkTfrecord.Engine.Hashing;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Engine.Output;

/// <summary>
/// The part files of one output: a sample goes to its split's folder (<c>train/</c> or <c>eval/</c> when the job splits,
/// the output itself when not), in the shard its hash gives. The one writing step of the samples and encode jobs.
/// </summary>
internal sealed class SplitShardWriters : IDisposable
{
    /// <summary>The split value of an evaluation sample, as the plan renders it (<c>'eval'</c>); every other is train.</summary>
    public const string Eval = "eval";

    /// <summary>The split value of a training sample, and the folder of the training parts when the job splits.</summary>
    public const string Train = "train";

    private readonly ShardedTfRecordWriter _train;
    private readonly ShardedTfRecordWriter? _eval;
    private readonly int _shards;

    /// <summary>Creates the writers of one output.</summary>
    /// <param name="folder">The output (work) folder.</param>
    /// <param name="split">Whether the job splits (parts in <c>train/</c> and <c>eval/</c>).</param>
    /// <param name="shards">The number of parts of each split.</param>
    /// <param name="compression">The compression.</param>
    /// <param name="index">Also write each part's index file in its folder's <c>_index/</c> (issue 14).</param>
    public SplitShardWriters(string folder, bool split, int shards, TfRecordCompression compression, bool index = false)
    {
        _shards = shards;
        _train = new ShardedTfRecordWriter(folder, split ? Train : "", shards, compression, index);
        _eval = split ? new ShardedTfRecordWriter(folder, Eval, shards, compression, index) : null;
    }

    /// <summary>Writes one encoded sample (as <c>ExampleEncoder.GetRecord</c> gives it) of the reader's current row.</summary>
    public void Write(DbDataReader row, OutputOrdinals at, ReadOnlySpan<byte> framedRecord)
    {
        int shard = Sharding.ShardOf(row.GetInt64(at.Hash), _shards);
        var writer = _eval is not null && row.GetString(at.Split) == Eval ? _eval : _train;
        writer.WriteFramed(shard, framedRecord);
    }

    /// <summary>Closes every part file: the training parts, then the evaluation parts.</summary>
    public List<ManifestShard> Close()
    {
        var parts = _train.Close().ToList();
        if (_eval is not null)
        {
            parts.AddRange(_eval.Close());
        }

        return parts;
    }

    public void Dispose()
    {
        _train.Dispose();
        _eval?.Dispose();
    }
}
