using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Spec;
using SparkTfrecord.Tfrecord.Json;

namespace SparkTfrecord.Spark.Tests.Conformance;

/// <summary>
/// The comparisons of a conformance case with what an engine wrote: the samples as a multiset, the counts, the bad
/// rows, the records of each part file and the texts of the rendered Spark script. Each returns the differences, one
/// line each (empty when they agree), so a failing case says everything that differs at once.
/// </summary>
internal static class ConformanceCheck
{
    /// <summary>The features of a spec by name: kind, and whether a list.</summary>
    /// <param name="spec">The spec file.</param>
    /// <returns>The features.</returns>
    public static IReadOnlyDictionary<string, (FeatureDtype Kind, bool IsList)> Features(string spec) =>
        JobDefinition.Load(spec).Features.ToDictionary(f => f.Name, f => (f.Kind, f.IsList), StringComparer.Ordinal);

    /// <summary>The part files of an output, relative to it ('/' separated), in ordinal order: every file named
    /// <c>part-*</c> (no <c>.crc</c>) outside folders whose names start with <c>_</c> or <c>.</c>.</summary>
    /// <param name="output">The output folder.</param>
    /// <returns>The part files.</returns>
    public static IReadOnlyList<string> PartFiles(string output) =>
        [.. Directory.GetFiles(output, "part-*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(output, f).Replace('\\', '/'))
            .Where(f => !f.EndsWith(".crc", StringComparison.Ordinal) && !f.Split('/').Any(s => s.StartsWith('_') || s.StartsWith('.')))
            .Order(StringComparer.Ordinal)];

    /// <summary>Decodes TFRecord files with the format library (<see cref="ExampleJsonLines"/>), one JSON object per record.</summary>
    /// <param name="files">The files.</param>
    /// <returns>The records, in file order.</returns>
    public static IReadOnlyList<JsonObject> Decode(IEnumerable<string> files)
    {
        using var buffer = new MemoryStream();
        new ExampleJsonLines(buffer).Write(files);
        return [.. Encoding.UTF8.GetString(buffer.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (JsonObject)JsonNode.Parse(l)!)];
    }

    /// <summary>The samples written against the samples expected, as multisets of records in one canonical form.</summary>
    /// <param name="expected">The expected records (feature -> scalar, or a list for a list feature).</param>
    /// <param name="decoded">The records decoded (<see cref="Decode"/>).</param>
    /// <param name="features">The spec's features.</param>
    /// <returns>The differences.</returns>
    public static IReadOnlyList<string> Samples(IReadOnlyList<JsonObject> expected, IReadOnlyList<JsonObject> decoded, IReadOnlyDictionary<string, (FeatureDtype Kind, bool IsList)> features)
    {
        var problems = new List<string>();
        var want = new List<string>();
        for (int i = 0; i < expected.Count; i++)
        {
            string? record = CanonicalExpected(expected[i], features, out string? problem);
            if (record is null)
            {
                problems.Add($"expected.jsonl record {i + 1}: {problem}");
            }
            else
            {
                want.Add(record);
            }
        }

        if (problems.Count > 0)
        {
            return problems;
        }

        var got = decoded.Select(r => CanonicalDecoded(r, features)).ToList();
        var missing = MultisetMinus(want, got);
        var extra = MultisetMinus(got, want);
        if (missing.Count > 0 || extra.Count > 0)
        {
            problems.Add($"samples differ: {want.Count} expected, {got.Count} written");
            problems.AddRange(missing.Select(r => "  expected, not written: " + r));
            problems.AddRange(extra.Select(r => "  written, not expected: " + r));
        }

        return problems;
    }

    /// <summary>The summary's counts against the counts expected.</summary>
    /// <param name="expected">The counts expected.</param>
    /// <param name="summaryJson">The JSON summary printed by <c>sparktf samples</c>.</param>
    /// <returns>The differences.</returns>
    public static IReadOnlyList<string> Counts(IReadOnlyDictionary<string, long> expected, string summaryJson)
    {
        using var summary = JsonDocument.Parse(summaryJson);
        if (!summary.RootElement.TryGetProperty("counts", out var counts))
        {
            return ["the summary has no counts: " + summaryJson];
        }

        var problems = new List<string>();
        foreach (var (name, value) in expected.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (!counts.TryGetProperty(name, out var actual))
            {
                problems.Add($"count {name}: expected {value}, the summary has no such count (it has {string.Join(", ", counts.EnumerateObject().Select(p => p.Name))})");
            }
            else if (actual.GetInt64() != value)
            {
                problems.Add($"count {name}: expected {value}, the summary says {actual.GetInt64()}");
            }
        }

        return problems;
    }

    /// <summary>
    /// The bad rows kept against the bad rows expected, order aside: the source, the file's name (its last path
    /// segment: a path on one engine, a URI on the other), the line when <paramref name="linesKnown"/> (Spark has
    /// none) and the start of the reason.
    /// </summary>
    /// <param name="expected">The bad rows expected.</param>
    /// <param name="kept">The bad rows kept, each a JSON object with source, file, row or line, and reason.</param>
    /// <param name="linesKnown">Whether the engine reports lines.</param>
    /// <returns>The differences.</returns>
    public static IReadOnlyList<string> Quarantine(IReadOnlyList<ExpectedBadRow> expected, IReadOnlyList<JsonObject> kept, bool linesKnown)
    {
        var actual = kept.Select(o => (
            Source: Text(o["source"]),
            File: LastSegment(Text(o["file"])),
            Line: (o["row"] ?? o["line"]) is JsonValue v && v.TryGetValue(out long l) ? l : (long?)null,
            Reason: Text(o["reason"]),
            Json: o.ToJsonString())).ToList();
        var unmatched = new List<ExpectedBadRow>();
        foreach (var e in expected)
        {
            int at = actual.FindIndex(a => a.Source == e.Source && a.File == e.File && (!linesKnown || a.Line == e.Line)
                && a.Reason.StartsWith(e.ReasonStarts, StringComparison.Ordinal));
            if (at < 0)
            {
                unmatched.Add(e);
            }
            else
            {
                actual.RemoveAt(at);
            }
        }

        var problems = new List<string>();
        problems.AddRange(unmatched.Select(e => $"bad row expected, not kept: source {e.Source}, file {e.File}, line {(linesKnown ? e.Line?.ToString(CultureInfo.InvariantCulture) ?? "null" : "(not compared)")}, reason starting '{e.ReasonStarts}'"));
        problems.AddRange(actual.Select(a => "bad row kept, not expected: " + a.Json));
        return problems;
    }

    /// <summary>Reads the bad rows kept in a quarantine folder: every JSON-lines file in it (the embedded engine writes
    /// rows.jsonl; Spark writes part files), names starting with <c>_</c> or <c>.</c> skipped.</summary>
    /// <param name="quarantine">The folder (<c>&lt;output&gt;/_quarantine</c>).</param>
    /// <returns>The rows; none when the folder is missing.</returns>
    public static IReadOnlyList<JsonObject> KeptBadRows(string quarantine)
    {
        if (!Directory.Exists(quarantine))
        {
            return [];
        }

        return [.. Directory.GetFiles(quarantine, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith('_') && !Path.GetFileName(f).StartsWith('.') && !f.EndsWith(".crc", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .SelectMany(File.ReadLines)
            .Where(l => l.Trim().Length > 0)
            .Select(l => (JsonObject)JsonNode.Parse(l)!)];
    }

    /// <summary>The records of each part file, by one feature's values, against the parts expected.</summary>
    /// <param name="expected">The parts expected.</param>
    /// <param name="output">The output folder.</param>
    /// <returns>The differences.</returns>
    public static IReadOnlyList<string> Files(ExpectedFiles expected, string output)
    {
        var problems = new List<string>();
        var parts = PartFiles(output);
        if (!parts.SequenceEqual(expected.Parts.Keys.Order(StringComparer.Ordinal)))
        {
            problems.Add($"part files: expected {string.Join(", ", expected.Parts.Keys.Order(StringComparer.Ordinal))}; written {string.Join(", ", parts)}");
        }

        foreach (var (part, values) in expected.Parts.OrderBy(p => p.Key, StringComparer.Ordinal).Where(p => parts.Contains(p.Key)))
        {
            var written = Decode([Path.Combine(output, part)]).Select(r => string.Join(",", Values(r[expected.Feature]))).ToList();
            if (!written.SequenceEqual(values))
            {
                problems.Add($"{part}: expected the records {expected.Feature} = [{string.Join(", ", values)}] in this order; written [{string.Join(", ", written)}]");
            }
        }

        return problems;
    }

    /// <summary>The texts a rendered Spark script must contain and must not contain.</summary>
    /// <param name="name">The rendering's name, for the message.</param>
    /// <param name="script">The script.</param>
    /// <param name="has">Texts it must contain (null to skip).</param>
    /// <param name="lacks">Texts it must not contain.</param>
    /// <returns>The differences.</returns>
    public static IReadOnlyList<string> Script(string name, string script, IReadOnlyList<string>? has, IReadOnlyList<string> lacks)
    {
        var problems = new List<string>();
        problems.AddRange((has ?? []).Where(t => !script.Contains(t, StringComparison.Ordinal)).Select(t => $"{name}: the Spark script lacks '{t}'"));
        foreach (string t in lacks)
        {
            int at = script.IndexOf(t, StringComparison.Ordinal);
            if (at >= 0)
            {
                int start = Math.Max(0, at - 60);
                problems.Add($"{name}: the Spark script contains '{t}': ...{script[start..Math.Min(script.Length, at + t.Length + 60)]}...");
            }
        }

        return problems;
    }

    private static string? CanonicalExpected(JsonObject record, IReadOnlyDictionary<string, (FeatureDtype Kind, bool IsList)> features, out string? problem)
    {
        problem = null;
        var unknown = record.Select(p => p.Key).Where(k => !features.ContainsKey(k)).ToList();
        // A list feature may be left out: a list that is null or invalid is not written (lists have no default).
        var absent = features.Where(f => !f.Value.IsList && !record.ContainsKey(f.Key)).Select(f => f.Key).ToList();
        if (unknown.Count > 0 || absent.Count > 0)
        {
            problem = $"{record.ToJsonString()}: " + (unknown.Count > 0 ? $"features not in the spec: {string.Join(", ", unknown)}; " : "")
                + (absent.Count > 0 ? $"features of the spec missing: {string.Join(", ", absent)}" : "");
            return null;
        }

        var canonical = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (name, (kind, isList)) in features)
        {
            if (!record.ContainsKey(name))
            {
                continue;
            }

            var node = record[name];
            if (isList != node is JsonArray)
            {
                problem = $"feature {name} is {(isList ? "a list: write a JSON array" : "a single value: write a scalar")}, not {node?.ToJsonString() ?? "null"}";
                return null;
            }

            var values = new List<JsonNode?>();
            foreach (var item in isList ? ((JsonArray)node!).ToList() : [node])
            {
                JsonNode? value = CanonicalValue(item, kind);
                if (value is null)
                {
                    problem = $"feature {name} ({kind}): {item?.ToJsonString() ?? "null"} is not a {kind} value (int64: an integer; float: a number or \"NaN\", \"Infinity\", \"-Infinity\"; string: a string)";
                    return null;
                }

                values.Add(value);
            }

            canonical[name] = isList ? new JsonArray([.. values]) : values[0];
        }

        return Serialize(canonical);
    }

    private static string CanonicalDecoded(JsonObject record, IReadOnlyDictionary<string, (FeatureDtype Kind, bool IsList)> features)
    {
        var canonical = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (name, node) in record)
        {
            var values = Values(node).Select(v => (JsonNode?)JsonValue.Create(v)).ToList();
            if (node is JsonObject o && o.ContainsKey("int64"))
            {
                values = [.. o["int64"]!.AsArray().Select(v => (JsonNode?)JsonValue.Create(v!.GetValue<long>()))];
            }
            else if (node is JsonObject f && f.ContainsKey("float"))
            {
                values = [.. f["float"]!.AsArray().Select(v => v is JsonValue jv && jv.TryGetValue(out string? s) ? JsonValue.Create(s) : JsonNode.Parse(v!.ToJsonString()))];
            }

            bool isList = features.TryGetValue(name, out var feature) ? feature.IsList : values.Count != 1;
            canonical[name] = isList || values.Count != 1 ? new JsonArray([.. values]) : values[0];
        }

        return Serialize(canonical);
    }

    // int64: the integer; float: the shortest text of the float32 (as the format library prints it); string: the text.
    private static JsonNode? CanonicalValue(JsonNode? item, FeatureDtype kind)
    {
        if (item is not JsonValue v)
        {
            return null;
        }

        // Read back from its JSON text, so a value built in code and one parsed from a file are read alike.
        JsonElement e = JsonSerializer.Deserialize<JsonElement>(v.ToJsonString());
        switch (kind)
        {
            case FeatureDtype.Int64:
                return e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out long l) ? JsonValue.Create(l) : null;
            case FeatureDtype.Float:
                if (e.ValueKind == JsonValueKind.String)
                {
                    return e.GetString() is "NaN" or "Infinity" or "-Infinity" ? JsonValue.Create(e.GetString()) : null;
                }

                return e.ValueKind == JsonValueKind.Number ? JsonNode.Parse(ExampleJson.FormatFloat((float)e.GetDouble())) : null;
            default:
                return e.ValueKind == JsonValueKind.String ? JsonValue.Create(e.GetString()) : null;
        }
    }

    // The values of a decoded feature as text: bytes as their text, or "b64:" and base64 when not UTF-8.
    private static IEnumerable<string> Values(JsonNode? feature)
    {
        if (feature is not JsonObject o || o.Count != 1)
        {
            return [];
        }

        var (kind, list) = o.First();
        if (list is not JsonArray a)
        {
            return [];
        }

        return a.Select(v => kind != "bytes" ? v!.ToJsonString()
            : v is JsonObject b ? "b64:" + b["b64"]!.GetValue<string>()
            : v!.GetValue<string>());
    }

    private static string Serialize(SortedDictionary<string, JsonNode?> canonical)
    {
        var o = new JsonObject();
        foreach (var (k, v) in canonical)
        {
            o[k] = v?.DeepClone();
        }

        return o.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    private static List<string> MultisetMinus(List<string> a, List<string> b)
    {
        var left = b.GroupBy(x => x, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var rest = new List<string>();
        foreach (string x in a.Order(StringComparer.Ordinal))
        {
            if (left.TryGetValue(x, out int n) && n > 0)
            {
                left[x] = n - 1;
            }
            else
            {
                rest.Add(x);
            }
        }

        return rest;
    }

    private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) ? s : node?.ToJsonString() ?? "null";

    private static string LastSegment(string file) => file.TrimEnd('/')[(file.TrimEnd('/').LastIndexOf('/') + 1)..];
}
