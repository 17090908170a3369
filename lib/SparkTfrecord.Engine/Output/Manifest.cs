using System.Text.Encodings.Web;
using System.Text.Json;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Engine.Sql;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Engine.Output;

/// <summary>One part file of an output, as the writer made it and the manifest lists it.</summary>
/// <param name="File">The path relative to the output folder.</param>
/// <param name="Records">Its records, or null where they were not counted (a connector's parts).</param>
/// <param name="Bytes">Its size.</param>
public sealed record ManifestShard(string File, long? Records, long Bytes);

/// <summary>One input of a run: its name, the paths it was declared by and the files read.</summary>
/// <param name="Name">The source's name.</param>
/// <param name="Paths">The declared paths, or null where there are none (<c>sparktf encode</c> on its own).</param>
/// <param name="Files">The files read, or null where they are not known here (a cluster's files).</param>
internal sealed record ManifestInput(string Name, IReadOnlyList<string>? Paths, IReadOnlyList<string>? Files);

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

/// <summary>
/// <c>_manifest.json</c>, version 1: what a complete output holds and how it was made. It has no clock time, so two
/// runs on the same inputs write the same bytes. Fields, in this order: <c>version</c>, <c>kind</c> ("samples"),
/// <c>date</c> (null for <c>sparktf encode</c> on its own), <c>spec_hash</c> (the feature spec's hash, which the
/// training side's <c>check_manifest</c> compares), <c>spec</c> (file, hash), <c>engine</c>, <c>writer</c> (native or
/// connector), <c>compression</c>, <c>records</c>, <c>positives</c>, <c>shards</c> (file, records where counted, bytes),
/// <c>features</c> (name, kind, list), <c>sampling</c> (negative_rate, eval_fraction, salt, key, shard_key, hash; absent
/// when the run did not sample), <c>inputs</c> (per source: paths and files, each where known), <c>counts</c>.
/// </summary>
internal static class Manifest
{
    /// <summary>The format version written.</summary>
    public const int Version = 1;

    /// <summary>Writes the manifest of a native run of a job plan.</summary>
    /// <param name="path">The file.</param>
    /// <param name="plan">The plan run.</param>
    /// <param name="engine">The engine and version.</param>
    /// <param name="shards">The part files.</param>
    /// <param name="counts">The run's counts.</param>
    public static void Write(string path, JobPlan plan, string engine, IReadOnlyList<ManifestShard> shards, IReadOnlyDictionary<string, long> counts)
    {
        Write(path, ManifestContent.ForPlan(plan, engine, "native", shards, counts));
    }

    /// <summary>Writes a manifest.</summary>
    /// <param name="path">The file.</param>
    /// <param name="content">What it says.</param>
    public static void Write(string path, ManifestContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        w.WriteNumber("version", Version);
        w.WriteString("kind", "samples");
        if (content.Date is { } date)
        {
            w.WriteString("date", PathTemplate.Format(date));
        }
        else
        {
            w.WriteNull("date");
        }

        w.WriteString("spec_hash", content.SpecHash);
        w.WriteStartObject("spec");
        w.WriteString("file", content.SpecFile);
        w.WriteString("hash", content.SpecHash);
        w.WriteEndObject();
        w.WriteString("engine", content.Engine);
        w.WriteString("writer", content.Writer);
        w.WriteString("compression", content.Compression.ToString().ToLowerInvariant());
        w.WriteNumber("records", content.Records);
        w.WriteNumber("positives", content.Positives);
        w.WriteStartArray("shards");
        foreach (var s in content.Shards)
        {
            w.WriteStartObject();
            w.WriteString("file", s.File);
            if (s.Records is { } records)
            {
                w.WriteNumber("records", records);
            }

            w.WriteNumber("bytes", s.Bytes);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("features");
        foreach (var f in content.Features)
        {
            w.WriteStartObject();
            w.WriteString("name", f.Name);
            w.WriteString("kind", f.Kind.ToString().ToLowerInvariant());
            w.WriteBoolean("list", f.IsList);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (content.Sampling is var (sampling, shardKey))
        {
            w.WriteStartObject("sampling");
            w.WriteNumber("negative_rate", sampling.NegativeRate);
            w.WriteNumber("eval_fraction", sampling.EvalFraction);
            w.WriteString("salt", sampling.Salt);
            w.WriteString("key", string.Join(",", sampling.Key));
            w.WriteString("shard_key", string.Join(",", shardKey));
            w.WriteString("hash", "md5-60: first 15 hex digits of MD5(UTF-8 key) as an integer");
            w.WriteEndObject();
        }

        w.WriteStartObject("inputs");
        foreach (var input in content.Inputs)
        {
            w.WriteStartObject(input.Name);
            WriteStrings(w, "paths", input.Paths);
            WriteStrings(w, "files", input.Files);
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteStartObject("counts");
        foreach (var c in content.Counts.Where(c => !c.Key.StartsWith(RunCounts.HistoryPrefix, StringComparison.Ordinal)).OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            w.WriteNumber(c.Key, c.Value);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            return;
        }

        w.WriteStartArray(name);
        foreach (string v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }
}
