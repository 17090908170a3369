using System.Text.Json;
using SparkTfrecord.Engine.Planning;

namespace SparkTfrecord.Engine.Output;

/// <summary>
/// <c>_manifest.json</c>, version 1: what a complete output holds and how it was made. It has no clock time, so two
/// runs on the same inputs write the same bytes. Fields: <c>version</c>, <c>kind</c> ("samples"), <c>date</c>,
/// <c>spec_hash</c> (the feature spec's hash, which the training side's <c>check_manifest</c> compares), <c>spec</c> (file, hash), <c>engine</c>, <c>compression</c>, <c>shards</c> (file, records, bytes), <c>records</c>,
/// <c>positives</c>, <c>features</c> (name, kind, list), <c>sampling</c> (negative_rate, eval_fraction, salt, key, hash),
/// <c>inputs</c> (per source: paths and files), <c>counts</c>.
/// </summary>
public static class Manifest
{
    /// <summary>The format version written.</summary>
    public const int Version = 1;

    /// <summary>Writes the manifest.</summary>
    /// <param name="path">The file.</param>
    /// <param name="plan">The plan run.</param>
    /// <param name="engine">The engine and version.</param>
    /// <param name="shards">The part files.</param>
    /// <param name="counts">The run's counts.</param>
    public static void Write(string path, JobPlan plan, string engine, IReadOnlyList<ShardInfo> shards, IReadOnlyDictionary<string, long> counts)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(shards);
        ArgumentNullException.ThrowIfNull(counts);
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        w.WriteNumber("version", Version);
        w.WriteString("kind", "samples");
        w.WriteString("date", PathTemplate.Format(plan.Date));
        w.WriteString("spec_hash", plan.Definition.SpecHash);
        w.WriteStartObject("spec");
        w.WriteString("file", Path.GetFileName(plan.Definition.File));
        w.WriteString("hash", plan.Definition.SpecHash);
        w.WriteEndObject();
        w.WriteString("engine", engine);
        w.WriteString("compression", plan.Job.Output.Compression.ToString().ToLowerInvariant());
        w.WriteNumber("records", shards.Sum(s => s.Records));
        w.WriteNumber("positives", counts.TryGetValue("positives", out long p) ? p : 0);
        w.WriteStartArray("shards");
        foreach (var s in shards)
        {
            w.WriteStartObject();
            w.WriteString("file", s.File);
            w.WriteNumber("records", s.Records);
            w.WriteNumber("bytes", s.Bytes);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("features");
        foreach (var c in plan.OutputColumns)
        {
            w.WriteStartObject();
            w.WriteString("name", c.Name);
            w.WriteString("kind", c.Kind.ToString().ToLowerInvariant());
            w.WriteBoolean("list", c.IsList);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        var sampling = plan.Job.Sampling;
        w.WriteStartObject("sampling");
        w.WriteNumber("negative_rate", sampling.NegativeRate);
        w.WriteNumber("eval_fraction", sampling.EvalFraction);
        w.WriteString("salt", sampling.Salt);
        w.WriteString("key", string.Join(",", sampling.Key));
        w.WriteString("shard_key", string.Join(",", plan.Job.Output.ShardKey));
        w.WriteString("hash", "md5-60: first 15 hex digits of MD5(UTF-8 key) as an integer");
        w.WriteEndObject();
        w.WriteStartObject("inputs");
        foreach (var s in plan.Sources.Values)
        {
            w.WriteStartObject(s.Name);
            w.WriteStartArray("paths");
            foreach (string x in s.Paths)
            {
                w.WriteStringValue(x);
            }

            w.WriteEndArray();
            w.WriteStartArray("files");
            foreach (string x in s.Files)
            {
                w.WriteStringValue(x);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteStartObject("counts");
        foreach (var c in counts.Where(c => !c.Key.StartsWith("history_", StringComparison.Ordinal)).OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            w.WriteNumber(c.Key, c.Value);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }
}
