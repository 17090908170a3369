using System.Security.Cryptography;
using System.Text;
using SparkTfrecord.Spec.Json;
using SparkTfrecord.Spec.Yaml;

namespace SparkTfrecord.Spec;

/// <summary>
/// A loaded feature spec: the features every record holds, with what the trainer needs to parse and use them. Load one
/// with <see cref="SpecLoader.Load(string)"/>. Immutable.
/// </summary>
public sealed class FeatureSpec
{
    /// <summary>The spec format version this library reads.</summary>
    public const int CurrentVersion = 1;

    private readonly Dictionary<string, SpecFeature> _byName;
    private string? _canonical;
    private string? _hash;

    internal FeatureSpec(string file, int version, string? name, IReadOnlyList<SpecFeature> features, IReadOnlyList<FeatureCross> crosses, YamlMapping? job, string? weight = null)
    {
        File = file;
        Version = version;
        Name = name;
        Features = features;
        Crosses = crosses;
        Job = job;
        _byName = features.ToDictionary(f => f.Name, StringComparer.Ordinal);
        Labels = features.Where(f => f.Role == FeatureRole.Label).ToList();
        Label = Labels[0];
        Weight = weight is null ? null : _byName[weight];
    }

    /// <summary>The spec file's path as given to the loader (used in every message).</summary>
    public string File { get; }

    /// <summary>The <c>spec:</c> version of the file.</summary>
    public int Version { get; }

    /// <summary>The spec's <c>name:</c>, or null.</summary>
    public string? Name { get; }

    /// <summary>The features, in the file's order (the order the writers emit them).</summary>
    public IReadOnlyList<SpecFeature> Features { get; }

    /// <summary>The crossed columns of the wide part, in the file's order.</summary>
    public IReadOnlyList<FeatureCross> Crosses { get; }

    /// <summary>The label feature: the first one in the file's order when there are several.</summary>
    public SpecFeature Label { get; }

    /// <summary>Every label feature (<c>role: label</c>), in the file's order: one, or several for a multi-task model.</summary>
    public IReadOnlyList<SpecFeature> Labels { get; }

    /// <summary>The sample weight feature that the job's <c>sampling.weight</c> names (a scalar float, not a label), or
    /// null. The training input gives <c>(features, labels, weights)</c> when it is set.</summary>
    public SpecFeature? Weight { get; }

    /// <summary>True when some feature is a sequence, so records are tf.train.SequenceExamples.</summary>
    public bool IsSequence => Features.Any(f => f.Shape == FeatureShape.Sequence);

    /// <summary>
    /// The file's top-level <c>job:</c> mapping as the spec library's YAML layer read it (each node with its
    /// <c>file:line:column</c>), or null when the file has none. The spec loader does not interpret it; the engine
    /// reads it with the same strict accessors as the features (internal: no YAML type is public API).
    /// </summary>
    internal YamlMapping? Job { get; }

    /// <summary>
    /// The spec hash: lowercase hex SHA-256 of the UTF-8 bytes of <see cref="ToCanonicalJson"/>. Python's
    /// <c>sparktfrecord_spec</c> computes the same value; datasets record it in <c>_manifest.json</c> as <c>spec_hash</c>.
    /// </summary>
    public string Hash => _hash ??= Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToCanonicalJson())));

    /// <summary>Finds a feature by name.</summary>
    /// <param name="name">The feature's name (case-sensitive).</param>
    /// <param name="feature">The feature, when found.</param>
    /// <returns>True if the spec has the feature.</returns>
    public bool TryGetFeature(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SpecFeature? feature) =>
        _byName.TryGetValue(name, out feature);

    /// <summary>
    /// The normalized feature description as canonical JSON: keys sorted, no spaces, non-ASCII characters written as
    /// they are, integers as integers and floats as Python's <c>repr</c> writes them. What <see cref="Hash"/> hashes.
    /// </summary>
    /// <returns>One line of JSON, no trailing newline.</returns>
    public string ToCanonicalJson() => _canonical ??= JsonText.Canonical(SpecDescription.Describe(this));

    /// <summary>The normalized feature description as indented JSON (what <c>sparktf spec export --target json</c> prints).</summary>
    /// <returns>JSON text ending with a newline.</returns>
    public string ToJson() => JsonText.Indented(SpecDescription.Describe(this)) + "\n";
}
