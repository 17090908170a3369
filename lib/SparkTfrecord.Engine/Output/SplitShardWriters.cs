using System.Data.Common;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Planning;

namespace SparkTfrecord.Engine.Output;

/// <summary>
/// The part files of one output: a sample goes to its split's folder (<c>train/</c> or <c>eval/</c> when the job splits,
/// the output itself when not), in the shard its hash gives or, with sized shards, in the file its place in the hash
/// order gives. The one writing step of the samples and encode jobs.
/// </summary>
internal sealed class SplitShardWriters : IDisposable
{
    /// <summary>The split value of an evaluation sample, as the plan renders it (<c>'eval'</c>); every other is train.</summary>
    public const string Eval = "eval";

    /// <summary>The split value of a training sample, and the folder of the training parts when the job splits.</summary>
    public const string Train = "train";

    private readonly IPartWriter _train;
    private readonly IPartWriter? _eval;

    /// <summary>Creates the writers of one output.</summary>
    /// <param name="folder">The output (work) folder.</param>
    /// <param name="split">Whether the job splits (parts in <c>train/</c> and <c>eval/</c>).</param>
    /// <param name="output">The layout: a number of shards, or a limit of each file (each split gets its own files),
    /// the compression, and whether each part gets its index file in its folder's <c>_index/</c> (issue 14).</param>
    public SplitShardWriters(string folder, bool split, OutputConfig output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _train = Create(folder, split ? Train : "", output);
        _eval = split ? Create(folder, Eval, output) : null;
    }

    private static IPartWriter Create(string folder, string subfolder, OutputConfig output) =>
        output.Limit is { } limit
            ? new SizedTfRecordWriter(folder, subfolder, limit, output.Compression, output.Index)
            : new ShardedTfRecordWriter(folder, subfolder, output.Shards, output.Compression, output.Index);

    /// <summary>Writes one encoded sample (as <c>ExampleEncoder.GetRecord</c> gives it) of the reader's current row.</summary>
    public void Write(DbDataReader row, OutputOrdinals at, ReadOnlySpan<byte> framedRecord)
    {
        var writer = _eval is not null && row.GetString(at.Split) == Eval ? _eval : _train;
        writer.Write(row.GetInt64(at.Hash), framedRecord);
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
