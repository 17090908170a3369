using SparkTfrecord.Engine.Planning;

namespace SparkTfrecord.Engine.Spark;

/// <summary>
/// <c>_manifest.json</c> (version 1, the fields of <see cref="Output.Manifest"/>) for an output the connector wrote: the
/// part files with their sizes as listed, the record count Spark reported, <c>writer</c> = connector, the inputs' paths
/// (their files are the cluster's).
/// </summary>
internal static class SparkManifest
{
    /// <summary>Writes it.</summary>
    /// <param name="path">The file.</param>
    /// <param name="plan">The plan run.</param>
    /// <param name="engine">The engine.</param>
    /// <param name="parts">Part files (relative path, bytes); empty when the output is not on this machine.</param>
    /// <param name="counts">The reported counts.</param>
    /// <param name="quarantine">Where the bad rows are, or null for none.</param>
    public static void Write(string path, JobPlan plan, string engine, IReadOnlyList<(string File, long Bytes)> parts, IReadOnlyDictionary<string, long> counts,
        Output.ManifestQuarantine? quarantine)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var shards = parts.Select(p => new Output.ManifestShard(p.File, null, p.Bytes)).ToList();
        Output.Manifest.Write(path, Output.ManifestContent.ForPlan(plan, engine, "connector", shards, counts, withFiles: false) with { Quarantine = quarantine });
    }
}
