using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace SparkTfrecord.Jobs.Tests.Report;

/// <summary>
/// Reads the figures out of a report page by the data attributes docs/report.md's page carries (data-feature,
/// data-side, data-stat, data-value, data-count), so a test compares what the page shows with numbers it computed.
/// </summary>
internal sealed partial class ReportPage(string html)
{
    public string Html { get; } = html;

    /// <summary>A header figure (records, spec-hash, ...), as shown.</summary>
    public string Header(string stat) => Decode(Match(HeaderPattern(), Html, stat, $"header '{stat}'"));

    /// <summary>The data-value of a figure of <paramref name="feature"/> on one side (current or baseline).</summary>
    public string Value(string feature, string stat, string side = "current")
    {
        string part = Side(feature, side);
        var m = Regex.Match(part, $"data-stat=\"{Regex.Escape(stat)}\" data-value=\"([^\"]*)\"");
        Assert.That(m.Success, Is.True, $"the report shows no '{stat}' for {feature} ({side})");
        return Decode(m.Groups[1].Value);
    }

    /// <summary>The top values shown for <paramref name="feature"/>, most frequent first.</summary>
    public List<(string Value, long Count)> Top(string feature, string side = "current") =>
        [.. TopPattern().Matches(Side(feature, side)).Select(m => (Decode(m.Groups[1].Value), long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))];

    /// <summary>The bucket counts of a chart (histogram or values-per-record-histogram) of <paramref name="feature"/>.</summary>
    public List<long> Histogram(string feature, string chart, string side = "current")
    {
        var figure = Regex.Match(Side(feature, side), $"<figure data-stat=\"{Regex.Escape(chart)}\">(.*?)</figure>", RegexOptions.Singleline);
        Assert.That(figure.Success, Is.True, $"the report draws no '{chart}' for {feature} ({side})");
        return [.. RectPattern().Matches(figure.Groups[1].Value).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];
    }

    /// <summary>The "of N" total of the top values of <paramref name="feature"/>.</summary>
    public long TopOf(string feature, string side = "current") =>
        long.Parse(Match(TopOfPattern(), Side(feature, side), null, $"the top values' total of {feature}"), CultureInfo.InvariantCulture);

    public IEnumerable<string> Features => FeaturePattern().Matches(Html).Select(m => Decode(m.Groups[1].Value));

    private string Section(string feature)
    {
        var m = Regex.Match(Html, $"<section class=\"feature[^\"]*\" data-feature=\"{Regex.Escape(WebUtility.HtmlEncode(feature))}\">(.*?)</section>", RegexOptions.Singleline);
        Assert.That(m.Success, Is.True, $"the report has no section for {feature}");
        return m.Groups[1].Value;
    }

    // A side holds tables and figures, no inner div: it ends at the first </div>.
    private string Side(string feature, string side)
    {
        var m = Regex.Match(Section(feature), $"<div class=\"side\" data-side=\"{side}\">(.*?)</div>", RegexOptions.Singleline);
        Assert.That(m.Success, Is.True, $"the report has no {side} side for {feature}");
        return m.Groups[1].Value;
    }

    private static string Match(Regex pattern, string text, string? stat, string what)
    {
        foreach (System.Text.RegularExpressions.Match m in pattern.Matches(text))
        {
            if (stat is null || m.Groups[1].Value == stat)
            {
                return m.Groups[stat is null ? 1 : 2].Value;
            }
        }

        Assert.Fail($"the report shows no {what}");
        return "";
    }

    private static string Decode(string text) => WebUtility.HtmlDecode(text);

    [GeneratedRegex("<dd data-stat=\"([^\"]+)\">([^<]*)</dd>")]
    private static partial Regex HeaderPattern();

    [GeneratedRegex("<td class=\"value\" data-value=\"([^\"]*)\">.*?<td class=\"count\" data-count=\"([0-9]+)\">", RegexOptions.Singleline)]
    private static partial Regex TopPattern();

    [GeneratedRegex("<rect [^>]*data-count=\"([0-9]+)\"")]
    private static partial Regex RectPattern();

    [GeneratedRegex("<h4>top values \\(of ([0-9]+)\\)</h4>")]
    private static partial Regex TopOfPattern();

    [GeneratedRegex("<section class=\"feature[^\"]*\" data-feature=\"([^\"]*)\">")]
    private static partial Regex FeaturePattern();
}
