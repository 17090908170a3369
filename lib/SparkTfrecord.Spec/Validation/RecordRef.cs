namespace SparkTfrecord.Spec.Validation;

/// <summary>A record: its file and 0-based index in the file.</summary>
/// <param name="File">The file.</param>
/// <param name="Record">0-based index of the record in the file.</param>
public readonly record struct RecordRef(string File, long Record)
{
    /// <summary>The reference as <c>file record N</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{File} record {Record}";
}
