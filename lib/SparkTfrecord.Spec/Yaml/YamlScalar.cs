namespace SparkTfrecord.Spec.Yaml;

/// <summary>A YAML scalar: its text as written (escapes resolved) and how it was written.</summary>
internal sealed class YamlScalar : YamlNode
{
    internal YamlScalar(SourceLocation location, string? tag, string value, YamlScalarStyle style)
        : base(location, tag)
    {
        Value = value;
        Style = style;
    }

    /// <summary>The text (empty for an empty plain scalar, which YAML reads as null).</summary>
    public string Value { get; }

    /// <summary>How the scalar is written.</summary>
    public YamlScalarStyle Style { get; }

    /// <summary>True when the scalar is unquoted (its meaning then depends on its text).</summary>
    public bool IsPlain => Style == YamlScalarStyle.Plain;
}
