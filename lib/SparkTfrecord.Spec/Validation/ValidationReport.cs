using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SparkTfrecord.Spec.Validation;

/// <summary>The result of validating files: per-feature statistics and anomalies, as text or JSON.</summary>
public sealed class ValidationReport
{
    /// <summary>The version of the JSON report's format (its <c>version</c> field).</summary>
    public const int FormatVersion = 1;

    internal ValidationReport(string source, IReadOnlyList<string> files, long records, IReadOnlyList<FeatureSummary> features)
    {
        Source = source;
        Files = files;
        Records = records;
        Features = features;
    }

    /// <summary>The spec or schema validated against.</summary>
    public string Source { get; }

    /// <summary>The files read, in order.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Records read.</summary>
    public long Records { get; }

    /// <summary>The declared features in declaration order, then undeclared ones by name.</summary>
    public IReadOnlyList<FeatureSummary> Features { get; }

    /// <summary>Number of anomalies (kinds per feature, not records).</summary>
    public int AnomalyCount => Features.Sum(f => f.Anomalies.Count);

    /// <summary>True when no anomaly was found.</summary>
    public bool IsClean => AnomalyCount == 0;

    /// <summary>Writes the human-readable summary: a table of features, then one line per anomaly.</summary>
    /// <param name="writer">Where to write.</param>
    public void WriteText(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine($"validated {Records} records in {Files.Count} file(s) against {Source}");
        int nameWidth = Math.Max(7, Features.Count == 0 ? 0 : Features.Max(f => f.Name.Length));
        writer.WriteLine($"{"feature".PadRight(nameWidth)}  {"kind",-6}  {"present",-16}  {"values/record min/mean/max",-26}  {"min",-12}  {"max",-12}  {"distinct~",-9}  anomalies");
        foreach (FeatureSummary f in Features)
        {
            string present = Records == 0 ? $"{f.Present}" : $"{f.Present} ({100.0 * f.Present / Records:0.#}%)";
            string values = f.ValuesMin is null ? "-" : $"{f.ValuesMin} / {f.ValuesMean!.Value.ToString("0.00", CultureInfo.InvariantCulture)} / {f.ValuesMax}";
            string anomalies = f.Anomalies.Count == 0 ? "-" : string.Join(",", f.Anomalies.Select(a => a.Type));
            writer.WriteLine($"{f.Name.PadRight(nameWidth)}  {f.Kind,-6}  {present,-16}  {values,-26}  {FeatureSummary.FormatNumber(f.Min),-12}  {FeatureSummary.FormatNumber(f.Max),-12}  {(f.DistinctApprox?.ToString(CultureInfo.InvariantCulture) ?? "-"),-9}  {anomalies}");
        }

        foreach (FeatureSummary f in Features)
        {
            foreach (Anomaly a in f.Anomalies)
            {
                string first = a.First is { } r ? $" (first: {r})" : "";
                writer.WriteLine($"anomaly: feature '{f.Name}': {a.Type}: {a.Description}{first}");
            }
        }

        writer.WriteLine(IsClean ? "result: clean" : $"result: {AnomalyCount} anomalies in {Features.Count(f => f.Anomalies.Count > 0)} feature(s)");
    }

    /// <summary>Writes the JSON report (documented in docs/feature-spec.md).</summary>
    /// <param name="stream">Where to write (UTF-8).</param>
    public void WriteJson(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteNumber("version", FormatVersion);
        json.WriteString("source", Source);
        json.WriteStartArray("files");
        foreach (string file in Files)
        {
            json.WriteStringValue(file);
        }

        json.WriteEndArray();
        json.WriteNumber("records", Records);
        json.WriteBoolean("clean", IsClean);
        json.WriteNumber("anomaly_count", AnomalyCount);
        json.WriteStartArray("features");
        foreach (FeatureSummary f in Features)
        {
            json.WriteStartObject();
            json.WriteString("name", f.Name);
            json.WriteBoolean("known", f.Known);
            json.WriteString("kind", f.Kind);
            json.WriteNumber("present", f.Present);
            json.WriteStartObject("values_per_record");
            WriteNumber(json, "min", f.ValuesMin);
            WriteNumber(json, "mean", f.ValuesMean);
            WriteNumber(json, "max", f.ValuesMax);
            json.WriteEndObject();
            WriteNumber(json, "min", f.Min);
            WriteNumber(json, "max", f.Max);
            WriteNumber(json, "distinct_approx", f.DistinctApprox);
            json.WriteStartArray("anomalies");
            foreach (Anomaly a in f.Anomalies)
            {
                json.WriteStartObject();
                json.WriteString("type", a.Type);
                json.WriteString("description", a.Description);
                json.WriteNumber("records", a.Count);
                if (a.First is { } r)
                {
                    json.WriteStartObject("first");
                    json.WriteString("file", r.File);
                    json.WriteNumber("record", r.Record);
                    json.WriteEndObject();
                }
                else
                {
                    json.WriteNull("first");
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, object? value)
    {
        switch (value)
        {
            case long l: json.WriteNumber(name, l); break;
            case double d when double.IsFinite(d): json.WriteNumber(name, d); break;
            default: json.WriteNull(name); break;
        }
    }
}
