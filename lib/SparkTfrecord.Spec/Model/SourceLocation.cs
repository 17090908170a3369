namespace SparkTfrecord.Spec;

/// <summary>A place in a spec file, for messages about what was declared there.</summary>
/// <param name="File">The spec file's path as given to the loader.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
public sealed record SourceLocation(string File, long Line, long Column)
{
    /// <summary>The location as <c>file:line:column</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{File}:{Line}:{Column}";
}
