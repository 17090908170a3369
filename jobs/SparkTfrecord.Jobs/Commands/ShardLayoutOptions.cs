using System.CommandLine;
using SparkTfrecord.Engine.Config;

namespace SparkTfrecord.Jobs.Commands;

/// <summary>
/// The layout options of the commands that write shards (<c>samples</c>, <c>plan</c>, <c>encode</c>): <c>--shards N</c>,
/// or (issue 14) <c>--max-records-per-shard N</c> or <c>--target-shard-bytes N</c>, the command-line forms of the
/// job's <c>output.shards</c>, <c>output.max_records_per_shard</c> and <c>output.target_shard_bytes</c>. One of them
/// replaces the job's layout; two are a usage error (exit 2) when the line is parsed.
/// </summary>
internal sealed class ShardLayoutOptions
{
    public ShardLayoutOptions(string defaults)
    {
        Shards = new Option<int?>("--shards") { Description = $"Number of part files (default: {defaults} output.shards)." };
        MaxRecordsPerShard = new Option<long?>("--max-records-per-shard")
        {
            Description = $"Instead of --shards: cut the samples, in hash order, into files of at most N records (default: {defaults} output.max_records_per_shard).",
        };
        TargetShardBytes = new Option<long?>("--target-shard-bytes")
        {
            Description = $"Instead of --shards: cut the samples, in hash order, into files of at most N bytes of uncompressed records; a larger record is alone in its file (default: {defaults} output.target_shard_bytes).",
        };
    }

    public Option<int?> Shards { get; }

    public Option<long?> MaxRecordsPerShard { get; }

    public Option<long?> TargetShardBytes { get; }

    /// <summary>Adds the options and their checks to a command.</summary>
    public void AddTo(Command command)
    {
        CommonOptions.Between(Shards, 1, CommonOptions.MaxShards);
        CommonOptions.Between(MaxRecordsPerShard, 1, long.MaxValue);
        CommonOptions.Between(TargetShardBytes, 1, long.MaxValue);
        command.Options.Add(Shards);
        command.Options.Add(MaxRecordsPerShard);
        command.Options.Add(TargetShardBytes);
        command.Validators.Add(r =>
        {
            var given = new Option[] { Shards, MaxRecordsPerShard, TargetShardBytes }.Where(o => r.GetResult(o) is { Implicit: false }).ToList();
            if (given.Count > 1)
            {
                r.AddError($"{given[0].Name} and {given[1].Name} both set how the samples are cut into files: give one of --shards, --max-records-per-shard, --target-shard-bytes.");
            }
        });
    }

    /// <summary>The overrides with the line's layout.</summary>
    public JobOverrides Apply(JobOverrides overrides, ParseResult result) => overrides with
    {
        Shards = result.GetValue(Shards),
        MaxRecordsPerShard = result.GetValue(MaxRecordsPerShard),
        TargetShardBytes = result.GetValue(TargetShardBytes),
    };
}
