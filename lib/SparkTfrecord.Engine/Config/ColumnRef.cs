namespace SparkTfrecord.Engine.Config;

/// <summary>A column of a source: <c>source.column</c>.</summary>
/// <param name="Source">The source name.</param>
/// <param name="Column">The column name.</param>
internal sealed record ColumnRef(string Source, string Column)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Source}.{Column}";
}
