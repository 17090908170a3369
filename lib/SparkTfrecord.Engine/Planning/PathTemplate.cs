using System.Globalization;
using System.Text.RegularExpressions;

namespace SparkTfrecord.Engine.Planning;

/// <summary>
/// Expands path templates: <c>{input}</c>, <c>{date}</c> (yyyy-MM-dd), <c>{date+1d}</c> / <c>{date-15d}</c>, and a range
/// <c>{date-15d..date+1d}</c> that gives one path per day (both ends included).
/// </summary>
public static partial class PathTemplate
{
    /// <summary>Expands a template.</summary>
    /// <param name="template">The template.</param>
    /// <param name="input">The value of <c>{input}</c> (may be null when the template does not use it).</param>
    /// <param name="date">The run date.</param>
    /// <returns>The paths, in template order (days ascending).</returns>
    /// <exception cref="FormatException">The template has an unknown placeholder, or uses <c>{input}</c> without a value.</exception>
    internal static IReadOnlyList<string> Expand(string template, string? input, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(template);
        var results = new List<string> { "" };
        int pos = 0;
        foreach (Match m in PlaceholderPattern().Matches(template))
        {
            string literal = template[pos..m.Index];
            pos = m.Index + m.Length;
            string body = m.Groups[1].Value;
            List<string> values;
            if (body == "input")
            {
                values = [input ?? throw new FormatException($"path template '{template}' uses {{input}}: pass --input DIR.")];
            }
            else
            {
                values = DaysOf(body, date, template).Select(Format).ToList();
            }

            results = results.SelectMany(prefix => values.Select(v => prefix + literal + v)).ToList();
        }

        string tail = template[pos..];
        return results.Select(r => r + tail).ToList();
    }

    /// <summary>
    /// The days one placeholder names (<c>{date}</c>, <c>{date-1d}</c>, <c>{date-15d..date+1d}</c>), ascending: the days a
    /// metastore table source reads, by the rule that expands a path template's days.
    /// </summary>
    /// <param name="placeholder">The placeholder with its braces (checked when the config was read).</param>
    /// <param name="date">The run date.</param>
    /// <returns>The days.</returns>
    internal static IReadOnlyList<DateOnly> Days(string placeholder, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(placeholder);
        return DaysOf(placeholder.Trim('{', '}'), date, placeholder);
    }

    private static List<DateOnly> DaysOf(string body, DateOnly date, string template)
    {
        if (!body.Contains("..", StringComparison.Ordinal))
        {
            return [Day(body, date, template)];
        }

        string[] ends = body.Split("..");
        var days = new List<DateOnly>();
        DateOnly to = Day(ends[1], date, template);
        for (var d = Day(ends[0], date, template); d <= to; d = d.AddDays(1))
        {
            days.Add(d);
        }

        return days;
    }

    /// <summary>Replaces <c>{date}</c> and date offsets in an output template (no ranges).</summary>
    /// <param name="template">The template.</param>
    /// <param name="date">The run date.</param>
    /// <returns>The path.</returns>
    /// <exception cref="FormatException">The template has a range or an unknown placeholder.</exception>
    public static string ExpandOne(string template, DateOnly date)
    {
        var paths = Expand(template, null, date);
        return paths.Count == 1 ? paths[0] : throw new FormatException($"'{template}' must name one path: ranges are for inputs.");
    }

    /// <summary>The largest day offset in a template (about 100 years), so that every date it names exists.</summary>
    internal const int MaxOffsetDays = 36_600;

    /// <summary>
    /// Checks a template when the config is read, so that a mistake is reported at its place rather than when the
    /// job expands it: every placeholder is <c>{input}</c>, <c>{date}</c>, <c>{date+Nd}</c>, <c>{date-Nd}</c> or a
    /// range of two of those whose first day is not after its last (a reversed range would name no day at all), with
    /// N at most <see cref="MaxOffsetDays"/>; braces are balanced.
    /// </summary>
    /// <param name="template">The template.</param>
    /// <returns>What is wrong, or null.</returns>
    internal static string? Check(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        foreach (Match m in PlaceholderPattern().Matches(template))
        {
            string body = m.Groups[1].Value;
            if (body == "input")
            {
                continue;
            }

            string[] ends = body.Split("..");
            if (ends.Length > 2)
            {
                return $"'{{{body}}}' is not a day or a range of days (date-15d..date+1d)";
            }

            var offsets = new List<int>();
            foreach (string end in ends)
            {
                var d = DayPattern().Match(end.Trim());
                if (!d.Success)
                {
                    return $"'{{{body}}}' is not {{input}}, {{date}}, {{date+Nd}}, {{date-Nd}} or a range such as {{date-15d..date+1d}}";
                }

                if (d.Groups[2].Success && (!int.TryParse(d.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n > MaxOffsetDays))
                {
                    return $"'{{{body}}}' goes more than {MaxOffsetDays} days from the run date";
                }

                offsets.Add(d.Groups[2].Success ? (d.Groups[1].Value == "-" ? -1 : 1) * int.Parse(d.Groups[2].Value, CultureInfo.InvariantCulture) : 0);
            }

            if (offsets.Count == 2 && offsets[0] > offsets[1])
            {
                return $"the range '{{{body}}}' ends before it starts, so it names no day; write the earlier day first";
            }
        }

        string rest = PlaceholderPattern().Replace(template, "");
        return rest.Contains('{', StringComparison.Ordinal) || rest.Contains('}', StringComparison.Ordinal)
            ? "a '{' or '}' is not part of a placeholder ({input}, {date}, {date-15d..date+1d})"
            : null;
    }

    /// <summary>The text of a date in paths: yyyy-MM-dd.</summary>
    /// <param name="date">The date.</param>
    /// <returns>The text.</returns>
    public static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly Day(string expression, DateOnly date, string template)
    {
        var m = DayPattern().Match(expression.Trim());
        if (!m.Success)
        {
            throw new FormatException($"path template '{template}': '{{{expression}}}' is not date, date+Nd or date-Nd.");
        }

        // An offset that leaves the calendar (or int) is the template's mistake, said as such rather than an overflow.
        bool parsed = long.TryParse(m.Groups[2].Success ? m.Groups[2].Value : "0", NumberStyles.None, CultureInfo.InvariantCulture, out long offset);
        long day = date.DayNumber + (m.Groups[1].Value == "-" ? -offset : offset);
        if (!parsed || offset > int.MaxValue || day < DateOnly.MinValue.DayNumber || day > DateOnly.MaxValue.DayNumber)
        {
            throw new FormatException($"path template '{template}': '{{{expression}}}' from {Format(date)} is outside the calendar (years 1 to 9999).");
        }

        return DateOnly.FromDayNumber((int)day);
    }

    [GeneratedRegex(@"\{([^{}]*)\}")]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex(@"^date(?:([+-])(\d+)d)?$")]
    private static partial Regex DayPattern();
}
