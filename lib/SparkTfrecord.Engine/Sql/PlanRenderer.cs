using System.Globalization;
using System.Text;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Hashing;
using SparkTfrecord.Engine.Output;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Spec;

namespace SparkTfrecord.Engine.Sql;

/// <summary>
/// Renders a <see cref="JobPlan"/> as SQL: typed sources with bad rows set aside, de-duplication (earliest copy),
/// label attribution, point-in-time history from ranked events (see RenderHistory and SamplesWithHistories), feature
/// columns with defaults, the project hash, sampling. Written once; only <see cref="SqlDialect"/> spells differences.
/// </summary>
public static partial class PlanRenderer
{
    private const string Samples = "samples";

    /// <summary>The reason of a row holding text that is not UTF-8 (or U+FFFD, what such bytes decode to), on every
    /// engine; DuckDB's reader gives the same for the lines it rejects.</summary>
    internal const string InvalidUtf8Reason = "invalid UTF-8 text";

    /// <summary>The DuckDB script that <c>sparktf samples</c> runs for one day, as <c>sparktf plan</c> prints it.</summary>
    /// <param name="definition">The spec and its job section, with the command line's overrides applied.</param>
    /// <param name="date">The day.</param>
    /// <param name="input">The input root, or null: the plan still renders, with the unresolved paths' files left out.</param>
    /// <returns>The script.</returns>
    public static string DuckDbScript(JobDefinition definition, DateOnly date, string? input)
    {
        var plan = JobPlan.Create(definition, date, input ?? "{input}", resolveFiles: input is not null);

        // As samples reads them: CSV columns from the files' headers, the reader's buffer from their longest line.
        return Render(InputScan.Apply(plan), DuckDbDialect.Instance).Script();
    }

    /// <summary>Renders a plan.</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="dialect">The dialect.</param>
    /// <returns>The SQL.</returns>
    internal static RenderedJob Render(JobPlan plan, SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(dialect);
        return new Renderer(plan, dialect.WithNames(plan.Names)).Render();
    }

    private sealed partial class Renderer(JobPlan plan, SqlDialect d)
    {
        private readonly List<SqlStatement> _statements = [];

        private JobConfig Job => plan.Job;

        private TechnicalColumns N => plan.Names;

        private SampleColumns Columns => plan.Columns;

        // A typed row that is good: not bad, and a row at all (the reader's skip column marks a blank line).
        private string GoodRow => $"{N.Reason} IS NULL AND NOT {N.Skip}";

        private List<CountColumn> Stats()
        {
            var job = plan.Job;
            var stats = new List<CountColumn>();
            foreach (var s in plan.Sources.Values)
            {
                string rejected = d.RejectedRows(s) is { } r ? $" + (SELECT count(*) FROM {r} rj)" : "";
                stats.Add(RunCounts.Column(RunCounts.ReadKind, s.Name, $"((SELECT count(*) FROM {Q("typed_" + s.Name)} WHERE NOT {N.Skip}){rejected})"));
                stats.Add(RunCounts.Column(RunCounts.QuarantinedKind, s.Name, $"((SELECT count(*) FROM {Q("typed_" + s.Name)} WHERE {N.Reason} IS NOT NULL){rejected})"));
                stats.Add(RunCounts.Column(RunCounts.DuplicatesKind, s.Name, $"((SELECT count(*) FROM {Q("typed_" + s.Name)} WHERE {GoodRow}) - (SELECT count(*) FROM {Q("clean_" + s.Name)}))"));
            }

            stats.Add(RunCounts.Column(RunCounts.OutsideDay, null, $"(SELECT count(*) FROM {Q("clean_" + job.Samples)} WHERE {N.Time} < {d.BigInt(plan.DayStartMicros)} OR {N.Time} >= {d.BigInt(plan.DayEndMicros)})"));
            stats.Add(RunCounts.Column(RunCounts.Samples, null, $"(SELECT count(*) FROM {Q(Samples)})"));
            stats.Add(RunCounts.Column(RunCounts.Written, null, $"(SELECT count(*) FROM {Q(Samples)} WHERE {N.Kept})"));
            stats.Add(RunCounts.Column(RunCounts.Positives, null, job.LabelFeature is { } lf ? $"(SELECT count(*) FROM {Q(Samples)} WHERE {N.Kept} AND {Q(lf)} = 1)" : "CAST(0 AS BIGINT)"));
            if (Job.Labels.Count > 1)
            {
                foreach (var label in Job.Labels)
                {
                    stats.Add(RunCounts.Column(RunCounts.PositivesKind, label.Feature, $"(SELECT count(*) FROM {Q(Samples)} WHERE {N.Kept} AND {Q(label.Feature)} = 1)"));
                }
            }

            stats.Add(RunCounts.Column(RunCounts.Eval, null, $"(SELECT count(*) FROM {Q(Samples)} WHERE {N.Kept} AND {N.Split} = '{SplitShardWriters.Eval}')"));
            foreach (var m in Columns.Missing)
            {
                stats.Add(RunCounts.Column(RunCounts.MissingKind, m.Table, $"(SELECT count(*) FROM {Q(Samples)} WHERE {N.Kept} AND {Q(m.Name)})"));
            }

            foreach (var f in Columns.Invalid)
            {
                stats.Add(RunCounts.Column(RunCounts.InvalidKind, f.Feature, $"(SELECT count(*) FROM {Q(Samples)} WHERE {N.Kept} AND {Q(f.Name)})"));
            }

            return stats;
        }

        public RenderedJob Render()
        {
            RenderStateInputs();
            foreach (var s in plan.Sources.Values)
            {
                RenderTyped(s);
            }

            foreach (var s in plan.Sources.Values)
            {
                RenderClean(s);
            }

            RenderVersions();

            RenderImpressions();
            for (int k = 0; k < Job.Labels.Count; k++)
            {
                RenderLabels(k);
            }

            for (int k = 0; k < Job.Histories.Count; k++)
            {
                RenderHistory(k, Job.Histories[k]);
            }

            RenderSamples();
            RenderSamplesWithHistories();

            RenderNextState();

            string features = string.Join(", ", Columns.Features.Select(OutputExpression));
            string order = OutputOrder();
            string from = SamplesWithHistories();
            string hashAndSplit = $"s.{N.Hash}, s.{N.Split}";
            string selectFrom = $"SELECT {features}, {hashAndSplit} FROM {from}\nWHERE s.{N.Kept}";
            string output = $"{selectFrom} ORDER BY {order}";

            // The same samples with the order columns instead of an order: the Spark script's output view, which its
            // writers sort within files, and the Parquet that `sparktf encode` orders.
            var featureNames = Columns.Features.Select(c => c.Name).ToHashSet();
            var orderExtra = Columns.Order.Where(c => c != N.Hash && !featureNames.Contains(c)).Select(c => $"s.{Q(c)} AS {Q(c)}");
            string sortable = $"SELECT {features}, {hashAndSplit}, {string.Join(", ", orderExtra)} FROM {from}\nWHERE s.{N.Kept}";
            var auditExtra = Columns.Keys.Where(k => !featureNames.Contains(k.Column)).Select(k => "s." + Q(k.Name));
            string audit = $"SELECT {features}, {string.Join(", ", auditExtra.Append($"s.{N.Time}").Append($"s.{N.Split}").Append($"s.{N.Hash}"))} FROM {from}\nWHERE s.{N.Kept} ORDER BY {order}";
            var counts = Stats();
            string stats = "SELECT " + string.Join(",\n  ", counts.Select(s => $"CAST({s.Sql} AS BIGINT) AS {Q(s.Column)}"));
            var quarantineStatements = new List<SqlStatement>();
            var quarantineParts = new List<string>();
            string raw = d.KeepsRawRows ? ", " + N.Raw : "";
            foreach (var s in plan.Sources.Values)
            {
                var (prelude, bad) = d.BadRows(s, Q("typed_" + s.Name));
                for (int i = 0; i < prelude.Count; i++)
                {
                    quarantineStatements.Add(new SqlStatement($"quarantine_{s.Name}_{i}", prelude[i]));
                }

                quarantineParts.Add($"  SELECT {d.String(s.Name)} AS {N.Source}, {N.File}, {N.Row}, {N.Reason}{raw} FROM {bad} b");
                if (d.RejectedRows(s) is { } r)
                {
                    quarantineParts.Add($"  SELECT {d.String(s.Name)} AS {N.Source}, {N.File}, {N.Row}, {N.Reason}{raw} FROM {r} rj");
                }
            }

            string quarantineColumns = $"{N.Source}, {N.File}, {N.Row}, {N.Reason}{raw}";
            var quarantineKeys = new[] { N.Source, N.File, N.Row, N.Reason }.Concat(d.KeepsRawRows ? [N.Raw] : Array.Empty<string>());
            string quarantine = $"SELECT {quarantineColumns} FROM (\n" + string.Join("\n  UNION ALL\n", quarantineParts) + $"\n) q ORDER BY {string.Join(", ", quarantineKeys.Select(SqlDialect.Ascending))}";
            var passes = new OutputPasses(d, output, selectFrom, order, Job.Output.Shards, N.Hash, hashRanges: Job.Output.Limit is not null);
            return new RenderedJob(d, _statements, Samples, output, audit, stats, quarantine, passes)
            {
                QuarantineStatements = quarantineStatements,
                Counts = counts,
                SortableOutputQuery = sortable,
            };
        }

        private string Q(string name) => d.Identifier(name);

        // An alias local to one statement.
        private string L(string name) => N.Local(name);

        // A history, or a per-step companion of one (issue 14): both are lists of samples_histories.
        private bool IsHistory(string feature) => Job.Histories.Any(h => h.Feature == feature || h.Steps.Any(st => st.Feature == feature));

        // The kept samples with their history lists (one table, built once by RenderSamplesWithHistories), or the
        // samples themselves when the job has no history.
        private string SamplesWithHistories() =>
            Job.Histories.Count == 0 ? $"{Q(Samples)} s" : $"{Q(SamplesWithHistoriesTable)} s";

        private const string SamplesWithHistoriesTable = "samples_histories";

        // History k's list column in SamplesWithHistoriesTable.
        private string ListColumn(int k) => L("l" + k.ToString(CultureInfo.InvariantCulture));

        // Step j of history k's list column in SamplesWithHistoriesTable, and in its blocks; its value in the events.
        private string StepListColumn(int k, int j) => L("l" + k.ToString(CultureInfo.InvariantCulture) + "_" + j.ToString(CultureInfo.InvariantCulture));

        private string StepBlockColumn(int j) => L("l_" + j.ToString(CultureInfo.InvariantCulture));

        private string StepValueColumn(int j) => L("s" + j.ToString(CultureInfo.InvariantCulture));

        private string OutputExpression(FeatureColumn column)
        {
            for (int k = 0; k < Job.Histories.Count; k++)
            {
                int j = Job.Histories[k].Steps.ToList().FindIndex(st => st.Feature == column.Name);
                if (j >= 0)
                {
                    return $"s.{StepListColumn(k, j)} AS {Q(column.Name)}";
                }
            }

            int h = Job.Histories.ToList().FindIndex(h => h.Feature == column.Name);
            if (h < 0)
            {
                return $"s.{Q(column.Name)}";
            }

            return $"s.{ListColumn(h)} AS {Q(column.Name)}";
        }

        // The block of an impression's newest visible event (rank __n), and the block before it: the history's ranks
        // (__n - max_length, __n] lie in these two.
        // Null (no block) when the impression has fewer events before it than `least`: the join keys stay equalities.
        private string Block(string probe, int k, int least = 1) =>
            $"CASE WHEN {probe}.{L("n")} >= {least} THEN CAST(floor(({probe}.{L("n")} - 1) / {Job.Histories[k].MaxLength}) AS BIGINT) END";

        // The kept samples with every history's list, built once for the day in one statement: each sample is joined on
        // exact keys to its impression's rank __n, to its window edge's rank (hist_edge) and to the one or two blocks
        // that hold its history (so no join ever matches a user's whole event list). The visible events are the ranks
        // (max(__n - max_length, edge's __n), __n]: a run of consecutive ranks, so the list is a slice of the blocks'
        // rank-ordered values, reversed (newest first), with no per-element filter or sort for each sample.
        // Why one wide table (issue 12): built per output pass, the blocks were joined again in every pass, so the
        // day's cost grew with the passes times the day; built as a table of lists keyed by row id and joined back to
        // the samples, that join of two day-sized tables spilled gigabytes at 10M samples. Here the day's samples are
        // read once, and the output (in one or several passes) scans this table alone.
        private void RenderSamplesWithHistories()
        {
            if (Job.Histories.Count == 0)
            {
                return;
            }

            var lists = new List<string>();
            var joins = new StringBuilder();
            for (int k = 0; k < Job.Histories.Count; k++)
            {
                string n = k.ToString(CultureInfo.InvariantCulture);
                int max = Job.Histories[k].MaxLength;
                var column = Columns.Features.First(c => c.Name == Job.Histories[k].Feature);
                string blocks = Q("hist_blocks_" + n);
                string p = "p" + n;
                string newest = $"{p}.{L("n")}";

                // The concatenated list starts at the first rank of block c (the block before b) when c is joined (the
                // impression sees more than max_length events), else at the first rank of block b.
                string firstRank = $"CASE WHEN {newest} > {max} THEN ({Block(p, k)} - 1) * {max} + 1 ELSE {Block(p, k)} * {max} + 1 END";
                string oldestHidden = $"greatest({newest} - {max}, o{n}.{L("n")})";
                string list = $"CASE WHEN c{n}.{L("l")} IS NULL THEN b{n}.{L("l")} ELSE {d.ListConcat($"c{n}.{L("l")}", $"b{n}.{L("l")}")} END";
                string start = $"{oldestHidden} - ({firstRank}) + 2";
                string count = $"greatest({newest} - {oldestHidden}, 0)";
                string slice = d.ReversedSlice(list, start, count);
                lists.Add($"coalesce({slice}, {d.EmptyList(column.Kind)}) AS {ListColumn(k)}");

                // The per-step companions (issue 14): their block lists are in the history's rank order, so the same
                // slice of them is the same events, newest first.
                var steps = Job.Histories[k].Steps;
                for (int j = 0; j < steps.Count; j++)
                {
                    string own = StepBlockColumn(j);
                    string stepList = $"CASE WHEN c{n}.{own} IS NULL THEN b{n}.{own} ELSE {d.ListConcat($"c{n}.{own}", $"b{n}.{own}")} END";
                    string stepSlice = d.ReversedSlice(stepList, start, count);
                    var stepColumn = Columns.Features.First(c => c.Name == steps[j].Feature);
                    if (steps[j].TimeDelta)
                    {
                        stepSlice = d.ListTransform(stepSlice, L("x"), TimeDeltaSeconds($"s.{N.Time}", L("x"), stepColumn.Kind));
                    }

                    lists.Add($"coalesce({stepSlice}, {d.EmptyList(stepColumn.Kind)}) AS {StepListColumn(k, j)}");
                }
                joins.Append($"  LEFT JOIN {Q("hist_probe_" + n)} {p} ON s.{N.RowId} = {p}.{N.RowId}\n");
                joins.Append($"  LEFT JOIN {Q("hist_edge_" + n)} o{n} ON s.{N.RowId} = o{n}.{N.RowId}\n");
                joins.Append($"  LEFT JOIN {blocks} b{n} ON b{n}.{L("u")} = {p}.{L("u")} AND b{n}.{L("b")} = {Block(p, k)}\n");
                joins.Append($"  LEFT JOIN {blocks} c{n} ON c{n}.{L("u")} = {p}.{L("u")} AND c{n}.{L("b")} = {Block(p, k, max + 1)} - 1\n");
            }

            Add(SamplesWithHistoriesTable,
                $"SELECT s.*, {string.Join(", ", lists)}\n" +
                $"FROM {Q(Samples)} s\n" +
                joins +
                $"WHERE s.{N.Kept}");
        }

        // Records are ordered by (hash, key), then by content, so the order never depends on the engine's scan: time and
        // the key columns (unique after de-duplication), and without de-duplication every scalar feature too.
        private string OutputOrder()
        {
            // The renderer's own columns need no quotes; the key copies and the features are quoted.
            string Ref(string c) => c == N.Hash || c == N.ShardKey || c == N.Time ? c : Q(c);
            return string.Join(", ", Columns.Order.Select(c => SqlDialect.Ascending("s." + Ref(c))));
        }

        private string Big(long v) => d.BigInt(v);

        private void Add(string name, string query) => _statements.Add(new SqlStatement(name, d.Materialize(name, query)));

        private string Physical(SourceConfig s, string logical) => s.Rename.TryGetValue(logical, out var p) ? p : logical;

        private void RenderTyped(PlannedSource s)
        {
            var c = s.Config;
            var logical = c.Columns.ToList();
            var physical = logical.Select(l => Physical(c, l)).ToList();
            if (c.RowTime is { } time)
            {
                physical.Add(Physical(c, time.Column));
            }

            var read = physical.Distinct().ToList();
            var (prelude, relation) = c.Table is null ? d.ReadSource(s, read) : d.ReadTable(s, read);
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
            var reasons = new List<string> { $"WHEN {N.Skip} THEN NULL", $"WHEN {N.Bad} IS NOT NULL THEN {N.Bad}" };

            // read-invalid-utf8: a text holding U+FFFD is quarantined on every engine. Spark decodes a CSV or JSON
            // file's invalid UTF-8 bytes to U+FFFD (Java's decoder replaces them) and keeps the row; DuckDB's reader
            // rejects the line ('invalid UTF-8 text', DuckDbDialect.RejectedRows). So a read column holding U+FFFD
            // (the decoded form of bad bytes, or the character itself) is bad on both, with DuckDB's reason.
            // The read columns are checked where they are read (the typed row has the plan's names), the first such
            // column named in the reason.
            // Only text files are decoded by the engines' readers: Parquet strings reach both engines as the same
            // characters, so the check (a cast and a search per column and row) is left out there.
            bool textFile = c.Table is null && c.Format != SourceFormat.Parquet;
            string invalidText = $"CASE {string.Join(" ", read.Select(p => $"WHEN {d.HoldsReplacementCharacter(Q(p))} THEN {d.String($"{InvalidUtf8Reason} in column {p}")}"))} END";
            if (textFile)
            {
                reasons.Add($"WHEN {L("utf8")} IS NOT NULL THEN {L("utf8")}");
            }

            if (c.RowTime is { } t)
            {
                select.Add($"{TimeExpression(Q(Physical(c, t.Column)), t)} AS {N.Time}");
                reasons.Add($"WHEN {N.Time} IS NULL THEN {d.String($"time column '{Physical(c, t.Column)}' is null or not a valid {UnitText(t.Unit)}")}");
            }

            foreach (string k in s.KeyColumns)
            {
                reasons.Add($"WHEN {Q(k)} IS NULL THEN {d.String($"key column '{Physical(c, k)}' is null")}");
            }

            select.Add(N.File);
            select.Add(N.Row);
            select.Add(N.Bad);
            select.Add(N.Skip);
            // The reader's raw line (a line it could not parse), or on an engine without line numbers the whole row as
            // read, for the quarantine (a view there: computed only for the bad rows).
            select.Add(d.RawRow(s, read, "r") is { } raw ? $"{raw} AS {N.Raw}" : N.Raw);
            if (textFile)
            {
                select.Add($"{invalidText} AS {L("utf8")}");
            }
            string reason = $"CASE {string.Join(" ", reasons)} END";
            Add("typed_" + s.Name, $"SELECT *, {reason} AS {N.Reason} FROM (\n  SELECT {string.Join(", ", select)}\n  FROM {relation} r\n) t");
        }

        // Epoch values by the contract's epoch-fractional rule (integers exact, decimals rounded to the microsecond).
        private string TimeExpression(string raw, TimeColumn t) => t.Unit == TimeUnit.Text
            ? d.TextToEpochMicros($"CAST({raw} AS {d.Text})", t.Zone)
            : ValueRules.EpochMicros(d, raw, t.Unit);

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
            string columns = string.Join(", ", c.Columns.Select(Q).Concat(c.RowTime is null ? [] : [N.Time]).Append(N.File).Append(N.Row));

            // The earliest copy survives (clause dedup-first-copy); ties are broken by every column in the source's
            // order, then by the file's name, never by line or scan order, which Spark cannot see: the copy kept is the
            // same on every engine. __file orders by name on both: Spark's is the file's path, DuckDB's the file's
            // index in the plan's files, which JobPlan sorts by name (ordinal).
            // A versioned table (as_of) keeps one row per key and instant: of versions at the same instant, the first copy
            // by the same order (clause asof-versioned-table).
            IReadOnlyList<string> partition = c.Key is { } key ? [key] : c.Dedup;
            string partitionSql = string.Join(", ", partition.Select(Q).Concat(c.AsOf is null ? [] : [N.Time]));
            if (partition.Count == 0)
            {
                // A filter of the typed rows: a view, except for the impressions, whose row ids (clause row-identity;
                // DuckDB's are the stored table's row numbers) need a stored table.
                string good = $"SELECT {columns} FROM {Q("typed_" + s.Name)} WHERE {GoodRow}" + StateCarryUnion(s);
                _statements.Add(new SqlStatement("clean_" + s.Name, s.Name == plan.Samples.Name ? d.Materialize("clean_" + s.Name, good) : d.View("clean_" + s.Name, good)));
                return;
            }

            string order = string.Join(", ", (c.Time is null ? [] : new[] { N.Time }).Concat(c.Columns.Select(Q)).Append(N.File).Select(SqlDialect.Ascending));
            Add("clean_" + s.Name,
                $"SELECT {columns} FROM (\n  SELECT *, row_number() OVER (PARTITION BY {partitionSql} ORDER BY {order}) AS {L("rn")}\n" +
                $"  FROM {Q("typed_" + s.Name)} WHERE {GoodRow}\n) t WHERE {L("rn")} = 1");
        }

        private void RenderImpressions()
        {
            long end = plan.DayEndMicros + plan.LabelWithinMicros;

            // A view: the day's filter of the clean impressions, read by the labels, probes and samples.
            _statements.Add(new SqlStatement("imp", d.View("imp",
                $"SELECT *, {d.UniqueRowId(RowContent())} AS {N.RowId} FROM {Q("clean_" + plan.Samples.Name)}\n" +
                $"WHERE {N.Time} >= {Big(plan.DayStartMicros)} AND {N.Time} < {Big(end)}")));
        }

        // An impression's content (clause row-identity): its time, every column in the source's order, its file.
        private List<string> RowContent() =>
            [N.Time, .. plan.Samples.Config.Columns.Select(Q), N.File];

        /// <summary>The order of impressions by content (clause label-ties): time, then every column in the source's
        /// order, nulls first; what is equal in all of them is the same impression as far as any output can tell.</summary>
        private IEnumerable<string> ContentOrder(string alias, bool descending)
        {
            Func<string, string> direction = descending ? SqlDialect.Descending : SqlDialect.Ascending;
            return new[] { N.Time }.Concat(plan.Samples.Config.Columns.Select(Q)).Select(c => direction(alias + c));
        }

        // Label k's statement and its alias in the samples: `labels` / `l` for a job's one label (the names the rendered
        // scripts have always had), `labels_K` / `lK` for each of several.
        private string LabelsView(int k) => Job.Labels.Count == 1 ? "labels" : "labels_" + k.ToString(CultureInfo.InvariantCulture);

        private string LabelAlias(int k) => Job.Labels.Count == 1 ? "l" : "l" + k.ToString(CultureInfo.InvariantCulture);

        // Whether the sample is not labelled by label k's rule (issue 13: each label by its own rule, independently).
        private string Unlabelled(int k) => $"{LabelAlias(k)}.{N.LabelledImpression} IS NULL";

        private void RenderLabels(int k)
        {
            var label = Job.Labels[k];
            long within = JobPlan.ToMicros(label.Within);
            string on = string.Join(" AND ", label.Match.Select(m => $"i.{Q(m)} = c.{Q(m)}"));
            string partition = string.Join(", ", new[] { $"c.{N.File}", $"c.{N.Row}", $"c.{N.Time}" }.Concat(label.Match.Select(m => "c." + Q(m))));

            // clause several-labels: an event filter keeps the events whose column's text is one of the values (a null
            // never is); the rest of the rule is the single label's.
            string filter = string.Concat(label.Filter.Select(f =>
                $" AND CAST(c.{Q(f.Column)} AS {d.Text}) IN ({string.Join(", ", f.Values.Select(d.String))})"));

            // Each click goes to the latest impression at or before it (same match columns, at most `within` earlier):
            // one click labels at most one impression, and an impression with several clicks is labelled once.
            Add(LabelsView(k),
                $"SELECT DISTINCT {N.LabelledImpression} FROM (\n" +
                $"  SELECT i.{N.RowId} AS {N.LabelledImpression}, row_number() OVER (PARTITION BY {partition} ORDER BY {string.Join(", ", ContentOrder("i.", descending: true))}) AS {L("rn")}\n" +
                $"  FROM {Q("imp")} i JOIN {Q("clean_" + label.Events)} c ON {on}\n" +
                $"    AND c.{N.Time} >= i.{N.Time} AND c.{N.Time} <= i.{N.Time} + {Big(within)}\n" +
                $"  WHERE c.{N.Time} >= {Big(plan.DayStartMicros)} AND c.{N.Time} < {Big(plan.DayEndMicros + within)}{filter}\n" +
                $") t WHERE {L("rn")} = 1");
        }

        private void RenderHistory(int k, HistoryRule h)
        {
            long window = JobPlan.ToMicros(h.Window);
            var events = plan.Sources[h.Events];
            string join = "";
            string value;
            string eventsWindow = $"e.{N.Time} >= {Big(plan.DayStartMicros - window)} AND e.{N.Time} < {Big(plan.DayEndMicros)}";
            if (h.Value.Source == h.Events)
            {
                value = $"e.{Q(h.Value.Column)}";
            }
            else
            {
                join = HistoryTableJoin(k, h, eventsWindow);
                value = $"j.{Q(h.Value.Column)}";
            }

            value = HistoryValue(h, value);
            var (stepJoins, stepValues) = StepValues(k, h, eventsWindow);
            join += stepJoins;

            string n = k.ToString(CultureInfo.InvariantCulture);
            string user = Q(h.User);

            // Each event's rank among its user's events in the order (time ascending, value descending). A ranking
            // window (row_number) stays within DuckDB's memory limit however big a user's partition (measured: the
            // same peak for one user's 5M and 20M events).
            // Events of the same time and value are ranked by their step values too, so their companions' order is
            // decided by the data, never by the engine's scan.
            string stepOut = string.Concat(stepValues.Select((v, j) => v is null ? "" : ", " + StepValueColumn(j)));
            string stepOrder = string.Concat(stepValues.Select((v, j) => v is null ? "" : ", " + SqlDialect.Descending(StepValueColumn(j))));
            string stepIn = string.Concat(stepValues.Select((v, j) => v is null ? "" : $", {v} AS {StepValueColumn(j)}"));
            Add("hist_events_" + n,
                $"SELECT {L("u")}, {N.Time}, {L("v")}{stepOut}, row_number() OVER (PARTITION BY {L("u")} ORDER BY {SqlDialect.Ascending(N.Time)}, {SqlDialect.Descending(L("v"))}{stepOrder}) AS {L("r")} FROM (\n" +
                $"  SELECT e.{user} AS {L("u")}, e.{N.Time}, {value} AS {L("v")}{stepIn}\n" +
                $"  FROM {Q("clean_" + events.Name)} e{join}\n" +
                $"  WHERE {eventsWindow}{StateEventsUnion(h)}\n" +
                $") t WHERE {L("v")} IS NOT NULL");

            // A user's events cut by rank into blocks of `max_length` (block b: ranks b * max_length + 1 ..), each one
            // row with its events as a list: the events are stored once (not a list of the newest `max_length` per
            // event, `max_length` times the events), and a window partition is one block, never a user's whole event
            // list (whole lists, or lists per event over a user's partition, ran out of memory for very active users).
            string block = $"CAST(floor(({L("r")} - 1) / {h.MaxLength}) AS BIGINT)";
            // A companion's block list is made the same way, in the same rank order: a time_delta step lists the events' times.
            string stepBlocksOut = string.Concat(h.Steps.Select((_, j) => $", {d.ValuesByRank(StepBlockColumn(j))} AS {StepBlockColumn(j)}"));
            string stepBlocksIn = string.Concat(h.Steps.Select((st, j) =>
                $", {d.PartitionList(L("r"), st.TimeDelta ? N.Time : StepValueColumn(j), $"{L("u")}, {block}")} AS {StepBlockColumn(j)}"));
            Add("hist_blocks_" + n,
                $"SELECT {L("u")}, {L("b")}, {d.ValuesByRank(L("l"))} AS {L("l")}{stepBlocksOut} FROM (\n" +
                $"  SELECT {L("u")}, {block} AS {L("b")}, {L("r")}, {d.PartitionList(L("r"), L("v"), $"{L("u")}, {block}")} AS {L("l")}{stepBlocksIn}\n" +
                $"  FROM {Q("hist_events_" + n)}\n" +
                $") t WHERE ({L("r")} - 1) % {h.MaxLength} = 0");

            // For each impression, __n: the number of its user's events strictly before it, the rank of the newest
            // event it may see; and __n of the window's edge (the impression's time less the window): the events
            // before the edge are out of the window, so the ranks it may see are (max(__n - max_length, edge's __n), __n].
            RenderRankProbe("hist_probe_" + n, n, user, N.Time);
            RenderRankProbe("hist_edge_" + n, n, user, $"{N.Time} - {Big(window)}");
        }

        // For each impression, __n: the number of its user's events strictly before the point `point` (an expression of
        // the impression's time). In the union of events and points per user, ordered by time with points before events
        // of the same instant (a null rank first), a point's place less its place among its user's points (the same
        // order: time, then id) is the number of events before it; so same-instant clicks, the impression's own
        // included, are never history, and an event exactly at the window's edge is in the window. Two row_numbers
        // rather than a running count (a ROWS frame from the partition's start), which went over the memory limit for
        // one user's 5M events.
        private void RenderRankProbe(string name, string history, string user, string point)
        {
            Add(name,
                $"SELECT {N.RowId}, {L("u")}, {N.Time}, {L("q")} - row_number() OVER (PARTITION BY {L("u")} ORDER BY {SqlDialect.Ascending(N.Time)}, {SqlDialect.Ascending(N.RowId)}) AS {L("n")} FROM (\n" +
                $"  SELECT {L("u")}, {N.Time}, {N.RowId}, row_number() OVER (PARTITION BY {L("u")} ORDER BY {SqlDialect.Ascending(N.Time)}, {SqlDialect.Ascending(L("r"))}, {SqlDialect.Ascending(N.RowId)}) AS {L("q")}\n" +
                $"  FROM (\n" +
                $"    SELECT {L("u")}, {N.Time}, {L("r")}, CAST(NULL AS BIGINT) AS {N.RowId} FROM {Q("hist_events_" + history)}\n" +
                $"    UNION ALL\n" +
                $"    SELECT {user} AS {L("u")}, {point} AS {N.Time}, CAST(NULL AS BIGINT) AS {L("r")}, {N.RowId}\n" +
                $"    FROM (SELECT * FROM {Q("imp")} WHERE {N.Time} >= {Big(plan.DayStartMicros)} AND {N.Time} < {Big(plan.DayEndMicros)}) i\n" +
                $"  ) x\n" +
                $") y WHERE {N.RowId} IS NOT NULL");
        }

        // A history event's value: an event whose value does not convert (the scalar rules) is no event, as a null value
        // is; `missing` stands for a value absent from a keyed table.
        private string HistoryValue(HistoryRule h, string raw)
        {
            var kind = Columns.Features.First(c => c.Name == h.Feature).Kind;
            string value = ValueRules.Scalar(d, kind, raw);
            return h.Missing is null ? value : $"coalesce({value}, {ValueRules.Scalar(d, kind, d.String(h.Missing))})";
        }

        // The value expressions of history k's per-step companions (null for a time_delta step, whose blocks list the
        // events' times), and the joins of the keyed tables they read: on the events' key column, like the history's own
        // value; a step reading the history's own table reuses its join (alias j). Each value falls back to the step's
        // `missing` (by default the feature's padding), so no step is ever dropped and the lists stay aligned.
        private (string Joins, List<string?> Values) StepValues(int k, HistoryRule h, string eventsWindow)
        {
            var joins = new StringBuilder();
            var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
            if (h.Value.Source != h.Events)
            {
                aliases[h.Value.Source] = "j";
            }

            var values = new List<string?>();
            foreach (var st in h.Steps)
            {
                if (st.Value is not { } v)
                {
                    values.Add(null);
                    continue;
                }

                string raw;
                if (v.Source == h.Events)
                {
                    raw = $"e.{Q(v.Column)}";
                }
                else
                {
                    if (!aliases.TryGetValue(v.Source, out string? alias))
                    {
                        alias = "js" + aliases.Count.ToString(CultureInfo.InvariantCulture);
                        aliases[v.Source] = alias;
                        joins.Append(KeyedTableJoin(v.Source, alias, $"asof_hist_{k.ToString(CultureInfo.InvariantCulture)}_{alias}", h.Events, eventsWindow));
                    }

                    raw = $"{alias}.{Q(v.Column)}";
                }

                var kind = Columns.Features.First(c => c.Name == st.Feature).Kind;
                values.Add($"coalesce({ValueRules.Scalar(d, kind, raw)}, {ValueRules.Scalar(d, kind, d.String(st.Missing))})");
            }

            return (joins.ToString(), values);
        }

        // The impression's time less an event's (both epoch microseconds) in seconds: whole seconds (rounded down) for an
        // int64 step, fractional for a float one. Events are strictly before the impression, so it is positive.
        private static string TimeDeltaSeconds(string impression, string eventTime, FeatureDtype kind) =>
            kind == FeatureDtype.Int64
                ? $"CAST(floor(({impression} - {eventTime}) / 1000000.0) AS BIGINT)"
                : $"CAST(({impression} - {eventTime}) / 1000000.0 AS FLOAT)";

        private void RenderSamples()
        {
            var samples = plan.Samples;
            var from = new StringBuilder($"{Q("imp")} s");
            foreach (string t in SampleColumns.JoinedTables(Job))
            {
                from.Append(SampleTableJoin(t));
            }

            for (int k = 0; k < Job.Labels.Count; k++)
            {
                from.Append($"\n  LEFT JOIN {Q(LabelsView(k))} {LabelAlias(k)} ON s.{N.RowId} = {LabelAlias(k)}.{N.LabelledImpression}");
            }

            var select = new List<string>();
            foreach (var column in Columns.Features.Where(c => !IsHistory(c.Name)))
            {
                select.Add($"{FeatureExpression(column)} AS {Q(column.Name)}");
            }

            foreach (var flag in Columns.Invalid)
            {
                select.Add($"{InvalidExpression(Columns.Features.First(c => c.Name == flag.Feature))} AS {Q(flag.Name)}");
            }

            foreach (string k in samples.KeyColumns)
            {
                select.Add($"s.{Q(k)} AS {Q(N.Key(k))}");
            }

            foreach (string t in SampleColumns.JoinedTables(Job))
            {
                string key = Job.Sources[t].Key!;
                select.Add($"{Q("t_" + t)}.{Q(key)} IS NULL AS {Q(N.Missing(t))}");
            }

            select.Add($"s.{N.Time} AS {N.Time}");
            select.Add($"s.{N.RowId} AS {N.RowId}");
            select.Add($"{KeyText(Job.Output.ShardKey)} AS {N.ShardKey}");
            select.Add($"{KeyText(Job.Sampling.Key)} AS {N.SamplingKey}");

            string inner = $"SELECT {string.Join(",\n    ", select)}\n  FROM {from}\n  WHERE s.{N.Time} >= {Big(plan.DayStartMicros)} AND s.{N.Time} < {Big(plan.DayEndMicros)}";

            var sampling = Job.Sampling;
            string sep = d.Separator;
            string kept = "TRUE";
            if (sampling.NegativeRate < 1.0)
            {
                string positive = Job.LabelFeature is { } lf ? $"{Q(lf)} = 1 OR " : "";
                kept = $"({positive}{d.Hash60($"'neg' || {sep} || {d.String(sampling.Salt)} || {sep} || {N.SamplingKey}")} % {Big(ProjectHash.RateScale)} < {Big(ProjectHash.Threshold(sampling.NegativeRate))})";
            }

            string split = "'train'";
            if (sampling.TimeSplit is { } byTime)
            {
                // clause time-split: the samples at or after the cut (a local time of the run day, or the day's end less
                // eval_last), computed once here as an instant, so both engines compare microseconds only.
                long cut = byTime.CutMicros(plan.Date, Job.Zone, plan.DayEndMicros);
                split = $"CASE WHEN {N.Time} >= {Big(cut)} THEN '{SplitShardWriters.Eval}' ELSE '{SplitShardWriters.Train}' END";
            }
            else if (sampling.EvalFraction > 0.0)
            {
                split = $"CASE WHEN {d.Hash60($"'split' || {sep} || {d.String(sampling.Salt)} || {sep} || {N.SamplingKey}")} % {Big(ProjectHash.RateScale)} < {Big(ProjectHash.Threshold(sampling.EvalFraction))} THEN '{SplitShardWriters.Eval}' ELSE '{SplitShardWriters.Train}' END";
            }

            Add(Samples, $"SELECT *, {d.Hash60(N.ShardKey)} AS {N.Hash}, {kept} AS {N.Kept}, {split} AS {N.Split} FROM (\n  {inner}\n) t");
        }

        private string KeyText(IReadOnlyList<string> columns)
        {
            if (columns.Count == 0)
            {
                return "''";
            }

            return string.Join($" || {d.Separator} || ", columns.Select(c => $"coalesce(s.{Q(c)}, '')"));
        }

        private string FeatureExpression(FeatureColumn column)
        {
            int label = Job.Labels.ToList().FindIndex(l => l.Feature == column.Name);
            if (label >= 0)
            {
                return $"CAST(CASE WHEN {Unlabelled(label)} THEN 0 ELSE 1 END AS BIGINT)";
            }

            if (Job.Sampling.Weight == column.Name)
            {
                // clause sample-weight: a kept negative of the primary label stands for 1 / negative_rate negatives, a
                // positive (always kept) for itself; the float32 nearest to 1 / rate, as a literal cast on both engines.
                int primary = Job.Labels.ToList().FindIndex(l => l.Feature == Job.LabelFeature);
                return $"CASE WHEN {Unlabelled(primary)} THEN {Literal(1.0 / Job.Sampling.NegativeRate, FeatureDtype.Float)} ELSE {Literal(1.0, FeatureDtype.Float)} END";
            }

            var rule = Job.Columns.First(c => c.Feature == column.Name);
            string zone = Job.TimeZone;
            string type = d.Type(column.Kind, column.IsList);
            string expression = rule.Function switch
            {
                DerivedFunction.HourOfDay => d.TryCast(d.HourOfDay($"s.{N.Time}", zone), type),
                DerivedFunction.DayOfWeek => d.TryCast(d.DayOfWeek($"s.{N.Time}", zone), type),
                _ when rule.Ref.Source == Job.Samples && rule.Ref.Column == plan.Samples.Config.Time!.Column => d.TryCast($"s.{N.Time}", type),
                _ when column.IsList => ValueRules.List(d, column.Kind, ListElements(rule.Ref), L("e")),
                _ => ValueRules.Scalar(d, column.Kind, SourceValue(rule.Ref)),
            };
            if (column.Default is not null && !column.IsList)
            {
                expression = $"coalesce({expression}, {Literal(column.Default, column.Kind)})";
            }

            return expression;
        }

        // A feature's value in its source row: the samples' own column, or the joined table's.
        private string SourceValue(ColumnRef source) =>
            source.Source == Job.Samples ? $"s.{Q(source.Column)}" : $"{Q("t_" + source.Source)}.{Q(source.Column)}";

        // A list feature's elements as text: a CSV or JSON-lines field is a JSON array's text, a Parquet column a list.
        private string ListElements(ColumnRef source) =>
            ValueRules.ListElements(d, SourceValue(source), plan.Sources[source.Source].Config.Format != SourceFormat.Parquet, L("e"));

        // Whether a feature's source value is present but does not convert (only for Columns.Invalid's features).
        private string InvalidExpression(FeatureColumn column)
        {
            var source = Job.Columns.First(c => c.Feature == column.Name).Ref;
            string value = SourceValue(source);
            return column.IsList
                ? ValueRules.ListInvalid(d, column.Kind, value, ListElements(source), L("e"))
                : $"({value} IS NOT NULL AND {ValueRules.Scalar(d, column.Kind, value)} IS NULL)";
        }

        private string Literal(object value, FeatureDtype kind) => kind switch
        {
            FeatureDtype.Int64 => $"CAST({Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)} AS BIGINT)",
            FeatureDtype.Float => $"CAST({Convert.ToDouble(value, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture)} AS {d.Type(FeatureDtype.Float, false)})",
            _ => d.String(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
        };
    }
}
