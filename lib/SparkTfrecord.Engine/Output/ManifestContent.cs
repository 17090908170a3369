using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Engine.Sql;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Engine.Output;

/// <summary>What a manifest says. Every job that commits an output fills one and <see cref="Manifest.Write(string, ManifestContent)"/> writes it.</summary>
internal sealed record ManifestContent
{
    /// <summary>The run date, or null for an output not made for a date (<c>sparktf encode</c> on its own).</summary>
    public DateOnly? Date { get; init; }

    /// <summary>The feature spec's file name.</summary>
    public required string SpecFile { get; init; }

    /// <summary>The feature spec's hash.</summary>
    public required string SpecHash { get; init; }

    /// <summary>The engine and its version.</summary>
    public required string Engine { get; init; }

    /// <summary>The writer: <c>native</c> or <c>connector</c>.</summary>
    public required string Writer { get; init; }

    /// <summary>The compression of the part files.</summary>
    public required TfRecordCompression Compression { get; init; }

    /// <summary>The records written: the shards' records where every shard's were counted, else the count <c>written</c>.</summary>
    public long Records => Shards.Count > 0 && Shards.All(s => s.Records is not null)
        ? Shards.Sum(s => s.Records!.Value)
        : Counts.GetValueOrDefault(RunCounts.Written);

    /// <summary>The positive samples written: the count <c>positives</c>.</summary>
    public long Positives => Counts.GetValueOrDefault(RunCounts.Positives);

    /// <summary>The part files.</summary>
    public required IReadOnlyList<ManifestShard> Shards { get; init; }

    /// <summary>The features, in spec order.</summary>
    public required IReadOnlyList<FeatureColumn> Features { get; init; }

    /// <summary>The sampling rules and shard key, or null where the run did not sample (<c>sparktf encode</c> on its own).</summary>
    public (SamplingConfig Sampling, IReadOnlyList<string> ShardKey)? Sampling { get; init; }

    /// <summary>The inputs.</summary>
    public required IReadOnlyList<ManifestInput> Inputs { get; init; }

    /// <summary>The run's counts (per-history statistics left out).</summary>
    public required IReadOnlyDictionary<string, long> Counts { get; init; }

    /// <summary>Where the bad input rows are, or null when the run had none.</summary>
    public ManifestQuarantine? Quarantine { get; init; }

    /// <summary>The content for a run of a job plan: date, spec, sampling and inputs from the plan.</summary>
    /// <param name="plan">The plan run.</param>
    /// <param name="engine">The engine and version.</param>
    /// <param name="writer"><c>native</c> or <c>connector</c>.</param>
    /// <param name="shards">The part files.</param>
    /// <param name="counts">The run's counts (<c>written</c> and <c>positives</c> among them).</param>
    /// <param name="withFiles">Whether the inputs' files are known here (false on a cluster).</param>
    /// <returns>The content.</returns>
    public static ManifestContent ForPlan(JobPlan plan, string engine, string writer, IReadOnlyList<ManifestShard> shards,
        IReadOnlyDictionary<string, long> counts, bool withFiles = true)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(shards);
        ArgumentNullException.ThrowIfNull(counts);
        return new ManifestContent
        {
            Date = plan.Date,
            SpecFile = Path.GetFileName(plan.Definition.File),
            SpecHash = plan.Definition.SpecHash,
            Engine = engine,
            Writer = writer,
            Compression = plan.Job.Output.Compression,
            Shards = shards,
            Features = plan.Definition.Features,
            Sampling = (plan.Job.Sampling, plan.Job.Output.ShardKey),
            Inputs = plan.Sources.Values.Select(s => new ManifestInput(s.Name, s.Paths, withFiles ? s.Files : null)).ToList(),
            Counts = counts,
        };
    }
}
