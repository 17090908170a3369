using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Planning;

namespace SparkTfrecord.Engine.State;

/// <summary>
/// The snapshots of one <c>--state DIR</c>: <c>DIR/dt=D/</c>, each with <c>_manifest.json</c> and <c>_SUCCESS</c>. Finds the
/// snapshot a run may use (docs/state.md: the day before the run, same state hash, every covered file unchanged) and
/// says why when there is none.
/// </summary>
/// <param name="Folder">The state folder.</param>
internal sealed record StateStore(string Folder)
{
    /// <summary>The folder of the snapshot of a day.</summary>
    /// <param name="date">The day whose run wrote it.</param>
    /// <returns>The path.</returns>
    public string SnapshotFolder(DateOnly date) => Path.Combine(Folder, "dt=" + StateManifest.Day(date));

    /// <summary>What decides a snapshot's meaning: the spec file's bytes (features and job section) and the input root.
    /// Any change, even a comment, makes the snapshots unusable (the run then reads the full window, and continues).</summary>
    /// <param name="definition">The job.</param>
    /// <param name="input">The input root.</param>
    /// <returns>sha256: and hex digits.</returns>
    public static string StateHash(JobDefinition definition, string? input)
    {
        ArgumentNullException.ThrowIfNull(definition);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(File.ReadAllBytes(definition.File));
        sha.AppendData(Encoding.UTF8.GetBytes("\u001finput\u001f" + (input is null ? "" : Path.GetFullPath(input))));
        sha.AppendData(Encoding.UTF8.GetBytes("\u001fspec\u001f" + definition.SpecHash));
        return "sha256:" + Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>The history definitions as the manifest lists them.</summary>
    /// <param name="job">The job.</param>
    /// <returns>One text per history.</returns>
    public static IReadOnlyList<string> Histories(JobConfig job) => job.Histories.Select(h => string.Create(CultureInfo.InvariantCulture,
        $"{h.Feature}: events {h.Events}, user {h.User}, value {h.Value.Source}.{h.Value.Column}, window {h.Window.Ticks / 10}us, max_length {h.MaxLength}, missing {h.Missing ?? "-"}")).ToList();

    /// <summary>The files of a partition now, fingerprinted.</summary>
    /// <param name="source">The source.</param>
    /// <param name="input">The input root.</param>
    /// <param name="day">The partition's day.</param>
    /// <returns>The fingerprints, sorted by path.</returns>
    public static IReadOnlyList<FileFingerprint> FilesOf(StatefulSource source, string? input, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(source);
        return JobPlan.FindFiles(source.PartitionPath(input, day)).Select(FileFingerprint.Of).ToList();
    }

    /// <summary>The snapshot a run for <paramref name="date"/> may use, or why none.</summary>
    /// <param name="date">The run's day.</param>
    /// <param name="stateHash">The run's state hash.</param>
    /// <param name="sources">The stateful sources.</param>
    /// <param name="input">The input root.</param>
    /// <returns>The manifest of the usable snapshot and null, or null and the reason.</returns>
    public (StateManifest? Usable, string Reason) FindUsable(DateOnly date, string stateHash, IReadOnlyList<StatefulSource> sources, string? input)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var before = Directory.Exists(Folder)
            ? Directory.EnumerateDirectories(Folder, "dt=*")
                .Select(p => DateOnly.TryParseExact(Path.GetFileName(p)[3..], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : (DateOnly?)null)
                .Where(d => d is { } x && x < date && File.Exists(Path.Combine(SnapshotFolder(x), "_SUCCESS")))
                .Select(d => d!.Value)
                .ToList()
            : [];
        if (before.Count == 0)
        {
            return (null, $"no snapshot before {StateManifest.Day(date)} in {Folder}");
        }

        var newest = before.Max();
        if (newest != date.AddDays(-1))
        {
            return (null, $"the newest snapshot, dt={StateManifest.Day(newest)}, is not of the day before {StateManifest.Day(date)} (a gap of days)");
        }

        var manifest = StateManifest.Read(Path.Combine(SnapshotFolder(newest), StateManifest.FileName));
        if (manifest is null || manifest.Date != newest)
        {
            return (null, $"snapshot dt={StateManifest.Day(newest)} has no readable state manifest");
        }

        if (manifest.StateHash != stateHash)
        {
            return (null, $"snapshot dt={StateManifest.Day(newest)} was written for another spec, job or input (state hash differs)");
        }

        foreach (var s in sources)
        {
            if (!manifest.Sources.TryGetValue(s.Name, out var recorded) || recorded.PathTemplate != s.PathTemplate
                || !recorded.Covered.SequenceEqual(s.CoveredBy(newest)))
            {
                return (null, $"snapshot dt={StateManifest.Day(newest)} does not cover source '{s.Name}' as this run needs");
            }

            // The output's _quarantine/ lists every bad row of the path window; the snapshot does not carry the covered
            // partitions' bad rows yet (docs/state.md), so a window holding some is read whole.
            long bad = recorded.Counts.Where(c => c.Key >= date.AddDays(s.FromDays)).Sum(c => c.Value.Quarantined);
            if (bad > 0)
            {
                return (null, $"the covered partitions of source '{s.Name}' hold {bad} bad rows, which the output's _quarantine lists: the snapshot does not carry them");
            }

            var now = recorded.Covered.SelectMany(d => JobPlan.FindFiles(s.PartitionPath(input, d))).Order(StringComparer.Ordinal).ToList();
            var was = recorded.Files.Select(f => f.Path).ToList();
            if (now.Except(was, StringComparer.Ordinal).FirstOrDefault() is { } added)
            {
                return (null, $"a covered partition of source '{s.Name}' was restated: file {added} is new");
            }

            if (was.Except(now, StringComparer.Ordinal).FirstOrDefault() is { } removed)
            {
                return (null, $"a covered partition of source '{s.Name}' was restated: file {removed} is gone");
            }

            foreach (var f in recorded.Files)
            {
                if (f.DifferenceFrom(FileFingerprint.Of(f.Path)) is { } change)
                {
                    return (null, $"a covered partition of source '{s.Name}' was restated: {change}");
                }
            }
        }

        return (manifest, $"snapshot dt={StateManifest.Day(newest)} used");
    }
}
