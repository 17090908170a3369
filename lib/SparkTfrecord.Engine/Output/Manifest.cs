using System.Text.Encodings.Web;
using System.Text.Json;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Engine.Sql;

namespace SparkTfrecord.Engine.Output;

/// <summary>
/// <c>_manifest.json</c>, version 1: what a complete output holds and how it was made. It has no clock time, so two
/// runs on the same inputs write the same bytes. Fields, in this order: <c>version</c>, <c>kind</c> ("samples"),
/// <c>date</c> (null for <c>sparktf encode</c> on its own), <c>spec_hash</c> (the feature spec's hash, which the
/// training side's <c>check_manifest</c> compares), <c>spec</c> (file, hash), <c>engine</c>, <c>writer</c> (native or
/// connector), <c>compression</c>, <c>records</c>, <c>positives</c>, <c>shards</c> (file, records where counted, bytes, and
/// index: the part's index file, only when one was written),
/// <c>features</c> (name, kind, list), <c>sampling</c> (negative_rate, eval_fraction, salt, key, shard_key, hash; absent
/// when the run did not sample), <c>inputs</c> (per source: paths and files, each where known), <c>counts</c>,
/// <c>quarantine</c> (folder, and files where known; absent when no input row was bad).
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
    /// <param name="quarantine">Where the bad rows are, or null for none.</param>
    public static void Write(string path, JobPlan plan, string engine, IReadOnlyList<ManifestShard> shards, IReadOnlyDictionary<string, long> counts,
        ManifestQuarantine? quarantine = null)
    {
        Write(path, ManifestContent.ForPlan(plan, engine, "native", shards, counts) with { Quarantine = quarantine });
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
            if (s.Index is { } index)
            {
                w.WriteString("index", index);
            }

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
            WriteWeightAndSplit(w, sampling);
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
        if (content.Quarantine is { } quarantine)
        {
            w.WriteStartObject("quarantine");
            w.WriteString("folder", quarantine.Folder);
            WriteStrings(w, "files", quarantine.Files);
            w.WriteEndObject();
        }

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

    // Issue 13: the sample weight (the feature and the value of a kept negative) and the split by time, when the job
    // has them (left out otherwise, so the manifests of other jobs keep their bytes).
    private static void WriteWeightAndSplit(Utf8JsonWriter w, Config.SamplingConfig sampling)
    {
        if (sampling.Weight is { } weight)
        {
            w.WriteStartObject("weight");
            w.WriteString("feature", weight);
            w.WriteNumber("positive", 1.0);
            w.WriteNumber("negative", (double)(float)(1.0 / sampling.NegativeRate));
            w.WriteEndObject();
        }

        if (sampling.TimeSplit is { } split)
        {
            w.WriteStartObject("split");
            w.WriteString("by", "time");
            if (split.EvalFrom is { } from)
            {
                w.WriteString("eval_from", from.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                w.WriteNumber("eval_last_seconds", (long)split.EvalLast!.Value.TotalSeconds);
            }

            w.WriteEndObject();
        }
    }
}
