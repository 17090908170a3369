namespace SparkTfrecord.Engine.Output;

/// <summary>What a command writes into a file besides its output, which decides the existing files it may replace
/// (<see cref="OutputGuard.CheckWrittenFiles"/>).</summary>
public enum WrittenFileKind
{
    /// <summary>A JSON object (<c>validate --report</c>, <c>--save-stats</c>, a job's <c>--summary</c>).</summary>
    Json,

    /// <summary>An HTML page (<c>validate --html</c>).</summary>
    Html,

    /// <summary>Text of no fixed form (<c>spec export --output</c>: JSON, a Python module or a schema): an existing
    /// text file is replaced, a binary one (a NUL byte in its first bytes: TFRecord, gzip, Parquet) is not.</summary>
    Text,
}
