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
