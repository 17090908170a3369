using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Engine.Config;

/// <summary>The command line's overrides of the job config (<c>--shards</c>, <c>--compression</c>,
/// <c>--max-bad-fraction</c>): null leaves the job's own setting. <see cref="Apply"/> is the one place they are applied,
/// for every engine and command.</summary>
/// <param name="Shards">The number of part files, or null.</param>
/// <param name="Compression">The compression of the part files, or null.</param>
/// <param name="MaxBadFraction">The fraction of bad input rows above which the job fails, or null.</param>
public sealed record JobOverrides(int? Shards = null, TfRecordCompression? Compression = null, double? MaxBadFraction = null)
{
    /// <summary>Also write an index file for each part (<c>--index</c>); false leaves the job's own setting.</summary>
    public bool Index { get; init; }

    /// <summary>Files of at most this many records instead of the job's layout (<c>--max-records-per-shard</c>), or null.</summary>
    public long? MaxRecordsPerShard { get; init; }

    /// <summary>Files of at most this many bytes instead of the job's layout (<c>--target-shard-bytes</c>), or null.</summary>
    public long? TargetShardBytes { get; init; }

    /// <summary>No overrides: the job as configured.</summary>
    public static JobOverrides None { get; } = new();

    /// <summary>The definition with these overrides applied.</summary>
    /// <param name="definition">The spec and job section.</param>
    /// <returns>The definition the run uses.</returns>
    /// <exception cref="Engines.EngineSetupException">Index files are asked for with compressed parts.</exception>
    public JobDefinition Apply(JobDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var job = definition.Job;
        var output = job.Output with
        {
            Compression = Compression ?? job.Output.Compression,
            Index = Index || job.Output.Index,
        };

        // The layout (issue 14): one of --shards, --max-records-per-shard, --target-shard-bytes replaces the job's
        // shards / max_records_per_shard / target_shard_bytes as a whole (the commands refuse two of them).
        if (Layout(output.Shards) is { } layout)
        {
            output = output with { Shards = layout.Shards, Limit = layout.Limit };
        }

        if (output.Index && output.Compression != TfRecordCompression.None)
        {
            // DALI's reader and PyTorch's tfrecord seek to the offsets in the file as it is on disk.
            throw new Engines.EngineSetupException(Engines.EngineSetupProblem.IndexOfCompressedOutput,
                $"--index needs uncompressed shards, but the output is {output.Compression.ToString().ToLowerInvariant()}-compressed: an index lists byte offsets " +
                "in the uncompressed file, and both readers of index files (NVIDIA DALI, the PyTorch tfrecord package) read indexed files uncompressed. " +
                "Add --compression none, or leave out --index.");
        }

        return definition with
        {
            Job = job with
            {
                MaxBadFraction = MaxBadFraction ?? job.MaxBadFraction,
                Output = output,
            },
        };
    }

    // The command line's layout, or null when it gives none.
    private (int Shards, ShardLimit? Limit)? Layout(int configuredShards)
    {
        int given = (Shards is null ? 0 : 1) + (MaxRecordsPerShard is null ? 0 : 1) + (TargetShardBytes is null ? 0 : 1);
        if (given > 1)
        {
            throw new ArgumentException("--shards, --max-records-per-shard and --target-shard-bytes are alternatives: give one.");
        }

        return (Shards, MaxRecordsPerShard, TargetShardBytes) switch
        {
            ({ } n, _, _) => (n, null),
            (_, { } records, _) => (configuredShards, new ShardLimit(ShardLimitUnit.Records, records)),
            (_, _, { } bytes) => (configuredShards, new ShardLimit(ShardLimitUnit.Bytes, bytes)),
            _ => null,
        };
    }
}
