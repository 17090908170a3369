using System.Text;
using System.Text.Json;
using SparkTfrecord.Engine.Output;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Engine.Sql;

namespace SparkTfrecord.Engine.Jobs;

/// <summary>What a run did, as the JSON summary reports it.</summary>
/// <param name="Date">The run date.</param>
/// <param name="Output">The output folder.</param>
/// <param name="Counts">Counts by name (read.SOURCE, quarantined.SOURCE, duplicates.SOURCE, outside_day, samples,
/// written, positives, eval, missing.TABLE, negatives_dropped).</param>
/// <param name="Histories">Per history feature: min, mean and max length.</param>
/// <param name="Shards">The part files.</param>
/// <param name="Seconds">Wall time.</param>
/// <param name="Engine">The engine and its version.</param>
public sealed record SamplesSummary(
    DateOnly Date,
    string Output,
    IReadOnlyDictionary<string, long> Counts,
    IReadOnlyDictionary<string, (long Min, double Mean, long Max)> Histories,
    IReadOnlyList<ManifestShard> Shards,
    double Seconds,
    string Engine)
{
    /// <summary>Why the run failed, or null for a run that committed its output.</summary>
    public string? Error { get; init; }

    /// <summary>The samples' source (the impressions), whose duplicates are <c>dropped.duplicate_impressions</c>; the
    /// other sources' duplicates (a profile table's extra copies of a key) are in <c>counts</c> only. Null: every
    /// source's (a failed run's summary, which may not know the plan).</summary>
    internal string? ImpressionSource { get; init; }

    /// <summary>With <c>--state</c>: the snapshot used and written, and why (docs/state.md); null without.</summary>
    internal State.StateOutcome? State { get; init; }

    /// <summary>With <c>--state</c>: the files the run read per source; null without.</summary>
    internal IReadOnlyDictionary<string, int>? FilesRead { get; init; }

    /// <summary>The look-back paths with no files, per source (<see cref="Planning.JobPlan.MissingInputs"/>); written
    /// as <c>missing_inputs</c> when there are any.</summary>
    internal IReadOnlyDictionary<string, IReadOnlyList<string>>? MissingInputs { get; init; }

    /// <summary>The summary of a run that failed: its error and the counts known when it stopped.</summary>
    /// <param name="date">The run date.</param>
    /// <param name="output">The output folder (as it was: nothing was committed).</param>
    /// <param name="engine">The engine.</param>
    /// <param name="error">What failed.</param>
    /// <param name="counts">The counts known, or null.</param>
    /// <param name="seconds">Wall time.</param>
    /// <returns>The summary.</returns>
    internal static SamplesSummary Failed(DateOnly date, string output, string engine, string error, IReadOnlyDictionary<string, long>? counts, double seconds) =>
        new(date, output, counts ?? new Dictionary<string, long>(), new Dictionary<string, (long, double, long)>(), [], seconds, engine) { Error = error };

    /// <summary>The summary's JSON form (version 1), as printed on stdout or written to <c>--summary</c>: <c>status</c>
    /// is <c>succeeded</c> or <c>failed</c> (then <c>error</c> says why, and the counts are those known when it stopped).</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteNumber("version", 1);
            w.WriteString("date", PathTemplate.Format(Date));
            w.WriteString("output", Output);
            w.WriteString("engine", Engine);
            w.WriteString("status", Error is null ? "succeeded" : "failed");
            if (Error is not null)
            {
                w.WriteString("error", Error);
            }

            long Get(string k) => Counts.TryGetValue(k, out long v) ? v : 0;
            long Sum(string prefix) => Counts.Where(c => c.Key.StartsWith(prefix, StringComparison.Ordinal)).Sum(c => c.Value);
            w.WriteNumber("rows_read", Sum(RunCounts.ReadPrefix));
            w.WriteNumber("samples_written", Get(RunCounts.Written));
            w.WriteNumber("positives", Get(RunCounts.Positives));
            w.WriteNumber("eval", Get(RunCounts.Eval));
            w.WriteNumber("quarantined", Sum(RunCounts.QuarantinedPrefix));
            w.WriteStartObject("dropped");
            w.WriteNumber("duplicate_impressions", ImpressionSource is null ? Sum(RunCounts.DuplicatesPrefix) : Get(RunCounts.Duplicates(ImpressionSource)));
            w.WriteNumber("outside_day", Get(RunCounts.OutsideDay));
            w.WriteNumber("negatives_downsampled", Get(RunCounts.NegativesDropped));
            w.WriteEndObject();
            w.WriteStartObject("missing_profiles");
            foreach (var c in Counts.Where(c => c.Key.StartsWith(RunCounts.MissingPrefix, StringComparison.Ordinal)))
            {
                w.WriteNumber(c.Key[RunCounts.MissingPrefix.Length..], c.Value);
            }

            w.WriteEndObject();
            w.WriteStartObject("counts");
            foreach (var c in Counts.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                w.WriteNumber(c.Key, c.Value);
            }

            w.WriteEndObject();
            w.WriteStartObject("history_length");
            foreach (var (name, (min, mean, max)) in Histories)
            {
                w.WriteStartObject(name);
                w.WriteNumber("min", min);
                w.WriteNumber("mean", Math.Round(mean, 3));
                w.WriteNumber("max", max);
                w.WriteEndObject();
            }

            w.WriteEndObject();
            if (State is { } state)
            {
                w.WriteStartObject("state");
                WriteDay(w, "used", state.Used);
                WriteDay(w, "written", state.Written);
                w.WriteString("reason", state.Reason);
                w.WriteEndObject();
            }

            if (FilesRead is { } filesRead)
            {
                w.WriteStartObject("files_read");
                foreach (var (source, n) in filesRead.OrderBy(f => f.Key, StringComparer.Ordinal))
                {
                    w.WriteNumber(source, n);
                }

                w.WriteEndObject();
            }

            if (MissingInputs is { Count: > 0 } missing)
            {
                w.WriteStartObject("missing_inputs");
                foreach (var (source, paths) in missing)
                {
                    w.WriteStartArray(source);
                    foreach (string path in paths)
                    {
                        w.WriteStringValue(path);
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
            }

            w.WriteNumber("seconds", Math.Round(Seconds, 3));
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteDay(Utf8JsonWriter w, string name, DateOnly? day)
    {
        if (day is { } d)
        {
            w.WriteString(name, PathTemplate.Format(d));
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
