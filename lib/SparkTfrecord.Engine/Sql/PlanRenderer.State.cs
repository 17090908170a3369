using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Engine.State;

namespace SparkTfrecord.Engine.Sql;

/// <summary>The incremental state's statements (issue 12, docs/state.md): reading a snapshot into the plan, and the
/// next snapshot's tables. Without <see cref="JobPlan.State"/> none of them is rendered.</summary>
public static partial class PlanRenderer
{
    private sealed partial class Renderer
    {
        // Snapshot files: fixed column names (documented in docs/state.md).
        private const string StateUser = "user";
        private const string StateTime = "time";
        private const string StateValue = "value";
        private const string StatePartition = "partition";

        private StatePlan? St => plan.State;

        // The first partition of the run's path window: older partitions of the snapshot are no longer read.
        private DateOnly WindowStart(StatefulSource s) => St!.Date.AddDays(s.FromDays);

        private StatefulSource? Stateful(string source) => St?.Sources.FirstOrDefault(x => x.Name == source);

        private string StateFile(string file) => d.ReadStateFile(Path.Combine(St!.Previous!, file));

        // Each stateful source's files with their partition day, by the file's index (the rows' __file).
        private void RenderStateInputs()
        {
            if (St is null)
            {
                return;
            }

            foreach (var s in St.Sources)
            {
                var days = St.FileDays[s.Name];
                var files = plan.Sources[s.Name].Files;
                string rows = days.Count == 0
                    ? $"SELECT {d.StateFileKey(0, "")} AS {N.File}, CAST(NULL AS DATE) AS {N.Partition} WHERE 1 = 0"
                    : $"SELECT * FROM (VALUES {string.Join(", ", days.Select((day, i) => $"({d.StateFileKey(i, files[i])}, {d.Date(day)})"))}) v({N.File}, {N.Partition})";
                Add("state_file_days_" + s.Name, rows);
            }
        }

        // A source's rows carried by the snapshot (stamped on or after the snapshot's next day) join its clean rows.
        // Their __file is negative (no file of this run): it only keeps carried clicks apart in the label's join.
        private string StateCarryUnion(PlannedSource s)
        {
            if (St?.Previous is null || Stateful(s.Name) is not { } st)
            {
                return "";
            }

            string columns = string.Join(", ", s.Config.Columns.Select(Q).Append(N.Time));
            var content = s.Config.Columns.Select(Q).Append(N.Time).Append(N.Partition).ToList();
            return $"\nUNION ALL\nSELECT {columns}, {d.StateCarriedFile(content)} AS {N.File}, CAST(0 AS BIGINT) AS {N.Row} FROM {StateFile(StatePlan.CarryFile(s.Name))} c " +
                $"WHERE {N.Partition} >= {d.Date(WindowStart(st))}";
        }

        // A history's events from the snapshot, beside the run's own: all before the run's day, so only the window's
        // lower bound and the path window's first partition cut them.
        private string StateEventsUnion(HistoryRule h)
        {
            if (St?.Previous is null || Stateful(h.Events) is not { } st)
            {
                return "";
            }

            long window = JobPlan.ToMicros(h.Window);
            return $"\n  UNION ALL\n  SELECT {Q(StateUser)} AS {L("u")}, {Q(StateTime)} AS {N.Time}, {Q(StateValue)} AS {L("v")} FROM {StateFile(StatePlan.EventsFile(h.Feature))} se " +
                $"WHERE {Q(StatePartition)} >= {d.Date(WindowStart(st))} AND {Q(StateTime)} >= {Big(plan.DayStartMicros - window)}";
        }

        // The next snapshot (for the day after the run): per history, the events of the covered partitions in
        // [start(next) - window, start(next)) that pass the suffix rule; per source, the rows stamped from start(next) on.
        private void RenderNextState()
        {
            if (St is null)
            {
                return;
            }

            long next = plan.DayEndMicros;
            foreach (var st in St.Sources)
            {
                var source = plan.Sources[st.Name];
                var covered = st.CoveredBy(St.Date);
                string columns = string.Join(", ", source.Config.Columns.Select(Q).Append(N.Time).Append(N.Partition));
                string none = "1 = 0";
                string inCovered = covered.Count == 0 ? none : $"f.{N.Partition} >= {d.Date(covered[0])} AND f.{N.Partition} <= {d.Date(covered[^1])}";
                string own = $"SELECT t.*, f.{N.Partition} FROM {Q("typed_" + st.Name)} t JOIN {Q("state_file_days_" + st.Name)} f ON {d.StateFileOfRow("t." + N.File)} = f.{N.File} " +
                    $"WHERE t.{N.Reason} IS NULL AND NOT t.{N.Skip} AND {inCovered}";
                string keep = covered.Count == 0 ? none : $"{N.Partition} >= {d.Date(covered[0])}";
                var carried = new List<string> { $"SELECT {columns} FROM ({own}) o WHERE {N.Time} >= {Big(next)}" };
                if (St.Previous is not null)
                {
                    carried.Add($"SELECT {columns} FROM {StateFile(StatePlan.CarryFile(st.Name))} c WHERE {keep} AND {N.Time} >= {Big(next)}");
                }

                Add(StatePlan.NextCarry(st.Name), string.Join("\nUNION ALL\n", carried));

                // Rows read and quarantined per partition, counted as Stats counts them (typed rows, and the reader's rejects).
                string rejected = d.RejectedRows(source) is { } r ? $"\n  UNION ALL\n  SELECT rj.{N.File}, 1, 1 FROM {r} rj" : "";
                Add(StatePlan.NextCounts(st.Name),
                    $"SELECT f.{N.Partition}, CAST(sum(x.{L("r")}) AS BIGINT) AS {L("r")}, CAST(sum(x.{L("q")}) AS BIGINT) AS {L("q")} FROM (\n" +
                    $"  SELECT t.{N.File}, CASE WHEN t.{N.Skip} THEN 0 ELSE 1 END AS {L("r")}, CASE WHEN t.{N.Reason} IS NULL THEN 0 ELSE 1 END AS {L("q")} FROM {Q("typed_" + st.Name)} t{rejected}\n" +
                    $") x JOIN {Q("state_file_days_" + st.Name)} f ON {d.StateFileOfRow("x." + N.File)} = f.{N.File} GROUP BY f.{N.Partition}");

                foreach (var h in Job.Histories.Where(h => h.Events == st.Name))
                {
                    long window = JobPlan.ToMicros(h.Window);
                    string within = $"{N.Time} >= {Big(next - window)} AND {N.Time} < {Big(next)}";
                    string Events(string relation, string condition) =>
                        $"SELECT {Q(h.User)} AS {L("u")}, {N.Time} AS {L("t")}, {HistoryValue(h, Q(h.Value.Column))} AS {L("v")}, {N.Partition} AS {L("p")} FROM {relation} WHERE {condition}{within}";
                    var candidates = new List<string> { Events($"({own}) o", "") };
                    if (St.Previous is not null)
                    {
                        candidates.Add(Events($"{StateFile(StatePlan.CarryFile(st.Name))} c", $"{keep} AND "));
                        candidates.Add($"SELECT {Q(StateUser)} AS {L("u")}, {Q(StateTime)} AS {L("t")}, {Q(StateValue)} AS {L("v")}, {Q(StatePartition)} AS {L("p")} " +
                            $"FROM {StateFile(StatePlan.EventsFile(h.Feature))} se WHERE {keep.Replace(N.Partition, Q(StatePartition), StringComparison.Ordinal)} AND {Q(StateTime)} >= {Big(next - window)}");
                    }

                    // Only the newest max_length of a user's events within each partition can pass the suffix rule;
                    // each candidate carries its user's number of candidates (n) for the cases below.
                    string newest = $"{SqlDialect.Descending(L("t"))}, {SqlDialect.Ascending(L("v"))}";
                    string candidateTable = "state_candidates_" + h.Feature;
                    Add(candidateTable,
                        $"SELECT {L("u")}, {L("t")}, {L("v")}, {L("p")}, count(*) OVER (PARTITION BY {L("u")}) AS {L("n")} FROM (\n" +
                        $"  SELECT *, row_number() OVER (PARTITION BY {L("u")}, {L("p")} ORDER BY {newest}) AS {L("rn")} FROM (\n  {string.Join("\n  UNION ALL\n  ", candidates)}\n  ) x WHERE {L("v")} IS NOT NULL\n" +
                        $") y WHERE {L("rn")} <= {h.MaxLength}");

                    // The suffix rule: an event of partition p stays when fewer than max_length events of partitions >= p
                    // come before it newest first (ties: later partition first), so dropping the oldest partitions,
                    // as later path windows do, never brings back an event the snapshot left out. Written as one window
                    // per covered partition, it would cost about half as many windows of all candidates as there are
                    // partitions (30 at 60 days), so it is applied in three cases, each the rule's own outcome:
                    // - a user with at most max_length candidates keeps them all (fewer than max_length come before any);
                    // - for a heavier user, an event's rank rk among all the user's candidates (one window) counts the
                    //   events before it; when every one of them is of a partition >= its own (the oldest partition
                    //   among them, newerMin, is not older than p), exactly rk - 1 of partitions >= p come first: kept
                    //   iff rk <= max_length. An event with rk <= max_length is kept whatever the partitions;
                    // - only the users with an event beyond max_length that a newer event of an older partition comes
                    //   before (a late event: rare in click logs) get the per-partition windows, over their rows alone.
                    // Identical rows are interchangeable, so the engine's order among them changes no file (sorted on write).
                    string stateColumns = $"{L("u")} AS {Q(StateUser)}, {L("t")} AS {Q(StateTime)}, {L("v")} AS {Q(StateValue)}, {L("p")} AS {Q(StatePartition)}";
                    string byUser = $"PARTITION BY {L("u")} ORDER BY {newest}, {SqlDialect.Descending(L("p"))}";
                    string rank = $"row_number() OVER ({byUser})";
                    string newerMin = $"min({L("p")}) OVER ({byUser} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)";
                    string heavyTable = "state_heavy_" + h.Feature;
                    Add(heavyTable,
                        $"SELECT {L("u")}, {L("t")}, {L("v")}, {L("p")}, {L("rk")}, max({L("late")}) OVER (PARTITION BY {L("u")}) AS {L("exact")} FROM (\n" +
                        $"  SELECT {L("u")}, {L("t")}, {L("v")}, {L("p")}, {rank} AS {L("rk")},\n" +
                        $"    CASE WHEN {rank} > {h.MaxLength} AND {newerMin} < {L("p")} THEN 1 ELSE 0 END AS {L("late")}\n" +
                        $"  FROM {Q(candidateTable)} WHERE {L("n")} > {h.MaxLength}\n" +
                        $") r");
                    string exactTable = "state_exact_" + h.Feature;
                    Add(exactTable, $"SELECT {L("u")}, {L("t")}, {L("v")}, {L("p")} FROM {Q(heavyTable)} WHERE {L("exact")} = 1");
                    var parts = covered.Select(p =>
                        $"SELECT {stateColumns} FROM (\n" +
                        $"  SELECT *, row_number() OVER ({byUser}) AS {L("rn")} FROM {Q(exactTable)} WHERE {L("p")} >= {d.Date(p)}\n" +
                        $") z WHERE {L("p")} = {d.Date(p)} AND {L("rn")} <= {h.MaxLength}").ToList();
                    Add(StatePlan.NextEvents(h.Feature), parts.Count == 0
                        ? $"SELECT {stateColumns} FROM {Q(candidateTable)} WHERE 1 = 0"
                        : string.Join("\nUNION ALL\n", parts.Prepend(
                            $"SELECT {stateColumns} FROM {Q(candidateTable)} WHERE {L("n")} <= {h.MaxLength}\n" +
                            $"UNION ALL\nSELECT {stateColumns} FROM {Q(heavyTable)} WHERE {L("exact")} = 0 AND {L("rk")} <= {h.MaxLength}")));
                }
            }
        }
    }
}
