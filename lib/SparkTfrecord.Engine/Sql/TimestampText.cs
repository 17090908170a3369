using System.Text.RegularExpressions;

namespace SparkTfrecord.Engine.Sql;

/// <summary>
/// The forms of timestamp text a time column accepts (clause <c>time-text-format</c>), written once: <c>YYYY-MM-DD</c>,
/// optionally followed by <c>[ T]HH:MM</c>, <c>:SS</c> and <c>.f</c> (1 to 6 digits), optionally followed by an offset
/// <c>Z</c>, <c>+HH</c>, <c>+HHMM</c> or <c>+HH:MM</c> (hours 00 to 17). Anything else is not a time, so no engine's own
/// extra forms (DuckDB's <c>24:00:00</c> and zone names, Spark's <c>yyyy</c>, <c>T10:00</c> and trimming) ever count.
/// The dialects spell the pattern with their regular expression functions (RE2 in DuckDB, java.util.regex in Spark:
/// the pattern uses only what both read alike). It ends in <c>\z</c>, never <c>$</c>: java.util.regex's <c>$</c> also
/// matches before a final line break, RE2's does not.
/// </summary>
internal static class TimestampText
{
    /// <summary>The accepted forms without anchors, for <see cref="SqlDialect.FullMatch"/>.</summary>
    public const string Body =
        "([0-9]{4}-[0-9]{2}-[0-9]{2}(?:[ T](?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:[.][0-9]{1,6})?)?)?)" +
        "(Z|[+-](?:0[0-9]|1[0-7])(?::?[0-5][0-9])?)?";

    /// <summary>The full-match pattern (<see cref="Body"/> anchored). Group <see cref="LocalGroup"/> is the local date
    /// and time, group <see cref="OffsetGroup"/> the offset (empty when none).</summary>
    public const string Pattern = "^" + Body + "\\z";

    /// <summary>The group of <see cref="Pattern"/> that holds the local date and time: text both engines cast to a
    /// timestamp alike.</summary>
    public const int LocalGroup = 1;

    /// <summary>The group of <see cref="Pattern"/> that holds the offset: <c>Z</c>, <c>+HH</c>, <c>+HHMM</c>,
    /// <c>+HH:MM</c> (or <c>-</c>), or nothing.</summary>
    public const int OffsetGroup = 2;

    /// <summary>The pattern for .NET, to check the forms without an engine.</summary>
    public static Regex Regex { get; } = new(Pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>Whether a text is in one of the accepted forms (its date may still not exist, such as Feb 30).</summary>
    /// <param name="text">The text.</param>
    /// <returns>True when it matches <see cref="Pattern"/>.</returns>
    public static bool IsAccepted(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Regex.IsMatch(text);
    }
}
