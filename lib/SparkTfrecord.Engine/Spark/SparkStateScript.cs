using System.Globalization;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Engine.Sql;
using SparkTfrecord.Engine.State;

namespace SparkTfrecord.Engine.Spark;

/// <summary>
/// The Spark script's part of the incremental state (docs/state.md, "The Spark side"). The plan's own state statements
/// (PlanRenderer.State.cs) read the snapshot and make the next snapshot's views; this adds what only the script does:
/// a check that every row of a stateful source lies in a known partition, the writes of the next snapshot's tables as
/// Parquet folders into the snapshot's work folder, and the per-partition counts as columns of the report row, which
/// the launcher takes out before the summary and the samples manifest.
/// </summary>
internal static class SparkStateScript
{
    /// <summary>The start of the partition check's error message on Spark 3.1 and later.</summary>
    public const string FileOutsidePartitions = "sparktf: a row of a stateful source comes from a file the launcher did not list";

    private const string ReadKind = "state_read";
    private const string QuarantinedKind = "state_quarantined";

    /// <summary>Every row of each stateful source must map to its file's partition day: a file Spark read that the
    /// launcher did not list (it arrived after the listing, or its URI is spelled otherwise) would silently drop out of
    /// the next snapshot, so the script stops instead, before anything is written.</summary>
    /// <param name="plan">The plan (with <see cref="JobPlan.State"/>).</param>
    /// <param name="d">The dialect.</param>
    /// <param name="legacy">Spark 2.4 to 3.1 (assert_true without a message).</param>
    /// <returns>One statement per stateful source.</returns>
    /// <remarks><c>LEFT ANTI JOIN</c>: SqlBaseParser.g4's joinType <c>LEFT? ANTI</c> (Spark 2.0 and later).</remarks>
    public static IEnumerable<string> PartitionChecks(JobPlan plan, SparkDialect d, bool legacy)
    {
        var n = plan.Names;
        foreach (var s in plan.State?.Sources ?? [])
        {
            string unmatched = d.Identifier(n.Local("unmatched"));
            string ok = d.Identifier("sparktf_state_files_listed");
            string counts = $"(SELECT count(*) = 0 AS {ok}, count(*) AS {unmatched} FROM {d.Identifier("typed_" + s.Name)} t " +
                            $"LEFT ANTI JOIN {d.Identifier("state_file_days_" + s.Name)} f ON {d.StateFileOfRow("t." + n.File)} = f.{n.File}) c";
            string check = d.Identifier("sparktf_state_partition_check");
            yield return legacy
                ? $"SELECT assert_true({ok}) AS {check} FROM {counts}"
                : $"SELECT assert_true({ok}, concat({d.String(FileOutsidePartitions + ": ")}, CAST({unmatched} AS STRING), " +
                  $"{d.String($" rows of source '{s.Name}' (files added while the job started, or a path Spark spells otherwise). Nothing was written. Rerun the day.")})) AS {check} FROM {counts}";
        }
    }

    /// <summary>The next snapshot's tables, each written as a folder of Parquet part files named as the embedded
    /// engine's file (<c>events_FEATURE.parquet</c>, <c>carry_SOURCE.parquet</c>) below <paramref name="stateTarget"/>.</summary>
    /// <param name="plan">The plan (with <see cref="JobPlan.State"/>).</param>
    /// <param name="d">The dialect.</param>
    /// <param name="stateTarget">The snapshot's work folder (local).</param>
    /// <returns>The statements.</returns>
    public static IEnumerable<string> Writes(JobPlan plan, SparkDialect d, string stateTarget)
    {
        foreach (var s in plan.State?.Sources ?? [])
        {
            foreach (var h in plan.Job.Histories.Where(h => h.Events == s.Name))
            {
                yield return Write(d, Path.Combine(stateTarget, StatePlan.EventsFile(h.Feature)), StatePlan.NextEvents(h.Feature));
            }

            yield return Write(d, Path.Combine(stateTarget, StatePlan.CarryFile(s.Name)), StatePlan.NextCarry(s.Name));
        }
    }

    // The state folder is always on this machine (the launcher checks it): a file:// URI whatever the master.
    // Spark's grammar (SqlBaseParser.g4, insertInto #insertOverwriteDir: INSERT OVERWRITE LOCAL? DIRECTORY
    // path=stringLit? tableProvider (OPTIONS ...)?, then the query; since Spark 2.3) writes a folder of part files with
    // its own _SUCCESS, which the launcher checks before committing.
    private static string Write(SparkDialect d, string folder, string view) =>
        $"INSERT OVERWRITE DIRECTORY {d.String("file://" + folder)}\nUSING parquet\nSELECT * FROM {d.Identifier(view)}";

    /// <summary>The report row's state columns: per stateful source and partition the next snapshot covers, the rows read
    /// and quarantined there by this run (0 for a partition it did not read), and the relation that computes them.</summary>
    /// <param name="plan">The plan (with <see cref="JobPlan.State"/>).</param>
    /// <param name="d">The dialect.</param>
    /// <param name="relation">A one-row relation with the columns.</param>
    /// <returns>The columns, in the relation's order.</returns>
    public static IReadOnlyList<CountColumn> Counts(JobPlan plan, SparkDialect d, out string relation)
    {
        var n = plan.Names;
        var columns = new List<CountColumn>();
        var parts = new List<string>();
        foreach (var s in plan.State?.Sources ?? [])
        {
            var own = new List<CountColumn>();
            foreach (var day in s.CoveredBy(plan.State!.Date))
            {
                foreach (var (kind, column) in new[] { (ReadKind, n.Local("r")), (QuarantinedKind, n.Local("q")) })
                {
                    own.Add(new CountColumn(CountName(kind, s.Name, day), ColumnName(kind, s.Name, day),
                        $"CAST(coalesce(sum(CASE WHEN {n.Partition} = {d.Date(day)} THEN {column} ELSE 0 END), 0) AS BIGINT)"));
                }
            }

            parts.Add($"(SELECT {string.Join(", ", own.Select(c => $"{c.Sql} AS {d.Identifier(c.Column)}"))} FROM {d.Identifier(StatePlan.NextCounts(s.Name))}) st{parts.Count.ToString(CultureInfo.InvariantCulture)}");
            columns.AddRange(own);
        }

        relation = string.Join(" CROSS JOIN ", parts);
        return columns;
    }

    /// <summary>Takes the state columns out of the reported counts (they belong to neither the summary nor the samples
    /// manifest) and returns them per source and partition.</summary>
    /// <param name="plan">The plan (with <see cref="JobPlan.State"/>).</param>
    /// <param name="counts">The reported counts; the state's are removed.</param>
    /// <returns>Per stateful source, the rows read and quarantined per partition this run read.</returns>
    public static Dictionary<string, IReadOnlyDictionary<DateOnly, PartitionCounts>> Take(JobPlan plan, IDictionary<string, long> counts)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(counts);
        var result = new Dictionary<string, IReadOnlyDictionary<DateOnly, PartitionCounts>>(StringComparer.Ordinal);
        foreach (var s in plan.State?.Sources ?? [])
        {
            var perDay = new Dictionary<DateOnly, PartitionCounts>();
            foreach (var day in s.CoveredBy(plan.State!.Date))
            {
                string read = CountName(ReadKind, s.Name, day);
                string bad = CountName(QuarantinedKind, s.Name, day);
                long r = counts.TryGetValue(read, out long x) ? x : 0;
                long q = counts.TryGetValue(bad, out long y) ? y : 0;
                counts.Remove(read);
                counts.Remove(bad);

                // As the embedded engine's counts (grouped by partition): a partition without rows in this run (one the
                // used snapshot covers) is left out, and the snapshot's counts stay.
                if (r > 0 || q > 0)
                {
                    perDay[day] = new PartitionCounts(r, q);
                }
            }

            result[s.Name] = perDay;
        }

        return result;
    }

    private static string CountName(string kind, string source, DateOnly day) => $"{kind}.{source}.{StateManifest.Day(day)}";

    private static string ColumnName(string kind, string source, DateOnly day) =>
        $"sparktf_{kind}_{source}_{day.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}";
}
