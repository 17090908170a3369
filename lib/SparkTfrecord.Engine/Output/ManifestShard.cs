namespace SparkTfrecord.Engine.Output;

/// <summary>One part file of an output, as the writer made it and the manifest lists it.</summary>
/// <param name="File">The path relative to the output folder.</param>
/// <param name="Records">Its records, or null where they were not counted (a connector's parts).</param>
/// <param name="Bytes">Its size.</param>
public sealed record ManifestShard(string File, long? Records, long Bytes)
{
    /// <summary>Its index file (<c>--index</c>), relative to the output folder, or null when none was written.</summary>
    public string? Index { get; init; }
}
