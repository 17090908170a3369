using System.Globalization;
using System.Text.RegularExpressions;

namespace SparkTfrecord.Spec.Yaml;

/// <summary>
/// The spec's own reading of plain (unquoted) YAML scalars, the same in C# and Python. It accepts only forms that
/// YAML 1.1 and YAML 1.2 readers both read the same way, and rejects the rest with a hint, so no reader of the file
/// (ours or anyone's) can see different values.
/// </summary>
internal static partial class PlainScalars
{
    // Words that YAML 1.1 reads as booleans or null (YAML 1.2 reads most of them as strings).
    private static readonly HashSet<string> s_booleans1_1 = new(StringComparer.Ordinal)
    {
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
        "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
    };

    private static readonly HashSet<string> s_nulls = new(StringComparer.Ordinal) { "", "~", "null", "Null", "NULL" };

    /// <summary>An integer both YAML versions read the same: decimal digits, optional minus, no leading zero.</summary>
    [GeneratedRegex("^-?(0|[1-9][0-9]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerPattern();

    /// <summary>A float both YAML versions read the same: digits on both sides of the point, a signed exponent.</summary>
    [GeneratedRegex("^-?(0|[1-9][0-9]*)\\.[0-9]+([eE][-+][0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();

    /// <summary>Anything a YAML reader may take for a number, a date or a time: starts like a number.</summary>
    [GeneratedRegex("^[-+]?(\\.?[0-9]|\\.(inf|Inf|INF|nan|NaN|NAN)$)", RegexOptions.CultureInvariant)]
    private static partial Regex NumberLikePattern();

    public static bool IsNull(string plain) => s_nulls.Contains(plain);

    public static bool IsInteger(string plain) => IntegerPattern().IsMatch(plain);

    public static bool IsFloat(string plain) => FloatPattern().IsMatch(plain);

    /// <summary>Why a plain scalar cannot stand for a string, or null when it can.</summary>
    public static string? WhyNotAString(string plain)
    {
        if (s_nulls.Contains(plain))
        {
            return plain.Length == 0 ? "an empty plain value is null, not a string" : $"'{plain}' is read as null";
        }

        if (s_booleans1_1.Contains(plain))
        {
            return $"'{plain}' is read as a boolean by YAML 1.1 readers (PyYAML) and as a string or boolean by YAML 1.2 readers";
        }

        if (plain is "=" or "<<")
        {
            return $"'{plain}' has a special meaning in YAML 1.1";
        }

        if (NumberLikePattern().IsMatch(plain))
        {
            return $"'{plain}' is read as a number, date or time by YAML readers (and differently by YAML 1.1 and 1.2: 017, 1:30, 1e5, 1_000)";
        }

        return null;
    }

    /// <summary>Why a plain scalar cannot stand for an integer (null when it can), with the fix.</summary>
    public static string WhyNotAnInteger(string plain)
    {
        if (plain.Length > 1 && (plain[0] == '0' || plain.StartsWith("-0", StringComparison.Ordinal)) && plain.All(c => char.IsAsciiDigit(c) || c == '-'))
        {
            return $"'{plain}' has a leading zero: YAML 1.1 readers take it for an octal number and YAML 1.2 readers for a decimal one; write it without the leading zero";
        }

        return $"'{plain}' is not a plain decimal integer; write digits only (an optional leading '-'), without '+', '_', ':', a point or quotes";
    }

    public static bool TryParseInteger(string plain, out long value) =>
        long.TryParse(plain, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public static double ParseFloat(string plain) => double.Parse(plain, NumberStyles.Float, CultureInfo.InvariantCulture);
}
