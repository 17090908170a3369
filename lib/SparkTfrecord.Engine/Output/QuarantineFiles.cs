namespace SparkTfrecord.Engine.Output;

/// <summary>
/// Where an output keeps its bad input rows, and the fields of each: <c>_quarantine/</c> in the output folder, one JSON
/// object per line with <see cref="SourceField"/>, <see cref="FileField"/>, <see cref="RowField"/> (the row or line in
/// its file, or null where the engine cannot tell), <see cref="ReasonField"/> and, on an engine without line numbers,
/// <see cref="RawField"/> (the row's columns as a JSON object, or the line the reader rejected). The embedded engine
/// and the Spark launcher's local outputs write them to <see cref="RowsFile"/>; a cluster output keeps Spark's part
/// files (<c>part-*.json</c>) there.
/// </summary>
internal static class QuarantineFiles
{
    /// <summary>The folder in the output.</summary>
    public const string Folder = "_quarantine";

    /// <summary>The file of JSON lines in <see cref="Folder"/> (a local output's).</summary>
    public const string RowsFile = "rows.jsonl";

    /// <summary>The bad row's source.</summary>
    public const string SourceField = "source";

    /// <summary>The bad row's file.</summary>
    public const string FileField = "file";

    /// <summary>The bad row's row or line number in its file, or null.</summary>
    public const string RowField = "row";

    /// <summary>Why the row is bad.</summary>
    public const string ReasonField = "reason";

    /// <summary>The bad row's raw content (where the engine keeps it).</summary>
    public const string RawField = "raw";

    /// <summary>The path of the rows file relative to the output folder, as the manifest lists it.</summary>
    public static string RowsPath => Folder + "/" + RowsFile;
}
