using System.Globalization;

namespace SparkTfrecord.Jobs.Commands;

/// <summary>Parses run dates: <c>yyyy-MM-dd</c>, or a range <c>D1..D2</c> for backfills, within <see cref="Min"/> ..
/// <see cref="Max"/>.</summary>
internal static class DateOnlyOption
{
    /// <summary>The first supported run date. The job reaches back from a run date (history windows, path offsets such
    /// as {date-15d}) and forward (the day's end, {date+1d}), so dates near DateOnly's own ends cannot work; this range
    /// leaves centuries of room either way and holds every date a click log can have.</summary>
    public static readonly DateOnly Min = new(1900, 1, 1);

    /// <summary>The last supported run date.</summary>
    public static readonly DateOnly Max = new(9000, 12, 31);

    public static string Range => $"{Min:yyyy-MM-dd} to {Max:yyyy-MM-dd}";

    public static DateOnly Parse(string text)
    {
        if (!DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            throw new UsageException($"'{text}' is not a date: write yyyy-MM-dd, for example 2024-01-15.");
        }

        if (d < Min || d > Max)
        {
            throw new UsageException($"--date {text.Trim()} is outside the supported range of run dates, {Range}.");
        }

        return d;
    }

    public static IReadOnlyList<DateOnly> ParseRange(string text)
    {
        int dots = text.IndexOf("..", StringComparison.Ordinal);
        if (dots < 0)
        {
            return [Parse(text)];
        }

        var from = Parse(text[..dots]);
        var to = Parse(text[(dots + 2)..]);
        if (to < from)
        {
            throw new UsageException($"--date {text}: the range ends before it starts.");
        }

        var days = new List<DateOnly>();
        for (var d = from; d <= to; d = d.AddDays(1))
        {
            days.Add(d);
        }

        return days;
    }
}
