using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SparkTfrecord.Engine.Config;

/// <summary>
/// The date partitions of a metastore table source (<c>partition: {column: dt, format: yyyy-MM-dd, days: "{date}"}</c>):
/// the partition column, how a day is written in it (a Java-style date pattern of <c>yyyy</c>, <c>MM</c>, <c>dd</c> and
/// the separators <c>-</c>, <c>/</c>, <c>_</c>, <c>.</c>), and which days the job reads, in the path templates' day
/// grammar (<c>{date}</c>, <c>{date-15d..date+1d}</c>).
/// </summary>
/// <param name="Column">The partition column.</param>
/// <param name="Format">The day's pattern, such as <c>yyyy-MM-dd</c> or <c>yyyyMMdd</c>.</param>
/// <param name="Days">The days read, as one placeholder of a path template: <c>{date}</c> or a range.</param>
internal sealed partial record PartitionConfig(string Column, string Format, string Days)
{
    /// <summary>The default day pattern (Hive's <c>dt=2024-05-01</c>).</summary>
    public const string DefaultFormat = "yyyy-MM-dd";

    /// <summary>The default days: the run date alone.</summary>
    public const string DefaultDays = "{date}";

    /// <summary>What is wrong with a day pattern, or null: it must be made of <c>yyyy</c>, <c>MM</c> and <c>dd</c>, each
    /// once, and the separators <c>-</c>, <c>/</c>, <c>_</c>, <c>.</c>. Other Java letters (<c>yy</c>, <c>M</c>,
    /// <c>MMM</c>, <c>D</c>, <c>HH</c>, quoted text) are not supported: a partition value is a day's fixed-width text.</summary>
    public static string? CheckFormat(string format)
    {
        ArgumentNullException.ThrowIfNull(format);
        var tokens = FormatToken().Matches(format).Select(m => m.Value).ToList();
        if (string.Concat(tokens) != format)
        {
            return $"format '{format}' is not a day pattern of yyyy, MM and dd with the separators - / _ . (such as yyyy-MM-dd or yyyyMMdd); other Java pattern letters are not supported";
        }

        foreach (string field in new[] { "yyyy", "MM", "dd" })
        {
            int count = tokens.Count(t => t == field);
            if (count != 1)
            {
                return $"format '{format}' must hold {field} exactly once (it holds it {count} times), so that each day has one partition value";
            }
        }

        return null;
    }

    /// <summary>The partition value of a day, in <see cref="Format"/>.</summary>
    public string Value(DateOnly day)
    {
        var text = new StringBuilder();
        foreach (Match m in FormatToken().Matches(Format))
        {
            text.Append(m.Value switch
            {
                "yyyy" => day.Year.ToString("D4", CultureInfo.InvariantCulture),
                "MM" => day.Month.ToString("D2", CultureInfo.InvariantCulture),
                "dd" => day.Day.ToString("D2", CultureInfo.InvariantCulture),
                var separator => separator,
            });
        }

        return text.ToString();
    }

    [GeneratedRegex("yyyy|MM|dd|[-/_.]")]
    private static partial Regex FormatToken();
}
