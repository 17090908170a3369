using System.Globalization;
using System.Security.Cryptography;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SparkTfrecord.Engine.Config;

/// <summary>
/// A feature spec file as the job sees it: the features (name, kind, list or not, default, role), the job section
/// and the spec's hash for the manifest.
/// </summary>
/// <param name="File">The file.</param>
/// <param name="Features">The features in spec order.</param>
/// <param name="Job">The job section.</param>
/// <param name="SpecHash">The spec's hash, recorded in <c>_manifest.json</c>.</param>
public sealed record JobDefinition(string File, IReadOnlyList<FeatureColumn> Features, JobConfig Job, string SpecHash)
{
    /// <summary>Loads a spec file with a <c>job:</c> section.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="JobConfigException">The file is not valid YAML, or its features or job section are invalid.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static JobDefinition Load(string path)
    {
        string text = System.IO.File.ReadAllText(path);
        var yaml = new YamlStream();
        try
        {
            yaml.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw JobConfigException.At(path, e.Start.Line, e.Start.Column, $"not valid YAML: {e.Message}");
        }

        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new JobConfigException($"{path}: expected a mapping with features: and job:.");
        }

        var features = ParseFeatures(path, root);
        if (!root.Children.TryGetValue(new YamlScalarNode("job"), out var jobNode) || jobNode is not YamlMappingNode job)
        {
            throw JobConfigException.At(path, root.Start.Line, root.Start.Column, "no job: section; the jobs need one (sources, label, history, columns, output).");
        }

        var config = JobConfigParser.Parse(path, job, features);
        return new JobDefinition(path, features, config, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\n")))));
    }

    /// <summary>Reads the features list (name, dtype, shape, default, role) of a spec file.</summary>
    /// <param name="path">The file (for messages).</param>
    /// <param name="root">The document's root mapping.</param>
    /// <returns>The features.</returns>
    /// <exception cref="JobConfigException">A feature is invalid.</exception>
    public static IReadOnlyList<FeatureColumn> ParseFeatures(string path, YamlMappingNode root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (!root.Children.TryGetValue(new YamlScalarNode("features"), out var node) || node is not YamlSequenceNode list)
        {
            throw JobConfigException.At(path, root.Start.Line, root.Start.Column, "features: must be a list of {name, dtype, ...}.");
        }

        var result = new List<FeatureColumn>();
        foreach (var item in list.Children)
        {
            if (item is not YamlMappingNode map)
            {
                throw JobConfigException.At(path, item.Start.Line, item.Start.Column, "a feature must be a mapping {name: ..., dtype: ...}.");
            }

            string? Get(string key) => map.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;
            string name = Get("name") ?? throw JobConfigException.At(path, map.Start.Line, map.Start.Column, "a feature needs a name.");
            FeatureKind kind = Get("dtype") switch
            {
                "int64" => FeatureKind.Int64,
                "float" or "float32" => FeatureKind.Float,
                "string" or "bytes" => FeatureKind.String,
                var dt => throw JobConfigException.At(path, map.Start.Line, map.Start.Column, $"feature '{name}': dtype '{dt}' must be int64, float or string."),
            };
            bool isList = map.Children.TryGetValue(new YamlScalarNode("shape"), out var shape)
                && !(shape is YamlScalarNode { Value: "scalar" or "[]" } || shape is YamlSequenceNode { Children.Count: 0 });
            object? def = null;
            if (Get("default") is { } d)
            {
                def = kind switch
                {
                    FeatureKind.Int64 => long.TryParse(d, NumberStyles.Integer, CultureInfo.InvariantCulture, out long l) ? l
                        : throw JobConfigException.At(path, map.Start.Line, map.Start.Column, $"feature '{name}': default '{d}' is not an int64."),
                    FeatureKind.Float => double.TryParse(d, NumberStyles.Float, CultureInfo.InvariantCulture, out double f) ? f
                        : throw JobConfigException.At(path, map.Start.Line, map.Start.Column, $"feature '{name}': default '{d}' is not a float."),
                    _ => d,
                };
            }

            result.Add(new FeatureColumn(name, kind, isList, def, Get("role")));
        }

        return result;
    }
}
