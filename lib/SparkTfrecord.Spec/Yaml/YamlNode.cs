namespace SparkTfrecord.Spec.Yaml;

/// <summary>
/// A node of a YAML document as the spec library reads it: a <see cref="YamlMapping"/>, a <see cref="YamlSequence"/>
/// or a <see cref="YamlScalar"/>, with the place it starts at. Read-only. An alias is the node its anchor names (the
/// same object), so a document that repeats a node through aliases holds it once.
/// </summary>
/// <remarks>
/// The typed reading of a node (<see cref="ReadString"/>, <see cref="ReadBool"/>, <see cref="ReadInteger"/>,
/// <see cref="ReadFloat"/>, ...) is the spec's one dialect of YAML, used by the features and the <c>job:</c> section
/// alike: only the forms YAML 1.1 and 1.2 readers read the same way, no explicit tags. Every refusal is a
/// <see cref="SpecException"/> naming the node's <c>file:line:column</c> and what to write instead.
/// </remarks>
internal abstract partial class YamlNode
{
    private protected YamlNode(SourceLocation location, string? tag)
    {
        Location = location;
        Tag = tag;
    }

    /// <summary>Where the node starts (for an alias: where its anchored node starts).</summary>
    public SourceLocation Location { get; }

    /// <summary>The node's explicit tag (<c>!!str</c> is <c>tag:yaml.org,2002:str</c>), or null when it has none.</summary>
    public string? Tag { get; }

    /// <summary>A problem with this node, as the exception that reports it at the node's place.</summary>
    /// <param name="problem">What is wrong, as a sentence without a final period.</param>
    /// <param name="hint">What to do about it, as a sentence; may be empty.</param>
    /// <returns>The exception, for the caller to throw.</returns>
    public SpecException Fail(string problem, string hint) =>
        new(Location.File, Location.Line, Location.Column, problem, hint);
}
