using System.Globalization;
using System.Net;
using System.Text;
using SparkTfrecord.Spec.Validation;

namespace SparkTfrecord.Spec.Statistics;

/// <summary>
/// The statistics as one self-contained HTML page (docs/report.md): inline CSS and SVG drawn here, no script, no
/// external resource. Its size is bounded whatever the data size: per feature a fixed number of buckets, quantiles and
/// top values.
/// </summary>
public static class HtmlReport
{
    /// <summary>The page's first bytes: how a later run knows a file it may replace is a page, not data.</summary>
    public const string Doctype = "<!DOCTYPE html>";

    /// <summary>Top string values shown per feature.</summary>
    public const int TopShown = 20;

    private const int ChartWidth = 360;
    private const int ChartHeight = 110;

    /// <summary>Writes the page to a file, whole or not at all (a temporary file renamed), as UTF-8 without a BOM.</summary>
    /// <param name="path">The file.</param>
    /// <param name="statistics">This dataset's statistics.</param>
    /// <param name="report">The validation's report (anomalies, undeclared features), or null.</param>
    /// <param name="baseline">The baseline's statistics, shown beside this dataset's, or null.</param>
    /// <param name="comparisons">The distances to the baseline, or empty.</param>
    /// <param name="mode">Which thresholds the comparisons applied.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void WriteFile(string path, DatasetStatistics statistics, ValidationReport? report, DatasetStatistics? baseline, IReadOnlyList<FeatureComparison> comparisons, ComparisonMode mode) =>
        Tfrecord.Files.AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
            Write(writer, statistics, report, baseline, comparisons, mode);
        });

    /// <summary>Writes the page.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="statistics">This dataset's statistics.</param>
    /// <param name="report">The validation's report (anomalies, undeclared features), or null.</param>
    /// <param name="baseline">The baseline's statistics, shown beside this dataset's, or null.</param>
    /// <param name="comparisons">The distances to the baseline, or empty.</param>
    /// <param name="mode">Which thresholds the comparisons applied.</param>
    public static void Write(TextWriter writer, DatasetStatistics statistics, ValidationReport? report, DatasetStatistics? baseline, IReadOnlyList<FeatureComparison> comparisons, ComparisonMode mode)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(statistics);
        ArgumentNullException.ThrowIfNull(comparisons);
        var w = new StringBuilder();
        w.Append(Doctype).Append("\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">");
        w.Append("<title>sparktf statistics: ").Append(E(statistics.Dataset)).Append("</title><style>").Append(Css).Append("</style></head><body>\n");
        w.Append("<header><h1>Statistics of ").Append(E(statistics.Dataset)).Append("</h1><dl>");
        Term(w, "records", N(statistics.Records), "records");
        Term(w, "spec hash", statistics.SpecHash ?? "-", "spec-hash");
        Term(w, "computed", statistics.Created, "created");
        if (baseline is not null)
        {
            Term(w, "baseline", $"{baseline.Dataset} ({N(baseline.Records)} records, {baseline.Created})", "baseline");
            Term(w, "thresholds", mode == ComparisonMode.Drift ? "drift:" : "skew:", "mode");
        }

        w.Append("</dl></header>\n");
        Summary(w, report, comparisons, mode);
        foreach (FeatureStatistics f in statistics.Features)
        {
            Feature(w, f, baseline?.Find(f.Name), report?.Features.FirstOrDefault(s => s.Name == f.Name && s.Known), [.. comparisons.Where(c => c.Feature == f.Name)], statistics.Records, baseline?.Records);
        }

        if (report is not null && report.Features.Where(f => !f.Known).ToList() is { Count: > 0 } unknown)
        {
            w.Append("<section class=\"feature\"><h2>Features not in the spec</h2><table><tr><th>feature</th><th>kind</th><th>present</th></tr>");
            foreach (FeatureSummary f in unknown.Take(100))
            {
                w.Append("<tr><td>").Append(E(f.Name)).Append("</td><td>").Append(E(f.Kind)).Append("</td><td>").Append(N(f.Present)).Append("</td></tr>");
            }

            w.Append("</table>").Append(unknown.Count > 100 ? $"<p>and {unknown.Count - 100} more</p>" : "").Append("</section>\n");
        }

        w.Append("<footer>Written by sparktf validate; what each figure means: docs/report.md.</footer></body></html>\n");
        writer.Write(w.ToString());
    }

    private static void Summary(StringBuilder w, ValidationReport? report, IReadOnlyList<FeatureComparison> comparisons, ComparisonMode mode)
    {
        var lines = new List<string>();
        foreach (FeatureSummary f in report?.Features ?? [])
        {
            lines.AddRange(f.Anomalies.Select(a => $"feature '{f.Name}': {a.Type}: {a.Description}"));
        }

        lines.AddRange(comparisons.Where(c => c.Exceeded).Select(c => c.Describe(mode)));
        w.Append("<section class=\"summary\"><h2>Anomalies</h2>");
        if (lines.Count == 0)
        {
            w.Append("<p class=\"clean\" data-stat=\"anomaly-count\">0 anomalies</p>");
        }
        else
        {
            w.Append("<p class=\"bad\" data-stat=\"anomaly-count\">").Append(lines.Count).Append(" anomalies</p><ul>");
            foreach (string line in lines.Take(200))
            {
                w.Append("<li>").Append(E(line)).Append("</li>");
            }

            w.Append("</ul>");
        }

        w.Append("</section>\n");
    }

    private static void Feature(StringBuilder w, FeatureStatistics f, FeatureStatistics? before, FeatureSummary? summary, List<FeatureComparison> comparisons, long records, long? baselineRecords)
    {
        bool bad = comparisons.Any(c => c.Exceeded) || summary?.Anomalies.Count > 0;
        w.Append("<section class=\"feature").Append(bad ? " anomalous" : "").Append("\" data-feature=\"").Append(E(f.Name)).Append("\"><h2>").Append(E(f.Name))
            .Append(" <small>").Append(E(f.Kind)).Append(f.IsList ? " list" : "").Append("</small></h2>\n");
        w.Append("<div class=\"sides\">");
        Side(w, f, records, "this dataset");
        if (before is not null)
        {
            Side(w, before, baselineRecords ?? 0, "baseline");
        }

        w.Append("</div>");
        if (comparisons.Count > 0)
        {
            w.Append("<table class=\"distances\"><tr><th>distance</th><th>of</th><th>value</th><th>threshold</th><th></th></tr>");
            foreach (FeatureComparison c in comparisons)
            {
                w.Append("<tr").Append(c.Exceeded ? " class=\"bad\"" : "").Append("><td>").Append(c.Metric).Append("</td><td>").Append(E(c.Of))
                    .Append("</td><td data-stat=\"").Append(c.Metric).Append("\">").Append(D(c.Distance)).Append("</td><td>").Append(D(c.Threshold))
                    .Append("</td><td>").Append(c.Exceeded ? "over the threshold" : "ok").Append(c.MostChanged is { } v ? $" (most changed: {E(v)})" : "").Append("</td></tr>");
            }

            w.Append("</table>");
        }

        if (summary is { Anomalies.Count: > 0 })
        {
            w.Append("<ul class=\"anomalies\">");
            foreach (Anomaly a in summary.Anomalies)
            {
                w.Append("<li><b>").Append(E(a.Type)).Append("</b> ").Append(E(a.Description)).Append("</li>");
            }

            w.Append("</ul>");
        }

        w.Append("</section>\n");
    }

    private static void Side(StringBuilder w, FeatureStatistics f, long records, string title)
    {
        w.Append("<div class=\"side\" data-side=\"").Append(title == "baseline" ? "baseline" : "current").Append("\"><h3>").Append(title).Append("</h3><table class=\"figures\">");
        Row(w, "present", $"{N(f.Present)} of {N(records)} ({(records == 0 ? "-" : (100.0 * f.Present / records).ToString("0.##", CultureInfo.InvariantCulture) + "%")})", "present", N(f.Present));
        Distribution v = f.ValuesPerRecord;
        Row(w, f.IsList ? "length min / mean / max" : "values per record min / mean / max", v.Count == 0 ? "-" : $"{D(v.Min)} / {D(v.Mean)} / {D(v.Max)}", "values-per-record", v.Count == 0 ? "" : $"{D(v.Min)} {D(v.Mean)} {D(v.Max)}");
        if (f.DistinctApprox is { } distinct)
        {
            Row(w, "distinct (estimate)", N(distinct), "distinct", N(distinct));
        }

        if (f.Numbers is { } n)
        {
            Row(w, "values", N(n.Count), "count", N(n.Count));
            Row(w, "min / mean / max", n.Count == 0 ? "-" : $"{D(n.Min)} / {D(n.Mean)} / {D(n.Max)}", "min-mean-max", n.Count == 0 ? "" : $"{D(n.Min)} {D(n.Mean)} {D(n.Max)}");
            Row(w, "zeros", N(n.Zeros), "zeros", N(n.Zeros));
            Row(w, "NaN", N(n.NaN), "nan", N(n.NaN));
            if (n.Infinities > 0)
            {
                Row(w, "infinities", N(n.Infinities), "infinities", N(n.Infinities));
            }

            if (n.Quantiles.Count > 0)
            {
                string quantiles = string.Join(" ", n.Quantiles.Select(D));
                Row(w, "quantiles 0, 0.1 ... 1", quantiles, "quantiles", quantiles);
            }
        }

        w.Append("</table>");
        Chart(w, f.IsList ? "length histogram" : "values per record", v, "values-per-record-histogram");
        if (f.Numbers is { Count: > 0 } numbers)
        {
            Chart(w, "values", numbers, "histogram");
        }

        if (f.Strings is { } s)
        {
            TopValues(w, s);
        }

        w.Append("</div>");
    }

    private static void Row(StringBuilder w, string label, string shown, string stat, string value) =>
        w.Append("<tr><th>").Append(E(label)).Append("</th><td data-stat=\"").Append(stat).Append("\" data-value=\"").Append(E(value)).Append("\">").Append(E(shown)).Append("</td></tr>");

    private static void TopValues(StringBuilder w, StringValues s)
    {
        w.Append("<h4>top values (of ").Append(N(s.TotalValues)).Append(")</h4><table class=\"top\" data-stat=\"top-values\">");
        long most = s.Top.Count == 0 ? 1 : Math.Max(1, s.Top[0].Count);
        foreach (ValueCount v in s.Top.Take(TopShown))
        {
            string value = v.Value.Length > 60 ? v.Value[..60] + "…" : v.Value;
            double width = 100.0 * v.Count / most;
            w.Append("<tr><td class=\"value\" data-value=\"").Append(E(value)).Append("\">").Append(E(value)).Append("</td><td class=\"count\" data-count=\"").Append(v.Count.ToString(CultureInfo.InvariantCulture)).Append("\">")
                .Append(N(v.Count)).Append("</td><td class=\"bar\"><svg width=\"100\" height=\"10\"><rect width=\"").Append(width.ToString("0.#", CultureInfo.InvariantCulture)).Append("\" height=\"10\"/></svg></td></tr>");
        }

        w.Append("</table>");
        if (s.Top.Count > TopShown)
        {
            w.Append("<p class=\"note\">").Append(s.Top.Count - TopShown).Append(" more values kept in the statistics</p>");
        }
    }

    // A bar chart of a histogram's buckets, drawn here as SVG rectangles (no script), each bar titled with its range
    // and count.
    private static void Chart(StringBuilder w, string title, Distribution d, string stat)
    {
        w.Append("<figure data-stat=\"").Append(stat).Append("\"><figcaption>").Append(E(title)).Append("</figcaption>");
        if (d.Histogram.Count == 0)
        {
            w.Append("<p class=\"note\">no values</p></figure>");
            return;
        }

        double most = Math.Max(1, d.Histogram.Max(b => b.Count));
        double barWidth = (double)ChartWidth / d.Histogram.Count;
        w.Append("<svg viewBox=\"0 0 ").Append(ChartWidth).Append(' ').Append(ChartHeight + 14).Append("\" width=\"").Append(ChartWidth).Append("\" height=\"").Append(ChartHeight + 14).Append("\" role=\"img\">");
        for (int i = 0; i < d.Histogram.Count; i++)
        {
            HistogramBucket b = d.Histogram[i];
            double height = ChartHeight * b.Count / most;
            w.Append("<rect x=\"").Append(F(i * barWidth + 1)).Append("\" y=\"").Append(F(ChartHeight - height)).Append("\" width=\"").Append(F(barWidth - 2))
                .Append("\" height=\"").Append(F(height)).Append("\" data-low=\"").Append(D(b.Low)).Append("\" data-high=\"").Append(D(b.High)).Append("\" data-count=\"").Append(F(b.Count))
                .Append("\"><title>").Append(b.Low == b.High ? D(b.Low) : $"{D(b.Low)} .. {D(b.High)}").Append(": ").Append(F(b.Count)).Append("</title></rect>");
        }

        w.Append("<text x=\"0\" y=\"").Append(ChartHeight + 12).Append("\">").Append(D(d.Histogram[0].Low)).Append("</text>");
        w.Append("<text x=\"").Append(ChartWidth).Append("\" y=\"").Append(ChartHeight + 12).Append("\" text-anchor=\"end\">").Append(D(d.Histogram[^1].High)).Append("</text>");
        w.Append("</svg></figure>");
    }

    private static void Term(StringBuilder w, string term, string value, string stat) =>
        w.Append("<dt>").Append(E(term)).Append("</dt><dd data-stat=\"").Append(stat).Append("\">").Append(E(value)).Append("</dd>");

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string D(double value) => double.IsFinite(value) ? value.ToString("G6", CultureInfo.InvariantCulture) : "-";

    // Coordinates and counts: whole digits (a count of a million is 1000000, not G6's 1E+06).
    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    // System fonts only (no web font); print: no backgrounds needed, features not split across pages.
    private const string Css =
        "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}h1{font-size:1.4em;margin:0 0 .3em}h2{font-size:1.15em;margin:.2em 0}" +
        "h2 small{color:#666;font-weight:normal}h3{font-size:1em;margin:.3em 0}h4{margin:.5em 0 .2em;font-size:.95em}" +
        "dl{display:grid;grid-template-columns:max-content auto;gap:.1em 1em;margin:0}dt{color:#555}dd{margin:0;font-family:ui-monospace,monospace}" +
        "section{border:1px solid #ccc;border-radius:4px;padding:.6em 1em;margin:1em 0;break-inside:avoid}section.anomalous{border-color:#c33}" +
        ".sides{display:flex;flex-wrap:wrap;gap:2em}.side{min-width:360px}table{border-collapse:collapse}th,td{text-align:left;padding:1px 8px 1px 0;vertical-align:top}" +
        "th{font-weight:normal;color:#555}td{font-variant-numeric:tabular-nums}.bad{color:#b00}.clean{color:#070}rect{fill:#4a78b5}.bar rect{fill:#8aa8d0}" +
        "figure{margin:.4em 0}figcaption{color:#555;font-size:.9em}svg text{font-size:10px;fill:#555}.note{color:#777;font-size:.9em}" +
        "footer{color:#777;font-size:.85em;margin-top:2em}" +
        "@media print{body{margin:0;font-size:11px}section{border-color:#999}rect{fill:#555}.bar rect{fill:#999}}";
}
