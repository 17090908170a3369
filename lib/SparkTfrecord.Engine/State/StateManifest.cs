using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SparkTfrecord.Engine.State;

/// <summary>
/// A snapshot's <c>_manifest.json</c> (docs/state.md): <c>version</c>, <c>kind</c> ("state"), <c>date</c> (the day whose
/// run wrote it), <c>state_hash</c> (what decides the state's meaning: the spec file's bytes and the input root),
/// <c>spec_hash</c>, <c>histories</c>, <c>sources</c> (per stateful source: its path template, the covered partition days
/// and every covered file's fingerprint), <c>used</c> (the snapshot the writing run started from, or null) and
/// <c>files_read</c> (the files the writing run read per source).
/// </summary>
/// <param name="Date">The day whose run wrote the snapshot.</param>
/// <param name="StateHash">The state hash.</param>
/// <param name="SpecHash">The feature spec's hash.</param>
/// <param name="Histories">The history definitions, one text each (feature, events, user, value, window, max_length).</param>
/// <param name="Sources">The covered partitions and files per stateful source.</param>
/// <param name="Used">The snapshot the writing run used, or null.</param>
/// <param name="FilesRead">The files the writing run read per source.</param>
internal sealed record StateManifest(
    DateOnly Date,
    string StateHash,
    string SpecHash,
    IReadOnlyList<string> Histories,
    IReadOnlyDictionary<string, StateManifestSource> Sources,
    DateOnly? Used,
    IReadOnlyDictionary<string, int> FilesRead)
{
    /// <summary>The file name.</summary>
    public const string FileName = "_manifest.json";

    /// <summary>The format version.</summary>
    public const int Version = 1;

    /// <summary>The manifest's <c>kind</c>: what tells a snapshot from a samples output (kind "samples").</summary>
    internal const string Kind = "state";

    /// <summary>Writes the manifest.</summary>
    /// <param name="path">The file.</param>
    public void Write(string path)
    {
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        w.WriteNumber("version", Version);
        w.WriteString("kind", Kind);
        w.WriteString("date", Day(Date));
        w.WriteString("state_hash", StateHash);
        w.WriteString("spec_hash", SpecHash);
        w.WriteStartArray("histories");
        foreach (string h in Histories)
        {
            w.WriteStringValue(h);
        }

        w.WriteEndArray();
        w.WriteStartObject("sources");
        foreach (var (name, source) in Sources.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            w.WriteStartObject(name);
            w.WriteString("path", source.PathTemplate);
            w.WriteStartArray("covered");
            foreach (var d in source.Covered)
            {
                w.WriteStringValue(Day(d));
            }

            w.WriteEndArray();
            w.WriteStartArray("files");
            foreach (var f in source.Files)
            {
                w.WriteStartObject();
                w.WriteString("path", f.Path);
                w.WriteNumber("size", f.Size);
                w.WriteString("mtime", f.Modified);
                w.WriteString("hash", f.Hash);
                w.WriteString("hash_kind", f.HashKind);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartObject("counts");
            foreach (var (day, c) in source.Counts.OrderBy(c => c.Key))
            {
                w.WriteStartObject(Day(day));
                w.WriteNumber("read", c.Read);
                w.WriteNumber("quarantined", c.Quarantined);
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndObject();
        if (Used is { } used)
        {
            w.WriteString("used", Day(used));
        }
        else
        {
            w.WriteNull("used");
        }

        w.WriteStartObject("files_read");
        foreach (var (name, n) in FilesRead.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            w.WriteNumber(name, n);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>Whether a folder is a committed snapshot of any version: its manifest's kind is <see cref="Kind"/> (a
    /// snapshot of an older version is still the state's to replace).</summary>
    /// <param name="folder">The folder.</param>
    /// <returns>True for a snapshot.</returns>
    internal static bool IsSnapshot(string folder)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, FileName)));
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("kind", out var kind) &&
                kind.ValueKind == JsonValueKind.String && kind.GetString() == Kind;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return false;
        }
    }

    /// <summary>Reads a manifest, or null when it is missing or not a state manifest of this version.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The manifest.</returns>
    public static StateManifest? Read(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var r = doc.RootElement;
            if (r.GetProperty("version").GetInt32() != Version || r.GetProperty("kind").GetString() != Kind)
            {
                return null;
            }

            var sources = new Dictionary<string, StateManifestSource>(StringComparer.Ordinal);
            foreach (var s in r.GetProperty("sources").EnumerateObject())
            {
                var files = s.Value.GetProperty("files").EnumerateArray().Select(f => new FileFingerprint(
                    f.GetProperty("path").GetString()!, f.GetProperty("size").GetInt64(), f.GetProperty("mtime").GetString()!,
                    f.GetProperty("hash").GetString()!, f.GetProperty("hash_kind").GetString()!)).ToList();
                var covered = s.Value.GetProperty("covered").EnumerateArray().Select(d => ParseDay(d.GetString()!)).ToList();
                var counts = s.Value.GetProperty("counts").EnumerateObject().ToDictionary(
                    c => ParseDay(c.Name), c => new PartitionCounts(c.Value.GetProperty("read").GetInt64(), c.Value.GetProperty("quarantined").GetInt64()));
                sources[s.Name] = new StateManifestSource(s.Value.GetProperty("path").GetString()!, covered, files, counts);
            }

            var used = r.GetProperty("used");
            return new StateManifest(
                ParseDay(r.GetProperty("date").GetString()!),
                r.GetProperty("state_hash").GetString()!,
                r.GetProperty("spec_hash").GetString()!,
                r.GetProperty("histories").EnumerateArray().Select(h => h.GetString()!).ToList(),
                sources,
                used.ValueKind == JsonValueKind.Null ? null : ParseDay(used.GetString()!),
                r.GetProperty("files_read").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32(), StringComparer.Ordinal));
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A day as the manifest writes it.</summary>
    /// <param name="d">The day.</param>
    /// <returns>yyyy-MM-dd.</returns>
    public static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly ParseDay(string s) => DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
