using System.Text.RegularExpressions;
using SparkTfrecord.Spec.Loading;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SparkTfrecord.Spec;

/// <summary>
/// Loads a YAML feature spec and checks everything in it: unknown keys, wrong types, duplicate or invalid names,
/// defaults of the wrong dtype, a missing label, values that YAML 1.1 and 1.2 read differently. Uses YamlDotNet's
/// representation model only: nothing in the file constructs a .NET type.
/// </summary>
public static partial class SpecLoader
{
    /// <summary>Reads and checks the spec file at <paramref name="path"/>.</summary>
    /// <param name="path">The YAML file; the path is used as given in every message.</param>
    /// <returns>The loaded spec.</returns>
    /// <exception cref="SpecException">The file is not a valid spec; the message names the line and column.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static FeatureSpec Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"{path}: the spec file does not exist.", path, e);
        }

        return Parse(text, path);
    }

    /// <summary>Checks spec text.</summary>
    /// <param name="yaml">The YAML text.</param>
    /// <param name="file">The name used in messages.</param>
    /// <returns>The loaded spec.</returns>
    /// <exception cref="SpecException">The text is not a valid spec; the message names the line and column.</exception>
    public static FeatureSpec Parse(string yaml, string file = "<spec>")
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(file);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            string what = YamlMarkPrefix().Replace(e.Message, "");
            string hint = what.Contains("duplicate key", StringComparison.OrdinalIgnoreCase)
                ? "Each key may appear once in a mapping; remove or rename the repeated one."
                : "Fix the YAML syntax (indentation, quotes, ':' followed by a space).";
            throw new SpecException(file, e.Start.Line, e.Start.Column, $"YAML syntax error: {what.TrimEnd('.')}", hint, e);
        }

        if (stream.Documents.Count != 1)
        {
            throw new SpecException(file, 1, 1, stream.Documents.Count == 0 ? "the file is empty" : "the file holds several YAML documents",
                "A spec is one YAML mapping starting with 'spec: 1'.");
        }

        return new SpecReader(file).Read(stream.Documents[0].RootNode);
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex YamlMarkPrefix();
}
