namespace SparkTfrecord.Engine.Output;

/// <summary>Where an output keeps its bad input rows, as the manifest lists them (absent when the run had none).</summary>
/// <param name="Folder">The folder, relative to the output (<see cref="QuarantineFiles.Folder"/>).</param>
/// <param name="Files">Its files relative to the output, or null where they are not known here (a cluster output,
/// which keeps Spark's <c>part-*.json</c> files).</param>
internal sealed record ManifestQuarantine(string Folder, IReadOnlyList<string>? Files)
{
    /// <summary>A local output's quarantine: <c>_quarantine/rows.jsonl</c>.</summary>
    public static ManifestQuarantine Rows { get; } = new(QuarantineFiles.Folder, [QuarantineFiles.RowsPath]);
}
