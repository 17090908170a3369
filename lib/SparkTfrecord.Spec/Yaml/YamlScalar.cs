namespace SparkTfrecord.Spec.Yaml;

/// <summary>How a scalar is written, which decides how the spec's dialect reads it.</summary>
internal enum YamlScalarStyle
{
    /// <summary>Unquoted: read by <see cref="PlainScalars"/>' rules (a number, a boolean, null or a string).</summary>
    Plain,

    /// <summary>In single quotes: always a string.</summary>
    SingleQuoted,

    /// <summary>In double quotes: always a string, with escapes.</summary>
    DoubleQuoted,

    /// <summary>A <c>|</c> block: always a string.</summary>
    Literal,

    /// <summary>A <c>&gt;</c> block: always a string.</summary>
    Folded,
}

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
