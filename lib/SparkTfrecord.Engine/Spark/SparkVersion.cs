using System.Globalization;
using System.Text.RegularExpressions;
using SparkTfrecord.Engine.Engines;

namespace SparkTfrecord.Engine.Spark;

/// <summary>A Spark version and its Scala version.</summary>
/// <param name="Major">Major version.</param>
/// <param name="Minor">Minor version.</param>
/// <param name="Scala">Scala binary version (2.11, 2.12, 2.13), or null if unknown.</param>
public sealed partial record SparkVersion(int Major, int Minor, string? Scala)
{
    /// <summary>Whether the SQL must be spelled for Spark before 3.2 (no <c>try_cast</c>, no <c>unix_micros</c>).</summary>
    internal bool NeedsLegacySql => Major < 3 || (Major == 3 && Minor < 2);

    /// <summary>major.minor.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Major}.{Minor}" + (Scala is null ? "" : $" (Scala {Scala})");

    /// <summary>Parses <c>3.5</c>, <c>3.5.1</c> or <c>3.5/2.13</c> (Spark, then Scala).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The version.</returns>
    /// <exception cref="EngineSetupException">Not a version (<see cref="EngineSetupProblem.SparkVersion"/>).</exception>
    public static SparkVersion Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var m = OptionPattern().Match(text.Trim());
        if (!m.Success)
        {
            throw new EngineSetupException(EngineSetupProblem.SparkVersion, $"'{text}' is not a Spark version: write major.minor such as 3.5, or 3.5/2.13 with the Scala version.");
        }

        return new SparkVersion(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
            m.Groups[3].Success ? m.Groups[3].Value : null);
    }

    /// <summary>Reads the banner of <c>spark-submit --version</c>.</summary>
    /// <param name="banner">What it printed (stdout and stderr).</param>
    /// <returns>The version, or null if the banner has none.</returns>
    internal static SparkVersion? FromBanner(string banner)
    {
        ArgumentNullException.ThrowIfNull(banner);
        var v = BannerPattern().Match(banner);
        if (!v.Success)
        {
            return null;
        }

        var s = ScalaPattern().Match(banner);
        return new SparkVersion(int.Parse(v.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(v.Groups[2].Value, CultureInfo.InvariantCulture),
            s.Success ? s.Groups[1].Value : null);
    }

    [GeneratedRegex(@"^(\d+)\.(\d+)(?:\.\d+)?(?:/(\d+\.\d+))?$")]
    private static partial Regex OptionPattern();

    [GeneratedRegex(@"version (\d+)\.(\d+)\.\d+")]
    private static partial Regex BannerPattern();

    [GeneratedRegex(@"Scala version (\d+\.\d+)")]
    private static partial Regex ScalaPattern();
}
