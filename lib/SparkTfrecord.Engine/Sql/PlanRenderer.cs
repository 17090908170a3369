using System.Globalization;
using System.Text;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Hashing;
using SparkTfrecord.Engine.Planning;

namespace SparkTfrecord.Engine.Sql;

/// <summary>One statement of a rendered job, named for progress and errors.</summary>
/// <param name="Name">What it computes.</param>
/// <param name="Sql">The statement.</param>
public sealed record SqlStatement(string Name, string Sql);

/// <summary>The SQL of a job plan in one dialect.</summary>
/// <param name="Dialect">The dialect.</param>
/// <param name="Statements">The statements to run in order; they leave the samples in <see cref="SamplesTable"/>.</param>
/// <param name="SamplesTable">The table (or cached view) of all samples with internal columns.</param>
/// <param name="OutputQuery">The samples to write: the features in spec order, then <c>__h</c> (the shard hash) and
/// <c>__split</c>, ordered by (hash, key, impression id).</param>
/// <param name="AuditQuery">The samples with their key and time columns, for audit output.</param>
/// <param name="StatsQuery">One row of counts (see <see cref="PlanRenderer.StatNames"/>).</param>
/// <param name="QuarantineQuery">The bad input rows: source, file, row (or line), reason; run
/// <see cref="QuarantineStatements"/> first.</param>
/// <param name="OutputPass">The output query for pass <c>p</c> of <c>n</c>: the samples of the shards <c>s</c> with
/// <c>s % n == p</c>, in the same order; pass 0 of 1 is <see cref="OutputQuery"/>. Passes bound the engine's memory
/// on big days: each joins only the histories its own samples use.</param>
public sealed record RenderedJob(
    SqlDialect Dialect,
    IReadOnlyList<SqlStatement> Statements,
    string SamplesTable,
    string OutputQuery,
    string AuditQuery,
    string StatsQuery,
    string QuarantineQuery,
    Func<int, int, string> OutputPass)
{
    /// <summary>Statements to run, after <see cref="Statements"/>, before <see cref="QuarantineQuery"/> (the engine may
    /// need to look at the input again to number the bad rows' lines); run only when there are bad rows.</summary>
    public IReadOnlyList<SqlStatement> QuarantineStatements { get; init; } = [];

    /// <summary>The whole job as one script: statements and queries, each ending with <c>;</c>.</summary>
    /// <returns>The script.</returns>
    public string Script()
    {
        var sb = new StringBuilder();
        foreach (var s in Statements)
        {
            sb.Append(s.Sql).Append(";\n\n");
        }

        sb.Append(StatsQuery).Append(";\n\n").Append(OutputQuery).Append(";\n");
        return sb.ToString();
    }
}

/// <summary>
/// Renders a <see cref="JobPlan"/> as SQL: typed sources with bad rows set aside, de-duplication (earliest copy),
/// label attribution, point-in-time history from ranked events (see RenderHistory and SamplesWithHistories), feature
/// columns with defaults, the project hash, sampling. Written once; only <see cref="SqlDialect"/> spells differences.
/// </summary>
public static class PlanRenderer
{
    private const string Samples = "samples";

    /// <summary>Renders a plan.</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="dialect">The dialect.</param>
    /// <returns>The SQL.</returns>
    public static RenderedJob Render(JobPlan plan, SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(dialect);
        return new Renderer(plan, dialect).Render();
    }

    /// <summary>The names of the stats query's columns, in order, for a plan.</summary>
    /// <param name="plan">The plan.</param>
    /// <returns>The names.</returns>
    public static IReadOnlyList<string> StatNames(JobPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return Renderer.Stats(plan, DuckDbDialect.Instance).Select(s => s.Name).ToList();
    }

    private sealed class Renderer(JobPlan plan, SqlDialect d)
    {
        // A typed row that is good: not bad, and a row at all (the reader's __skip marks a blank line).
        private const string GoodRow = "__reason IS NULL AND NOT __skip";

        private readonly List<SqlStatement> _statements = [];

        private JobConfig Job => plan.Job;

        public static List<(string Name, string Sql)> Stats(JobPlan plan, SqlDialect d)
        {
            string Q(string n) => d.Identifier(n);
            var job = plan.Job;
            var stats = new List<(string, string)>();
            foreach (var s in plan.Sources.Values)
            {
                string rejected = d.RejectedRows(s) is { } r ? $" + (SELECT count(*) FROM {r} rj)" : "";
                stats.Add(($"read.{s.Name}", $"((SELECT count(*) FROM {Q("typed_" + s.Name)} WHERE NOT __skip){rejected})"));
                stats.Add(($"quarantined.{s.Name}", $"((SELECT count(*) FROM {Q("typed_" + s.Name)} WHERE __reason IS NOT NULL){rejected})"));
                stats.Add(($"duplicates.{s.Name}", $"((SELECT count(*) FROM {Q("typed_" + s.Name)} WHERE {GoodRow}) - (SELECT count(*) FROM {Q("clean_" + s.Name)}))"));
            }

            stats.Add(("outside_day", $"(SELECT count(*) FROM {Q("clean_" + job.Samples)} WHERE __ts < {d.BigInt(plan.DayStartMicros)} OR __ts >= {d.BigInt(plan.DayEndMicros)})"));
            stats.Add(("samples", $"(SELECT count(*) FROM {Q(Samples)})"));
            stats.Add(("written", $"(SELECT count(*) FROM {Q(Samples)} WHERE __kept)"));
            stats.Add(("positives", job.LabelFeature is { } lf ? $"(SELECT count(*) FROM {Q(Samples)} WHERE __kept AND {Q(lf)} = 1)" : "CAST(0 AS BIGINT)"));
            stats.Add(("eval", $"(SELECT count(*) FROM {Q(Samples)} WHERE __kept AND __split = 'eval')"));
            foreach (string t in JoinedTables(job))
            {
                stats.Add(($"missing.{t}", $"(SELECT count(*) FROM {Q(Samples)} WHERE __kept AND {Q("__miss_" + t)})"));
            }

            return stats;
        }

        public RenderedJob Render()
        {
            foreach (var s in plan.Sources.Values)
            {
                RenderTyped(s);
            }

            foreach (var s in plan.Sources.Values)
            {
                RenderClean(s);
            }

            RenderImpressions();
            if (Job.Label is not null)
            {
                RenderLabels();
            }

            for (int k = 0; k < Job.Histories.Count; k++)
            {
                RenderHistory(k, Job.Histories[k]);
            }

            RenderSamples();

            string features = string.Join(", ", plan.OutputColumns.Select(OutputExpression));
            string order = OutputOrder();
            string from = SamplesWithHistories(null);
            string output = $"SELECT {features}, s.__h, s.__split FROM {from}\nWHERE s.__kept ORDER BY {order}";
            string OutputPass(int pass, int passes)
            {
                if (passes <= 1)
                {
                    return output;
                }

                string filter = PassFilter("s", pass, passes);
                return $"SELECT {features}, s.__h, s.__split FROM {SamplesWithHistories(filter)}\nWHERE s.__kept AND {filter} ORDER BY {order}";
            }

            var auditExtra = plan.Samples.KeyColumns.Where(k => plan.OutputColumns.All(c => c.Name != k)).Select(k => "s." + Q("__key_" + k));
            string audit = $"SELECT {features}, {string.Join(", ", auditExtra.Append("s.__ts").Append("s.__split").Append("s.__h"))} FROM {from}\nWHERE s.__kept ORDER BY {order}";
            string stats = "SELECT " + string.Join(",\n  ", Stats(plan, d).Select(s => $"CAST({s.Sql} AS BIGINT) AS {Q(s.Name.Replace('.', '_'))}"));
            var quarantineStatements = new List<SqlStatement>();
            var quarantineParts = new List<string>();
            foreach (var s in plan.Sources.Values)
            {
                var (prelude, bad) = d.BadRows(s, Q("typed_" + s.Name));
                for (int i = 0; i < prelude.Count; i++)
                {
                    quarantineStatements.Add(new SqlStatement($"quarantine_{s.Name}_{i}", prelude[i]));
                }

                quarantineParts.Add($"  SELECT {d.String(s.Name)} AS __source, __file, __row, __reason FROM {bad} b");
                if (d.RejectedRows(s) is { } r)
                {
                    quarantineParts.Add($"  SELECT {d.String(s.Name)} AS __source, __file, __row, __reason FROM {r} rj");
                }
            }

            string quarantine = "SELECT __source, __file, __row, __reason FROM (\n" + string.Join("\n  UNION ALL\n", quarantineParts) + "\n) q ORDER BY __source, __file, __row, __reason";
            return new RenderedJob(d, _statements, Samples, output, audit, stats, quarantine, OutputPass) { QuarantineStatements = quarantineStatements };
        }

        private string Q(string name) => d.Identifier(name);

        private bool IsHistory(string feature) => Job.Histories.Any(h => h.Feature == feature);

        // The samples joined to their histories: each history is attached only here, at the end, so the lists are
        // built once, straight into the output, rather than copied through the joins that make the samples.
        private string PassFilter(string alias, int pass, int passes) =>
            $"({alias}.__h % {Big(Job.Output.Shards)}) % {Big(passes)} = {Big(pass)}";

        // The block of an impression's newest visible event (rank __n), and the block before it: the history's ranks
        // (__n - max_length, __n] lie in these two.
        // Null (no block) when the impression has fewer events before it than `least`: the join keys stay equalities.
        private string Block(string probe, int k, int least = 1) =>
            $"CASE WHEN {probe}.__n >= {least} THEN CAST(floor(({probe}.__n - 1) / {Job.Histories[k].MaxLength}) AS BIGINT) END";

        // Each sample is joined on exact keys to its impression's rank __n and to the one or two blocks that hold its
        // history (so no join ever matches a user's whole event list); with a pass filter, the blocks are first cut
        // down to those this pass's samples use (a semi-join), so the join that attaches them holds only one pass's.
        private string SamplesWithHistories(string? passFilter)
        {
            var from = new StringBuilder($"{Q(Samples)} s");
            for (int k = 0; k < Job.Histories.Count; k++)
            {
                string n = k.ToString(CultureInfo.InvariantCulture);
                int max = Job.Histories[k].MaxLength;
                string blocks = Q("hist_blocks_" + n);
                if (passFilter is not null)
                {
                    string used = $"SELECT q.__u, {Block("q", k)} - o.__o AS __b FROM {Q(Samples)} s2 JOIN {Q("hist_probe_" + n)} q ON s2.__id = q.__id " +
                        $"CROSS JOIN (SELECT 0 AS __o UNION ALL SELECT 1 AS __o) o WHERE s2.__kept AND {passFilter.Replace("s.", "s2.", StringComparison.Ordinal)} AND q.__n > 0";
                    blocks = $"(SELECT b.* FROM {blocks} b WHERE EXISTS (SELECT 1 FROM ({used}) w WHERE w.__u = b.__u AND w.__b = b.__b))";
                }

                from.Append($"\n  LEFT JOIN {Q("hist_probe_" + n)} p{n} ON s.__id = p{n}.__id");
                from.Append($"\n  LEFT JOIN {blocks} b{n} ON b{n}.__u = p{n}.__u AND b{n}.__b = {Block("p" + n, k)}");
                from.Append($"\n  LEFT JOIN {blocks} c{n} ON c{n}.__u = p{n}.__u AND c{n}.__b = {Block("p" + n, k, max + 1)} - 1");
            }

            return from.ToString();
        }

        private string OutputExpression(OutputColumn column)
        {
            int k = Job.Histories.ToList().FindIndex(h => h.Feature == column.Name);
            if (k < 0)
            {
                return $"s.{Q(column.Name)}";
            }

            string n = k.ToString(CultureInfo.InvariantCulture);
            long window = JobPlan.ToMicros(Job.Histories[k].Window);
            int max = Job.Histories[k].MaxLength;
            string list = $"CASE WHEN c{n}.__l IS NULL THEN b{n}.__l ELSE {d.ListConcat($"c{n}.__l", $"b{n}.__l")} END";
            string visible = $"x.r > p{n}.__n - {max} AND x.r <= p{n}.__n AND x.t >= p{n}.__ts - {Big(window)}";
            return $"coalesce({d.NewestValuesWhere(list, visible)}, {d.EmptyList(column.Kind)}) AS {Q(column.Name)}";
        }

        // Records are ordered by (hash, key), then by content, so the order never depends on the engine's scan: time and
        // the key columns (unique after de-duplication), and without de-duplication every scalar feature too.
        private string OutputOrder()
        {
            var order = new List<string> { "s.__h", "s.__k", "s.__ts" };
            order.AddRange(plan.Samples.KeyColumns.Select(k => "s." + Q("__key_" + k)));
            if (plan.Samples.Config.Dedup.Count == 0)
            {
                order.AddRange(plan.OutputColumns.Where(c => !c.IsList && !IsHistory(c.Name)).Select(c => "s." + Q(c.Name)));
            }

            return string.Join(", ", order);
        }

        private string Big(long v) => d.BigInt(v);

        private void Add(string name, string query) => _statements.Add(new SqlStatement(name, d.Materialize(name, query)));

        private string Physical(SourceConfig s, string logical) => s.Rename.TryGetValue(logical, out var p) ? p : logical;

        private void RenderTyped(PlannedSource s)
        {
            var c = s.Config;
            var logical = c.Columns.ToList();
            var physical = logical.Select(l => Physical(c, l)).ToList();
            if (c.Time is { } time)
            {
                physical.Add(Physical(c, time.Column));
            }

            var (prelude, relation) = d.ReadSource(s, physical.Distinct().ToList());
            for (int i = 0; i < prelude.Count; i++)
            {
                _statements.Add(new SqlStatement($"read_{s.Name}_{i}", prelude[i]));
            }

            var select = new List<string>();
            foreach (string l in logical)
            {
                string p = Q(Physical(c, l));
                select.Add(s.KeyColumns.Contains(l) ? $"CAST({p} AS {d.Text}) AS {Q(l)}" : $"{p} AS {Q(l)}");
            }

            // A row the reader marked as not a row (a blank line) has no reason; one it could not read has its reason.
            var reasons = new List<string> { "WHEN __skip THEN NULL", "WHEN __bad IS NOT NULL THEN __bad" };
            if (c.Time is { } t)
            {
                select.Add($"{TimeExpression(Q(Physical(c, t.Column)), t)} AS __ts");
                reasons.Add($"WHEN __ts IS NULL THEN {d.String($"time column '{Physical(c, t.Column)}' is null or not a valid {UnitText(t.Unit)}")}");
            }

            foreach (string k in s.KeyColumns)
            {
                reasons.Add($"WHEN {Q(k)} IS NULL THEN {d.String($"key column '{Physical(c, k)}' is null")}");
            }

            select.Add("__file");
            select.Add("__row");
            select.Add("__bad");
            select.Add("__skip");
            string reason = $"CASE {string.Join(" ", reasons)} END";
            Add("typed_" + s.Name, $"SELECT *, {reason} AS __reason FROM (\n  SELECT {string.Join(", ", select)}\n  FROM {relation} r\n) t");
        }

        private string TimeExpression(string raw, TimeColumn t)
        {
            string asInt = d.TryCast(raw, "BIGINT");
            return t.Unit switch
            {
                // Bounded first, so that scaling never overflows (an error under Spark's ANSI mode).
                TimeUnit.Seconds => $"(CASE WHEN {asInt} BETWEEN -9223372036854 AND 9223372036854 THEN {asInt} * 1000000 END)",
                TimeUnit.Milliseconds => $"(CASE WHEN {asInt} BETWEEN -9223372036854775 AND 9223372036854775 THEN {asInt} * 1000 END)",
                TimeUnit.Microseconds => asInt,
                _ => d.TextToEpochMicros($"CAST({raw} AS {d.Text})", t.Zone),
            };
        }

        private static string UnitText(TimeUnit unit) => unit switch
        {
            TimeUnit.Seconds => "epoch seconds",
            TimeUnit.Milliseconds => "epoch milliseconds",
            TimeUnit.Microseconds => "epoch microseconds",
            _ => "timestamp text",
        };

        private void RenderClean(PlannedSource s)
        {
            var c = s.Config;
            string columns = string.Join(", ", c.Columns.Select(Q).Concat(c.Time is null ? [] : ["__ts"]).Append("__file").Append("__row"));

            // The earliest copy survives; ties are broken by file and row, then by every column, so the choice never
            // depends on the engine's scan order.
            IReadOnlyList<string> partition = c.Key is { } key ? [key] : c.Dedup;
            if (partition.Count == 0)
            {
                Add("clean_" + s.Name, $"SELECT {columns} FROM {Q("typed_" + s.Name)} WHERE {GoodRow}");
                return;
            }

            string order = string.Join(", ", (c.Time is null ? [] : new[] { "__ts" }).Concat(["__file", "__row"]).Concat(c.Columns.Select(Q)));
            Add("clean_" + s.Name,
                $"SELECT {columns} FROM (\n  SELECT *, row_number() OVER (PARTITION BY {string.Join(", ", partition.Select(Q))} ORDER BY {order}) AS __rn\n" +
                $"  FROM {Q("typed_" + s.Name)} WHERE {GoodRow}\n) t WHERE __rn = 1");
        }

        private void RenderImpressions()
        {
            long end = plan.DayEndMicros + plan.LabelWithinMicros;
            Add("imp",
                $"SELECT *, {d.UniqueRowId} AS __id FROM {Q("clean_" + plan.Samples.Name)}\n" +
                $"WHERE __ts >= {Big(plan.DayStartMicros)} AND __ts < {Big(end)}");
        }

        /// <summary>The order that makes impressions distinct by content: time, then the key columns (text).</summary>
        private IEnumerable<string> ContentOrder(string alias, bool descending)
        {
            string direction = descending ? " DESC" : "";
            return new[] { "__ts" }.Concat(plan.Samples.KeyColumns.Select(Q)).Select(c => alias + c + direction);
        }

        private void RenderLabels()
        {
            var label = Job.Label!;
            long within = plan.LabelWithinMicros;
            string on = string.Join(" AND ", label.Match.Select(m => $"i.{Q(m)} = c.{Q(m)}"));
            string partition = string.Join(", ", new[] { "c.__file", "c.__row", "c.__ts" }.Concat(label.Match.Select(m => "c." + Q(m))));

            // Each click goes to the latest impression at or before it (same match columns, at most `within` earlier):
            // one click labels at most one impression, and an impression with several clicks is labelled once.
            Add("labels",
                $"SELECT DISTINCT __imp FROM (\n" +
                $"  SELECT i.__id AS __imp, row_number() OVER (PARTITION BY {partition} ORDER BY {string.Join(", ", ContentOrder("i.", descending: true))}) AS __rn\n" +
                $"  FROM {Q("imp")} i JOIN {Q("clean_" + label.Events)} c ON {on}\n" +
                $"    AND c.__ts >= i.__ts AND c.__ts <= i.__ts + {Big(within)}\n" +
                $"  WHERE c.__ts >= {Big(plan.DayStartMicros)} AND c.__ts < {Big(plan.DayEndMicros + within)}\n" +
                $") t WHERE __rn = 1");
        }

        private void RenderHistory(int k, HistoryRule h)
        {
            long window = JobPlan.ToMicros(h.Window);
            var events = plan.Sources[h.Events];
            var column = plan.OutputColumns.First(c => c.Name == h.Feature);
            string type = d.Type(column.Kind, false);
            string join = "";
            string value;
            if (h.Value.Source == h.Events)
            {
                value = $"e.{Q(h.Value.Column)}";
            }
            else
            {
                string key = Job.Sources[h.Value.Source].Key!;
                join = $" LEFT JOIN {Q("clean_" + h.Value.Source)} j ON e.{Q(key)} = j.{Q(key)}";
                value = $"j.{Q(h.Value.Column)}";
            }

            value = d.TryCast(value, type);
            if (h.Missing is not null)
            {
                value = $"coalesce({value}, {d.TryCast(d.String(h.Missing), type)})";
            }

            string n = k.ToString(CultureInfo.InvariantCulture);
            string user = Q(h.User);

            // Each event's rank among its user's events in the order (time ascending, value descending). A ranking
            // window (row_number) stays within DuckDB's memory limit however big a user's partition (measured: the
            // same peak for one user's 5M and 20M events).
            Add("hist_events_" + n,
                $"SELECT __u, __ts, __v, row_number() OVER (PARTITION BY __u ORDER BY __ts ASC, __v DESC) AS __r FROM (\n" +
                $"  SELECT e.{user} AS __u, e.__ts, {value} AS __v\n" +
                $"  FROM {Q("clean_" + events.Name)} e{join}\n" +
                $"  WHERE e.__ts >= {Big(plan.DayStartMicros - window)} AND e.__ts < {Big(plan.DayEndMicros)}\n" +
                $") t WHERE __v IS NOT NULL");

            // A user's events cut by rank into blocks of `max_length` (block b: ranks b * max_length + 1 ..), each one
            // row with its events as a list: the events are stored once (not a list of the newest `max_length` per
            // event, `max_length` times the events), and a window partition is one block, never a user's whole event
            // list (whole lists, or lists per event over a user's partition, ran out of memory for very active users).
            string block = $"CAST(floor((__r - 1) / {h.MaxLength}) AS BIGINT)";
            Add("hist_blocks_" + n,
                $"SELECT __u, __b, __l FROM (\n" +
                $"  SELECT __u, {block} AS __b, __r, {d.PartitionList("__r", "__ts", "__v", $"__u, {block}")} AS __l\n" +
                $"  FROM {Q("hist_events_" + n)}\n" +
                $") t WHERE (__r - 1) % {h.MaxLength} = 0");

            // For each impression, __n: the number of its user's events strictly before it, the rank of the newest
            // event it may see. In the union of events and impressions per user, ordered by time with impressions
            // before events of the same instant (a null rank first), an impression's place less its place among its
            // user's impressions (the same order: time, then id) is the number of events before it; so same-instant
            // clicks, the impression's own included, are never history. Two row_numbers rather than a running count
            // (a ROWS frame from the partition's start), which went over the memory limit for one user's 5M events.
            Add("hist_probe_" + n,
                $"SELECT __id, __u, __ts, __q - row_number() OVER (PARTITION BY __u ORDER BY __ts, __id) AS __n FROM (\n" +
                $"  SELECT __u, __ts, __id, row_number() OVER (PARTITION BY __u ORDER BY __ts, __r NULLS FIRST, __id) AS __q\n" +
                $"  FROM (\n" +
                $"    SELECT __u, __ts, __r, CAST(NULL AS BIGINT) AS __id FROM {Q("hist_events_" + n)}\n" +
                $"    UNION ALL\n" +
                $"    SELECT {user} AS __u, __ts, CAST(NULL AS BIGINT) AS __r, __id FROM {Q("imp")} WHERE __ts >= {Big(plan.DayStartMicros)} AND __ts < {Big(plan.DayEndMicros)}\n" +
                $"  ) x\n" +
                $") y WHERE __id IS NOT NULL");
        }

        private static IEnumerable<string> JoinedTables(JobConfig job) =>
            job.Columns.Where(c => c.Ref.Source != job.Samples).Select(c => c.Ref.Source).Distinct();

        private void RenderSamples()
        {
            var samples = plan.Samples;
            var from = new StringBuilder($"{Q("imp")} s");
            foreach (string t in JoinedTables(Job))
            {
                string key = Job.Sources[t].Key!;
                from.Append($"\n  LEFT JOIN {Q("clean_" + t)} {Q("t_" + t)} ON s.{Q(key)} = {Q("t_" + t)}.{Q(key)}");
            }

            if (Job.Label is not null)
            {
                from.Append($"\n  LEFT JOIN {Q("labels")} l ON s.__id = l.__imp");
            }

            var select = new List<string>();
            foreach (var column in plan.OutputColumns.Where(c => !IsHistory(c.Name)))
            {
                select.Add($"{FeatureExpression(column)} AS {Q(column.Name)}");
            }

            foreach (string k in samples.KeyColumns)
            {
                select.Add($"s.{Q(k)} AS {Q("__key_" + k)}");
            }

            foreach (string t in JoinedTables(Job))
            {
                string key = Job.Sources[t].Key!;
                select.Add($"{Q("t_" + t)}.{Q(key)} IS NULL AS {Q("__miss_" + t)}");
            }

            select.Add("s.__ts AS __ts");
            select.Add("s.__id AS __id");
            select.Add($"{KeyText(Job.Output.ShardKey)} AS __k");
            select.Add($"{KeyText(Job.Sampling.Key)} AS __sk");

            string inner = $"SELECT {string.Join(",\n    ", select)}\n  FROM {from}\n  WHERE s.__ts >= {Big(plan.DayStartMicros)} AND s.__ts < {Big(plan.DayEndMicros)}";

            var sampling = Job.Sampling;
            string sep = d.Separator;
            string kept = "TRUE";
            if (sampling.NegativeRate < 1.0)
            {
                string positive = Job.LabelFeature is { } lf ? $"{Q(lf)} = 1 OR " : "";
                kept = $"({positive}{d.Hash60($"'neg' || {sep} || {d.String(sampling.Salt)} || {sep} || __sk")} % {Big(ProjectHash.RateScale)} < {Big(ProjectHash.Threshold(sampling.NegativeRate))})";
            }

            string split = "'train'";
            if (sampling.EvalFraction > 0.0)
            {
                split = $"CASE WHEN {d.Hash60($"'split' || {sep} || {d.String(sampling.Salt)} || {sep} || __sk")} % {Big(ProjectHash.RateScale)} < {Big(ProjectHash.Threshold(sampling.EvalFraction))} THEN 'eval' ELSE 'train' END";
            }

            Add(Samples, $"SELECT *, {d.Hash60("__k")} AS __h, {kept} AS __kept, {split} AS __split FROM (\n  {inner}\n) t");
        }

        private string KeyText(IReadOnlyList<string> columns)
        {
            if (columns.Count == 0)
            {
                return "''";
            }

            return string.Join($" || {d.Separator} || ", columns.Select(c => $"coalesce(s.{Q(c)}, '')"));
        }

        private string FeatureExpression(OutputColumn column)
        {
            if (Job.LabelFeature == column.Name)
            {
                return "CAST(CASE WHEN l.__imp IS NULL THEN 0 ELSE 1 END AS BIGINT)";
            }

            var rule = Job.Columns.First(c => c.Feature == column.Name);
            string zone = Job.TimeZone;
            string type = d.Type(column.Kind, column.IsList);
            string expression = rule.Function switch
            {
                DerivedFunction.HourOfDay => d.HourOfDay("s.__ts", zone),
                DerivedFunction.DayOfWeek => d.DayOfWeek("s.__ts", zone),
                _ when rule.Ref.Source == Job.Samples && rule.Ref.Column == plan.Samples.Config.Time!.Column => "s.__ts",
                _ when rule.Ref.Source == Job.Samples => $"s.{Q(rule.Ref.Column)}",
                _ => $"{Q("t_" + rule.Ref.Source)}.{Q(rule.Ref.Column)}",
            };
            expression = d.TryCast(expression, type);
            if (column.Default is not null && !column.IsList)
            {
                expression = $"coalesce({expression}, {Literal(column.Default, column.Kind)})";
            }

            return expression;
        }

        private string Literal(object value, FeatureKind kind) => kind switch
        {
            FeatureKind.Int64 => $"CAST({Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)} AS BIGINT)",
            FeatureKind.Float => $"CAST({Convert.ToDouble(value, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture)} AS {d.Type(FeatureKind.Float, false)})",
            _ => d.String(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
        };
    }
}
