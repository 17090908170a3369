using System.Globalization;
using System.Text;
using SparkTfrecord.Engine.Output;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Engine.Sql;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Engine.Spark;

/// <summary>
/// Renders a job plan as a Spark SQL script: the session's settings, the plan's statements in the Spark dialect as
/// temporary views (the impressions and the samples cached, so each is computed once), the bad-rows check right after
/// the typed views (the input counts, cached and printed, then an <c>assert_true</c> that stops the script when more
/// than the job's <c>max_bad_fraction</c> of the rows read are bad, before anything is computed or written), the
/// writer's statements, the bad rows written to <c>_quarantine/</c> below the target (JSON lines, see
/// <see cref="QuarantineFiles"/>), and a last query whose one row reports how many samples were written (column
/// <c>sparktf_samples_written</c>, which the PySpark runner reports) with the other counts of the summary, the input
/// counts included. Safe for the spark-sql shell: no <c>;</c> inside a literal, identifier or comment, and no line
/// starting with <c>--</c>.
/// </summary>
internal static class SparkScript
{
    /// <summary>The report row's first column, read by the launcher and by submit/spark_sql_runner.py.</summary>
    public const string ReportColumnName = "sparktf_samples_written";

    /// <summary>The cached view of the samples to write (<see cref="SampleColumns.Sortable"/>: features, hash, split, order columns).</summary>
    public const string OutputView = "sparktf_output";

    /// <summary>The cached one-row view of the input counts: rows read and bad per source and in all, and whether the bad
    /// fraction is within the limit (<see cref="WithinLimitColumn"/>).</summary>
    public const string InputCountsView = "sparktf_input_counts";

    /// <summary>The input counts view's boolean column that the bad-rows check asserts; on Spark 2.4 to 3.1 (where
    /// <c>assert_true</c> takes no message) Spark's error names it: <c>'sparktf_bad_rows_within_limit#N' is not true!</c>.</summary>
    public const string WithinLimitColumn = "sparktf_bad_rows_within_limit";

    /// <summary>The input counts row's first column (all rows read), by which its header line is found.</summary>
    public const string RowsReadColumn = "sparktf_rows_read";

    private const string RowsBadColumn = "sparktf_rows_bad";

    /// <summary>The start of the bad-rows check's error message on Spark 3.2 and later.</summary>
    public const string TooManyBadRows = "sparktf: too many bad input rows";

    /// <summary>Renders the script.</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="options">Writer and target.</param>
    /// <returns>The script.</returns>
    public static SparkScriptText Render(JobPlan plan, SparkScriptOptions options)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        bool legacy = options.Legacy || (options.Writer == SparkWriter.Connector && options.Connector == SparkConnector.TensorFlow);
        var d = (legacy ? SparkDialect.Legacy : SparkDialect.Modern).WithLocalPaths(options.LocalPaths);
        var rendered = PlanRenderer.Render(plan, d);

        var statements = new List<string>(SparkDialect.SessionSettings);
        int lastTyped = rendered.Statements.ToList().FindLastIndex(s => s.Name.StartsWith("typed_", StringComparison.Ordinal));
        var inputCounts = InputCounts(plan, d);
        for (int i = 0; i < rendered.Statements.Count; i++)
        {
            var s = rendered.Statements[i];
            statements.Add(s.Sql);
            if (i == lastTyped)
            {
                // Bad rows are counted and checked as soon as the typed views exist: a run over the limit stops before
                // anything is computed or written.
                statements.AddRange(BadRowsCheck(plan, d, inputCounts, plan.Job.MaxBadFraction, legacy));
                statements.AddRange(SparkStateScript.PartitionChecks(plan, d, legacy));
            }

            // The impressions carry a per-run row id that later views join on: cached, it is computed once. The samples
            // are cached once and read by the writer and by the report.
            if (s.Name == "imp" || s.Name == rendered.SamplesTable)
            {
                statements.Add($"CACHE TABLE {d.Identifier(s.Name)}");
            }

            if (s.Name == "imp")
            {
                statements.Add(RowIdCheck(plan, d, legacy));
            }
        }

        // The samples to write, with their histories (the plan attaches them last) and the order columns: computed
        // once, cached, then read by the writer and by the report.
        statements.Add($"CREATE OR REPLACE TEMPORARY VIEW {d.Identifier(OutputView)} AS\n{rendered.SortableOutputQuery}");
        statements.Add($"CACHE TABLE {d.Identifier(OutputView)}");
        string target = d.Uri(options.Target);
        statements.AddRange(Writer(plan, d, options, target, OutputView));
        statements.AddRange(rendered.QuarantineStatements.Select(q => q.Sql));
        statements.Add(QuarantineWrite(plan, d, target, rendered.QuarantineQuery));
        // The next state snapshot, after the samples (docs/state.md), and its per-partition counts in the report row.
        IReadOnlyList<CountColumn> stateCounts = [];
        string stateRelation = "";
        if (plan.State is not null && options.StateTarget is { } stateTarget)
        {
            statements.AddRange(SparkStateScript.Writes(plan, d, stateTarget));
            stateCounts = SparkStateScript.Counts(plan, d, out stateRelation);
        }

        var report = Report(plan, d, out string reportSql, rendered.SamplesTable, stateCounts, stateRelation);
        statements.Add(reportSql);

        string writer = options.Writer == SparkWriter.Native
            ? "native (Parquet for sparktf encode)"
            : $"connector ({(options.Connector == SparkConnector.LinkedIn ? "linkedin spark-tfrecord" : "tensorflow spark-tensorflow-connector")})";
        string header = $"sparktf: {Path.GetFileName(plan.Definition.File)}, date {PathTemplate.Format(plan.Date)}, writer {writer}, " +
                        $"Spark {(legacy ? "2.4 to 3.1" : "3.2 to 4.x, ANSI on or off")}";
        header = header.Replace(";", ",", StringComparison.Ordinal).Replace("*/", "* /", StringComparison.Ordinal);

        // The script is pure ASCII (ascii-script): a non-ASCII character of the spec's file name is shown as '?'.
        header = new string(header.Select(c => c > '~' || char.IsControl(c) ? '?' : c).ToArray());
        foreach (string s in statements)
        {
            CheckShellSafe(s);
        }

        return new SparkScriptText(statements, report, d, header) { InputCounts = inputCounts };
    }

    private static IEnumerable<string> Writer(JobPlan plan, SparkDialect d, SparkScriptOptions options, string target, string view)
    {
        string features = string.Join(", ", plan.Columns.Features.Select(c => d.Identifier(c.Name)));
        string from = d.Identifier(view);
        if (options.Writer == SparkWriter.Native)
        {
            string columns = string.Join(", ", plan.Columns.Sortable.Select(d.Identifier));
            yield return $"INSERT OVERWRITE DIRECTORY {d.String(target)}\nUSING parquet\nSELECT {columns}\nFROM {from}";
            yield break;
        }

        var output = plan.Job.Output;
        string shards = output.Shards.ToString(CultureInfo.InvariantCulture);
        string order = string.Join(", ", plan.Columns.Order.Select(c => SqlDialect.Ascending(d.Identifier(c))));
        bool split = plan.Job.Sampling.HasEval;
        var parts = split ? new[] { ("train", "/train"), ("eval", "/eval") } : [("", "")];
        foreach (var (name, suffix) in parts)
        {
            string where = split ? $" WHERE {plan.Names.Split} = {d.String(name)}" : "";

            // N files, each record's file decided by Spark's hash of the project hash (balanced and deterministic),
            // and records within a file in the native writer's order.
            string query =
                $"SELECT {features} FROM (\n" +
                $"  SELECT /*+ REPARTITION({shards}, {plan.Names.Hash}) */ * FROM {from}{where}\n" +
                $"  SORT BY {order}\n" +
                $") o";
            string path = target.TrimEnd('/') + suffix;
            if (options.Connector == SparkConnector.LinkedIn)
            {
                var opts = new List<(string, string)> { ("recordType", "Example") };
                if (Codec(output.Compression) is { } codec)
                {
                    opts.Add(("codec", codec));
                }

                yield return $"INSERT OVERWRITE DIRECTORY {d.String(path)}\nUSING tfrecord\nOPTIONS ({d.OptionList(opts)})\n{query}";
            }
            else
            {
                // TensorFlow's connector is not a FileFormat: a table over an empty folder, dropped before and after (an
                // external table: dropping it leaves the files).
                string table = d.Identifier(TableName(plan, name));
                var opts = new List<(string, string)> { ("path", path), ("recordType", "Example") };
                if (Codec(output.Compression) is { } codec)
                {
                    opts.Add(("codec", codec));
                }

                yield return $"DROP TABLE IF EXISTS {table}";
                yield return $"CREATE TABLE {table}\nUSING tfrecords\nOPTIONS ({d.OptionList(opts)})\nAS {query}";
                yield return $"DROP TABLE IF EXISTS {table}";
            }
        }
    }

    /// <summary>The folder below the target where the script writes the bad rows.</summary>
    /// <param name="target">The target (as the script spells it, or a local path).</param>
    /// <returns>The folder.</returns>
    public static string QuarantineTarget(string target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.TrimEnd('/') + "/" + QuarantineFiles.Folder;
    }

    // The bad rows, written after the samples: writing the target with INSERT OVERWRITE DIRECTORY replaces the folder
    // and everything in it (InsertIntoDataSourceDirCommand.run: SaveMode.Overwrite; InsertIntoHadoopFsRelationCommand
    // deletes the output path first), so the samples' write would remove a quarantine written before it, while this
    // write replaces only its own folder. JSON lines with the fields of QuarantineFiles: JsonFileFormat names its files
    // part-NNNNN-<uuid>-c000.json (prepareWrite: ".json" + the codec's extension); 'compression' 'none' keeps them plain
    // whatever the cluster's Hadoop output compression says (JSONOptions.compressionCodec, CompressionCodecs.
    // setCodecConfiguration); 'ignoreNullFields' 'false' writes a null row number as null instead of leaving it out
    // (JSONOptions.ignoreNullFields, default spark.sql.jsonGenerator.ignoreNullFields = true; Spark 2.4 ignores the option
    // and leaves nulls out). Ordered as the embedded engine's quarantine, so the files are the same from run to run.
    private static string QuarantineWrite(JobPlan plan, SparkDialect d, string target, string quarantineQuery)
    {
        var n = plan.Names;
        var fields = new List<(string Column, string Field)>
        {
            (n.Source, QuarantineFiles.SourceField),
            (n.File, QuarantineFiles.FileField),
            (n.Row, QuarantineFiles.RowField),
            (n.Reason, QuarantineFiles.ReasonField),
            (n.Raw, QuarantineFiles.RawField),
        };
        string select = string.Join(", ", fields.Select(f => $"bad.{f.Column} AS {d.Identifier(f.Field)}"));
        return $"INSERT OVERWRITE DIRECTORY {d.String(QuarantineTarget(target))}\nUSING json\n" +
               $"OPTIONS ({d.OptionList([("compression", "none"), ("ignoreNullFields", "false")])})\n" +
               $"SELECT {select} FROM (\n{quarantineQuery}\n) bad";
    }

    /// <summary>The Hadoop codec class of a compression, or null for none.</summary>
    /// <param name="compression">The compression.</param>
    /// <returns>The class name.</returns>
    public static string? Codec(TfRecordCompression compression) => compression switch
    {
        TfRecordCompression.Gzip => "org.apache.hadoop.io.compress.GzipCodec",
        TfRecordCompression.Zlib => "org.apache.hadoop.io.compress.DefaultCodec",
        _ => null,
    };

    private static string TableName(JobPlan plan, string part)
    {
        var sb = new StringBuilder("sparktf_out_");
        foreach (char c in Path.GetFileNameWithoutExtension(plan.Definition.File).ToLowerInvariant())
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }

        sb.Append('_').Append(plan.Date.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
        if (part.Length > 0)
        {
            sb.Append('_').Append(part);
        }

        return sb.ToString();
    }

    // The number of rows for which the condition holds (0 for none), as a BIGINT.
    private static string Count(string condition) => $"CAST(coalesce(sum(CASE WHEN {condition} THEN 1 ELSE 0 END), 0) AS BIGINT)";

    // One row: what the output view holds (written, positives, eval, history lengths) beside what only the samples
    // know (all samples before down-sampling, missing profiles); both are cached, so this reads no input again.
    // The state's per-partition counts (SparkStateScript.Counts), when the script writes a snapshot, come last.
    private static List<CountColumn> Report(JobPlan plan, SparkDialect d, out string sql, string samples, IReadOnlyList<CountColumn> state, string stateRelation)
    {
        var job = plan.Job;
        var names = plan.Names;
        var output = new List<CountColumn>
        {
            new(RunCounts.Written, ReportColumnName, "CAST(count(*) AS BIGINT)"),
            RunCounts.Column(RunCounts.Positives, null, job.LabelFeature is { } lf ? Count($"{d.Identifier(lf)} = 1") : "CAST(0 AS BIGINT)"),
            RunCounts.Column(RunCounts.Eval, null, Count($"{names.Split} = 'eval'")),
        };

        // Issue 13: each label's positives when there are several (the embedded engine's positives.LABEL).
        if (job.Labels.Count > 1)
        {
            output.AddRange(job.Labels.Select(l => RunCounts.Column(RunCounts.PositivesKind, l.Feature, Count($"{d.Identifier(l.Feature)} = 1"))));
        }

        foreach (var h in job.Histories)
        {
            string len = d.ListLength(d.Identifier(h.Feature));
            output.Add(RunCounts.Column(RunCounts.HistoryMin, h.Feature, $"CAST(coalesce(min({len}), 0) AS BIGINT)"));
            output.Add(RunCounts.Column(RunCounts.HistorySum, h.Feature, $"CAST(coalesce(sum({len}), 0) AS BIGINT)"));
            output.Add(RunCounts.Column(RunCounts.HistoryMax, h.Feature, $"CAST(coalesce(max({len}), 0) AS BIGINT)"));
        }

        var all = new List<CountColumn> { RunCounts.Column(RunCounts.Samples, null, "CAST(count(*) AS BIGINT)") };
        foreach (var m in plan.Columns.Missing)
        {
            all.Add(RunCounts.Column(RunCounts.MissingKind, m.Table, Count($"{names.Kept} AND {d.Identifier(m.Name)}")));
        }

        // Written samples whose feature value did not convert (values clauses): the embedded engine's invalid.FEATURE.
        foreach (var f in plan.Columns.Invalid)
        {
            all.Add(RunCounts.Column(RunCounts.InvalidKind, f.Feature, Count($"{names.Kept} AND {d.Identifier(f.Name)}")));
        }

        string Select(IEnumerable<CountColumn> columns) => string.Join(",\n    ", columns.Select(r => $"{r.Sql} AS {d.Identifier(r.Column)}"));
        // The input counts (rows read and bad per source), from the cached view the bad-rows check made.
        var report = output.Concat(all).Concat(SourceCounts(plan, d)).ToList();

        // checks.max_outside_day_fraction needs the samples source's rows outside the date and its duplicates (the
        // embedded engine's outside_day and duplicates.SOURCE): one more pass over its de-duplicated rows, so only
        // a job that sets the limit pays for it.
        var outside = new List<CountColumn>();
        string outsideJoin = "";
        if (job.Checks?.MaxOutsideDayFraction is not null)
        {
            string read = d.Identifier(RunCounts.ColumnName(RunCounts.ReadKind, job.Samples));
            string bad = d.Identifier(RunCounts.ColumnName(RunCounts.QuarantinedKind, job.Samples));
            string outsideRows = names.Local("outside");
            string cleanRows = names.Local("clean");
            outside.Add(RunCounts.Column(RunCounts.OutsideDay, null, $"c.{outsideRows}"));
            outside.Add(RunCounts.Column(RunCounts.DuplicatesKind, job.Samples, $"i.{read} - i.{bad} - c.{cleanRows}"));
            outsideJoin = $" CROSS JOIN (\n  SELECT {Count($"{names.Time} < {d.BigInt(plan.DayStartMicros)} OR {names.Time} >= {d.BigInt(plan.DayEndMicros)}")} AS {outsideRows}, CAST(count(*) AS BIGINT) AS {cleanRows}\n" +
                          $"  FROM {d.Identifier("clean_" + job.Samples)}\n) c";
        }

        if (state.Count > 0)
        {
            outsideJoin += " CROSS JOIN " + stateRelation;
        }

        sql = $"SELECT {string.Join(", ", report.Select(r => d.Identifier(r.Column)).Concat(outside.Select(r => $"{r.Sql} AS {d.Identifier(r.Column)}")).Concat(state.Select(c => d.Identifier(c.Column))))} FROM (\n" +
              $"  SELECT {Select(output)}\n  FROM {d.Identifier(OutputView)}\n" +
              $") o CROSS JOIN (\n" +
              $"  SELECT {Select(all)}\n  FROM {d.Identifier(samples)}\n" +
              $") a CROSS JOIN {d.Identifier(InputCountsView)} i{outsideJoin}";
        return [.. report, .. outside, .. state];
    }

    // The input counts row's columns: all rows read and bad, then per source.
    private static List<CountColumn> InputCounts(JobPlan plan, SparkDialect d)
    {
        var perSource = SourceCounts(plan, d).ToList();
        string Sum(string prefix) => string.Join(" + ", perSource.Where(c => c.Count.StartsWith(prefix, StringComparison.Ordinal)).Select(c => d.Identifier(c.Column)));
        return
        [
            new("rows_read", RowsReadColumn, Sum(RunCounts.ReadPrefix)),
            new("rows_bad", RowsBadColumn, Sum(RunCounts.QuarantinedPrefix)),
            .. perSource,
        ];
    }

    // Rows read and bad per source, columns of the input counts view (the count names the embedded engine's stats use);
    // each column's SQL is the view's column of the same name.
    private static IEnumerable<CountColumn> SourceCounts(JobPlan plan, SparkDialect d) =>
        plan.Sources.Keys.SelectMany(s => new[]
        {
            RunCounts.Column(RunCounts.ReadKind, s, d.Identifier(RunCounts.ColumnName(RunCounts.ReadKind, s))),
            RunCounts.Column(RunCounts.QuarantinedKind, s, d.Identifier(RunCounts.ColumnName(RunCounts.QuarantinedKind, s))),
        });

    // The bad-rows check: the input counts, one scan of each typed view, cached (the report reads them again) and printed
    // (so the launcher can say what was found when the check fails), then the assertion. The rule is the embedded
    // engine's: the job fails when rows were read and bad / read > max_bad_fraction. assert_true(cond) exists on every
    // Spark the script supports (2.0 and later), its message argument only from 3.1, so the Spark 2.4 to 3.1 spelling
    // asserts the column alone and Spark's error names it.
    private static IEnumerable<string> BadRowsCheck(JobPlan plan, SparkDialect d, IReadOnlyList<CountColumn> counts, double maxBad, bool legacy)
    {
        var names = plan.Names;
        var perSource = plan.Sources.Keys.Select((s, i) =>
            $"  SELECT {Count($"NOT {names.Skip}")} AS {d.Identifier(RunCounts.ColumnName(RunCounts.ReadKind, s))}, {Count($"{names.Reason} IS NOT NULL")} AS {d.Identifier(RunCounts.ColumnName(RunCounts.QuarantinedKind, s))}\n" +
            $"  FROM {d.Identifier("typed_" + s)}\n) s{i.ToString(CultureInfo.InvariantCulture)}");
        string read = d.Identifier(RowsReadColumn);
        string bad = d.Identifier(RowsBadColumn);
        string limit = maxBad.ToString("R", CultureInfo.InvariantCulture);
        string view = d.Identifier(InputCountsView);
        yield return
            $"CREATE OR REPLACE TEMPORARY VIEW {view} AS\n" +
            $"SELECT *, CASE WHEN {read} = 0 THEN TRUE ELSE CAST({bad} AS DOUBLE) / CAST({read} AS DOUBLE) <= CAST({limit} AS DOUBLE) END AS {d.Identifier(WithinLimitColumn)} FROM (\n" +
            $"SELECT {string.Join(", ", counts.Select(c => $"{c.Sql} AS {d.Identifier(c.Column)}"))} FROM (\n" +
            string.Join(" CROSS JOIN (\n", perSource) + "\n) c";
        yield return $"CACHE TABLE {view}";
        yield return $"SELECT {string.Join(", ", counts.Select(c => d.Identifier(c.Column)))} FROM {view}";
        if (legacy)
        {
            yield return $"SELECT assert_true({d.Identifier(WithinLimitColumn)}) AS {d.Identifier("sparktf_bad_rows_check")} FROM {view}";
            yield break;
        }

        var parts = new List<string> { d.String(TooManyBadRows + ": "), $"CAST({bad} AS STRING)", d.String(" of "), $"CAST({read} AS STRING)", d.String(" rows read are bad (") };
        int n = 0;
        foreach (string s in plan.Sources.Keys)
        {
            parts.Add(d.String((n++ > 0 ? ", " : "") + s + " "));
            parts.Add($"CAST({d.Identifier(RunCounts.ColumnName(RunCounts.QuarantinedKind, s))} AS STRING)");
            parts.Add(d.String(" of "));
            parts.Add($"CAST({d.Identifier(RunCounts.ColumnName(RunCounts.ReadKind, s))} AS STRING)");
        }

        parts.Add(d.String($"), above the limit of {limit} (quarantine.max_bad_fraction or --max-bad-fraction). Nothing was written. " +
                           "Fix the bad input rows (null keys, unparsable times, malformed lines), or raise --max-bad-fraction if they may be dropped."));
        yield return $"SELECT assert_true({d.Identifier(WithinLimitColumn)}, concat({string.Join(", ", parts)})) AS {d.Identifier("sparktf_bad_rows_check")} FROM {view}";
    }

    // ---- Order, identity and times (issue 11, helper "order"). ----

    /// <summary>The start of the row-id check's error message on Spark 3.1 and later.</summary>
    public const string DuplicateRowIds = "sparktf: two impressions share a row id";

    /// <summary>The row-id check's column; on Spark 2.4 to 3.1 Spark's error names it.</summary>
    public const string RowIdsUniqueColumn = "sparktf_row_ids_unique";

    // The row-id check (clause row-identity): the impressions' ids are hashes of their content (SparkDialect.UniqueRowId),
    // which the label and history joins rely on being unique; two equal ids (a 64-bit collision) would silently join
    // the wrong rows, so the script stops instead, before anything is written. Reads the cached impressions once.
    private static string RowIdCheck(JobPlan plan, SparkDialect d, bool legacy)
    {
        string id = plan.Names.RowId;
        string unique = d.Identifier(RowIdsUniqueColumn);
        string shared = d.Identifier(plan.Names.Local("shared"));
        string check = d.Identifier("sparktf_row_id_check");
        string counts = $"(SELECT count(*) = count(DISTINCT {id}) AS {unique}, count(*) - count(DISTINCT {id}) AS {shared} FROM {d.Identifier("imp")}) c";
        if (legacy)
        {
            return $"SELECT assert_true({unique}) AS {check} FROM {counts}";
        }

        string message = $"concat({d.String(DuplicateRowIds + ": ")}, CAST({shared} AS STRING), " +
                         $"{d.String(" more impressions than distinct ids (a 64-bit hash collision). Nothing was written. Rerun the day, and report it if it happens again.")})";
        return $"SELECT assert_true({unique}, {message}) AS {check} FROM {counts}";
    }

    // ---- End of the order, identity and times members. ----

    // What the spark-sql shell mishandles in -f files; the dialect's literals never produce it, so this guards against
    // a future change.
    private static void CheckShellSafe(string statement)
    {
        foreach (string line in statement.Split('\n'))
        {
            if (line.TrimStart().StartsWith("--", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("a rendered Spark statement has a line starting with '--': " + line);
            }
        }

        if (statement.Contains(';', StringComparison.Ordinal))
        {
            throw new InvalidOperationException("a rendered Spark statement contains ';', which the spark-sql shell splits on: " + statement);
        }
    }
}
