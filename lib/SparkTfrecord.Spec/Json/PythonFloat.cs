using System.Globalization;

namespace SparkTfrecord.Spec.Json;

/// <summary>Formats a double exactly as Python's <c>repr(float)</c> does (shortest round-trip digits, Python's layout).</summary>
internal static class PythonFloat
{
    public static string Repr(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        // .NET's "R" gives the shortest digits that read back as the same double, as Python's repr does; only the
        // layout differs ("1E-05" against "1e-05", "1" against "1.0").
        string sign = double.IsNegative(value) ? "-" : "";
        string text = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        int exponent = 0;
        int e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        int dot = text.IndexOf('.', StringComparison.Ordinal);
        string digits = dot >= 0 ? string.Concat(text.AsSpan(0, dot), text.AsSpan(dot + 1)) : text;
        int point = dot >= 0 ? dot : text.Length;
        int leading = 0;
        while (leading < digits.Length && digits[leading] == '0')
        {
            leading++;
        }

        digits = digits[leading..].TrimEnd('0');
        point -= leading;
        if (digits.Length == 0)
        {
            return sign + "0.0";
        }

        // value = 0.digits x 10^decpt; Python switches to exponent form when decpt <= -4 or decpt > 16.
        int decpt = point + exponent;
        if (decpt <= -4 || decpt > 16)
        {
            string mantissa = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
            int exp = decpt - 1;
            return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture);
        }

        if (decpt <= 0)
        {
            return sign + "0." + new string('0', -decpt) + digits;
        }

        if (decpt >= digits.Length)
        {
            return sign + digits + new string('0', decpt - digits.Length) + ".0";
        }

        return sign + digits[..decpt] + "." + digits[decpt..];
    }
}
