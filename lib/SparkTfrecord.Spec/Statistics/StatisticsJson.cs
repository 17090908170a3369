using System.Text.Encodings.Web;
using System.Text.Json;

namespace SparkTfrecord.Spec.Statistics;

/// <summary>
/// The JSON form of <see cref="DatasetStatistics"/> (<c>validate --save-stats</c>, a samples output's
/// <c>_stats.json</c>; documented in docs/report.md with its mapping to TFDV's DatasetFeatureStatisticsList).
/// </summary>
public static class StatisticsJson
{
    /// <summary>The value of the <c>format</c> field.</summary>
    public const string Format = "sparktf-statistics";

    /// <summary>The version of the form (its <c>version</c> field); a reader refuses another.</summary>
    public const int Version = 1;

    /// <summary>Writes the statistics.</summary>
    /// <param name="stream">Where to write (UTF-8).</param>
    /// <param name="statistics">The statistics.</param>
    public static void Write(Stream stream, DatasetStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(statistics);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteString("format", Format);
        json.WriteNumber("version", Version);
        json.WriteString("dataset", statistics.Dataset);
        json.WriteNumber("records", statistics.Records);
        json.WriteString("spec_hash", statistics.SpecHash);
        json.WriteString("created", statistics.Created);
        json.WriteStartArray("features");
        foreach (FeatureStatistics f in statistics.Features)
        {
            json.WriteStartObject();
            json.WriteString("name", f.Name);
            json.WriteString("kind", f.Kind);
            json.WriteBoolean("list", f.IsList);
            json.WriteNumber("present", f.Present);
            if (f.DistinctApprox is { } distinct)
            {
                json.WriteNumber("distinct_approx", distinct);
            }
            else
            {
                json.WriteNull("distinct_approx");
            }

            json.WritePropertyName("values_per_record");
            WriteDistribution(json, f.ValuesPerRecord);
            json.WritePropertyName("numbers");
            WriteDistribution(json, f.Numbers);
            json.WritePropertyName("strings");
            if (f.Strings is { } strings)
            {
                json.WriteStartObject();
                json.WriteNumber("total_values", strings.TotalValues);
                json.WriteStartArray("top");
                foreach (ValueCount v in strings.Top)
                {
                    json.WriteStartObject();
                    json.WriteString("value", v.Value);
                    json.WriteNumber("count", v.Count);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }
            else
            {
                json.WriteNullValue();
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Writes the statistics to a file, whole or not at all (a temporary file renamed).</summary>
    /// <param name="path">The file.</param>
    /// <param name="statistics">The statistics.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void WriteFile(string path, DatasetStatistics statistics) =>
        Tfrecord.Files.AtomicFile.Write(path, stream => Write(stream, statistics));

    /// <summary>Reads statistics written by <see cref="Write"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="FormatException">The file is not statistics of this version (the message names the file and what is wrong).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static DatasetStatistics Read(string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}: not JSON ({e.Message}); expected statistics written by 'sparktf validate --save-stats'.", e);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out JsonElement format) || format.ValueKind != JsonValueKind.String || format.GetString() != Format)
            {
                throw new FormatException($"{path}: not sparktf statistics (no \"format\": \"{Format}\"); expected a file written by 'sparktf validate --save-stats' or a samples output's _stats.json.");
            }

            if (!root.TryGetProperty("version", out JsonElement versionElement) || !versionElement.TryGetInt32(out int version) || version != Version)
            {
                throw new FormatException($"{path}: statistics of version {(root.TryGetProperty("version", out JsonElement v) ? v.GetRawText() : "(none)")}; this sparktf reads version {Version}. Compute them again with this version (sparktf validate --save-stats).");
            }

            try
            {
                var features = root.GetProperty("features").EnumerateArray().Select(f => new FeatureStatistics(
                    f.GetProperty("name").GetString()!,
                    f.GetProperty("kind").GetString()!,
                    f.GetProperty("list").GetBoolean(),
                    f.GetProperty("present").GetInt64(),
                    ReadDistribution(f.GetProperty("values_per_record"))!,
                    ReadDistribution(f.GetProperty("numbers")),
                    f.GetProperty("strings") is { ValueKind: JsonValueKind.Object } s
                        ? new StringValues(s.GetProperty("total_values").GetInt64(), [.. s.GetProperty("top").EnumerateArray().Select(v => new ValueCount(v.GetProperty("value").GetString()!, v.GetProperty("count").GetInt64()))])
                        : null,
                    f.GetProperty("distinct_approx") is { ValueKind: JsonValueKind.Number } d ? d.GetInt64() : null)).ToList();
                return new DatasetStatistics(
                    root.GetProperty("dataset").GetString()!,
                    root.GetProperty("records").GetInt64(),
                    root.GetProperty("spec_hash").GetString(),
                    root.GetProperty("created").GetString()!,
                    features);
            }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new FormatException($"{path}: damaged statistics ({e.Message}); write them again with 'sparktf validate --save-stats'.", e);
            }
        }
    }

    private static void WriteDistribution(Utf8JsonWriter json, Distribution? d)
    {
        if (d is null)
        {
            json.WriteNullValue();
            return;
        }

        json.WriteStartObject();
        json.WriteNumber("count", d.Count);
        Number(json, "min", d.Min);
        Number(json, "max", d.Max);
        Number(json, "mean", d.Mean);
        json.WriteNumber("zeros", d.Zeros);
        json.WriteNumber("nan", d.NaN);
        json.WriteNumber("infinities", d.Infinities);
        json.WriteStartArray("quantiles");
        foreach (double q in d.Quantiles)
        {
            json.WriteNumberValue(q);
        }

        json.WriteEndArray();
        json.WriteStartArray("histogram");
        foreach (HistogramBucket b in d.Histogram)
        {
            json.WriteStartObject();
            json.WriteNumber("low", b.Low);
            json.WriteNumber("high", b.High);
            json.WriteNumber("count", b.Count);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static Distribution? ReadDistribution(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        static double Get(JsonElement e, string name) => e.GetProperty(name) is { ValueKind: JsonValueKind.Number } n ? n.GetDouble() : double.NaN;
        return new Distribution(
            e.GetProperty("count").GetInt64(),
            Get(e, "min"),
            Get(e, "max"),
            Get(e, "mean"),
            e.GetProperty("zeros").GetInt64(),
            e.GetProperty("nan").GetInt64(),
            e.GetProperty("infinities").GetInt64(),
            [.. e.GetProperty("quantiles").EnumerateArray().Select(q => q.GetDouble())],
            [.. e.GetProperty("histogram").EnumerateArray().Select(b => new HistogramBucket(b.GetProperty("low").GetDouble(), b.GetProperty("high").GetDouble(), b.GetProperty("count").GetDouble()))]);
    }
}
