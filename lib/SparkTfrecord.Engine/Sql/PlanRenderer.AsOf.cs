using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Planning;

namespace SparkTfrecord.Engine.Sql;

/// <summary>
/// Versioned keyed tables (issue 13, clause <c>asof-versioned-table</c> of docs/engine-semantics.md): a table with
/// <c>as_of:</c> holds versions of its keys, and a sample or a history event joins, by its key, the latest version whose
/// time is at or before its own time. One plan for every engine, built from ranking windows and equality joins only (no
/// engine's as-of join), as the histories are.
/// </summary>
public static partial class PlanRenderer
{
    private sealed partial class Renderer
    {
        private bool IsVersioned(string source) => Job.Sources[source].AsOf is not null;

        private static string VersionsTable(string table) => "asof_versions_" + table;

        // Each versioned table's versions ranked per key by time (1 = the oldest): clean_<t> keeps one row per key and
        // instant, so the rank is a total order and "the latest version at or before t" is the rank of the number of
        // versions at or before t.
        private void RenderVersions()
        {
            // Only the tables a feature or a history reads: a declared table nothing joins needs no ranking.
            var joined = SampleColumns.JoinedTables(Job).Concat(Job.Histories.Select(h => h.Value.Source)).ToHashSet(StringComparer.Ordinal);
            foreach (var s in plan.Sources.Values.Where(s => s.Config.AsOf is not null && joined.Contains(s.Name)))
            {
                string key = Q(s.Config.Key!);
                Add(VersionsTable(s.Name),
                    $"SELECT *, row_number() OVER (PARTITION BY {key} ORDER BY {SqlDialect.Ascending(N.Time)}) AS {L("vr")} FROM {Q("clean_" + s.Name)}");
            }
        }

        /// <summary>
        /// The as-of probe <paramref name="name"/>: for each distinct (key, time) of <paramref name="instants"/> (a query
        /// giving the key as <c>__u</c> and the time as <c>__ts</c>), <c>__vn</c>, the number of the table's versions of
        /// that key at or before that time, which is the rank of the version it sees (0: none). In the union of versions
        /// and instants per key, ordered by time with a version before an instant of the same time (a version at exactly
        /// the instant is seen), an instant's place less its place among the instants is the number of versions before
        /// it. The instants are distinct per key, so both orders are total and the two places agree on every engine.
        /// Two row_numbers rather than a running frame, which held a hot key's whole partition (see RenderHistory).
        /// </summary>
        private void RenderAsOfProbe(string name, string table, string instants)
        {
            string key = Q(Job.Sources[table].Key!);
            Add(name,
                $"SELECT {L("u")}, {N.Time}, {L("q")} - row_number() OVER (PARTITION BY {L("u")} ORDER BY {SqlDialect.Ascending(N.Time)}) AS {L("vn")} FROM (\n" +
                $"  SELECT {L("u")}, {N.Time}, {L("vk")}, row_number() OVER (PARTITION BY {L("u")} ORDER BY {SqlDialect.Ascending(N.Time)}, {SqlDialect.Ascending(L("vk"))}) AS {L("q")}\n" +
                $"  FROM (\n" +
                $"    SELECT {key} AS {L("u")}, {N.Time}, 0 AS {L("vk")} FROM {Q(VersionsTable(table))}\n" +
                $"    UNION ALL\n" +
                $"    SELECT DISTINCT {L("u")}, {N.Time}, 1 AS {L("vk")} FROM ({instants}) i\n" +
                $"  ) x\n" +
                $") y WHERE {L("vk")} = 1");
        }

        /// <summary>The joins that give <paramref name="alias"/> the version of <paramref name="table"/> that a row
        /// (key <paramref name="rowKey"/>, time <paramref name="rowTime"/>) sees, through the probe
        /// <paramref name="probe"/> (<see cref="RenderAsOfProbe"/>); no version: every column of the alias is null.</summary>
        private string VersionJoin(string table, string alias, string probe, string probeAlias, string rowKey, string rowTime)
        {
            string key = Q(Job.Sources[table].Key!);
            return $"\n  LEFT JOIN {Q(probe)} {probeAlias} ON {probeAlias}.{L("u")} = {rowKey} AND {probeAlias}.{N.Time} = {rowTime}" +
                $"\n  LEFT JOIN {Q(VersionsTable(table))} {alias} ON {alias}.{key} = {rowKey} AND {alias}.{L("vr")} = {probeAlias}.{L("vn")}";
        }

        // A table joined to the samples: on its key, or (versioned) the version at or before the impression's time.
        private string SampleTableJoin(string table)
        {
            string key = Q(Job.Sources[table].Key!);
            string alias = Q("t_" + table);
            if (!IsVersioned(table))
            {
                return $"\n  LEFT JOIN {Q("clean_" + table)} {alias} ON s.{key} = {alias}.{key}";
            }

            string probe = "asof_samples_" + table;
            RenderAsOfProbe(probe, table,
                $"SELECT {key} AS {L("u")}, {N.Time} FROM {Q("imp")} WHERE {N.Time} >= {Big(plan.DayStartMicros)} AND {N.Time} < {Big(plan.DayEndMicros)}");
            return VersionJoin(table, alias, probe, Q("p_" + table), $"s.{key}", $"s.{N.Time}");
        }

        // A history's value from a keyed table: on the event's key, or (versioned) the version at or before the event's
        // time. `events` is the history's events query's filter on e (its window).
        private string HistoryTableJoin(int k, HistoryRule h, string eventsFilter) =>
            KeyedTableJoin(h.Value.Source, "j", "asof_hist_" + k.ToString(System.Globalization.CultureInfo.InvariantCulture), h.Events, eventsFilter);

        // A keyed table joined to a history's events (alias e) as `alias`: on the event's key, or (versioned) the version
        // at or before the event's time, found by the probe `probe`.
        private string KeyedTableJoin(string table, string alias, string probe, string events, string eventsFilter)
        {
            string key = Q(Job.Sources[table].Key!);
            if (!IsVersioned(table))
            {
                return $" LEFT JOIN {Q("clean_" + table)} {alias} ON e.{key} = {alias}.{key}";
            }

            RenderAsOfProbe(probe, table, $"SELECT e.{key} AS {L("u")}, e.{N.Time} FROM {Q("clean_" + events)} e WHERE {eventsFilter}");
            return VersionJoin(table, alias, probe, "p" + alias, $"e.{key}", $"e.{N.Time}");
        }
    }
}
