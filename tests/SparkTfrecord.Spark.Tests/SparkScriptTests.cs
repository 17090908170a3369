using System.Text.Json;
using System.Text.RegularExpressions;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Engine.Spark;
using SparkTfrecord.Engine.Sql;

namespace SparkTfrecord.Spark.Tests;

/// <summary>
/// The rendered Spark SQL: golden files for every spec with a job section (conf/*.yaml and specs/every-rule.yaml),
/// every writer and connector, local and cluster paths; every statement parses with dt-sql-parser's Spark SQL grammar
/// and is safe for the spark-sql shell; the DuckDB and Spark renderings come from one plan.
/// Regenerate the golden files with <c>SPARKTF_UPDATE_GOLDEN=1 dotnet test tests/SparkTfrecord.Spark.Tests --filter SparkScriptTests</c>.
/// The grammar check needs node and npm: <see cref="SparkScriptGrammarTests"/>.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed partial class SparkScriptTests
{
    private static readonly DateOnly s_date = new(2024, 5, 1);
    private static readonly string s_golden = Processes.InRepo("tests", "SparkTfrecord.Spark.Tests", "golden");

    /// <summary>The variants: name, master, input, output, writer, connector.</summary>
    internal static readonly (string Name, string Master, string Input, string Output, SparkWriter Writer, SparkConnector Connector)[] s_variants =
    [
        ("linkedin-local", "local[*]", "/data/logs", "/data/out/dt={date}", SparkWriter.Connector, SparkConnector.LinkedIn),
        ("linkedin-yarn", "yarn", "hdfs:///logs/din", "hdfs:///data/samples/dt={date}", SparkWriter.Connector, SparkConnector.LinkedIn),
        ("tensorflow-yarn", "yarn", "hdfs:///logs/din", "hdfs:///data/samples/dt={date}", SparkWriter.Connector, SparkConnector.TensorFlow),
        ("native-local", "local[*]", "/data/logs", "/data/out/dt={date}", SparkWriter.Native, SparkConnector.LinkedIn),
        ("native-yarn", "yarn", "hdfs:///logs/din", "file:///mnt/nfs/out/dt={date}", SparkWriter.Native, SparkConnector.LinkedIn),
    ];

    /// <summary>Every spec with a job section: conf/*.yaml, and the test spec that uses every rule.</summary>
    public static IEnumerable<string> Specs()
    {
        foreach (string file in Directory.GetFiles(Processes.InRepo("conf"), "*.yaml").Order(StringComparer.Ordinal))
        {
            try
            {
                JobDefinition.Load(file);
            }
            catch (JobConfigException e) when (e.Message.Contains("no job: section", StringComparison.Ordinal))
            {
                continue;
            }

            yield return Path.GetRelativePath(Processes.RepoRoot, file);
        }

        yield return Path.Combine("tests", "SparkTfrecord.Spark.Tests", "specs", "every-rule.yaml");
    }

    public static IEnumerable<TestCaseData> Cases() =>
        Specs().SelectMany(spec => s_variants.Select(v => new TestCaseData(spec, v.Name).SetName($"Golden {Path.GetFileNameWithoutExtension(spec)} {v.Name}")));

    /// <summary>The golden state scripts (docs/state.md, "The Spark side"): din.yaml's day without a usable snapshot
    /// (full window) and with the day before's, on a local master with the native writer (as RealSparkTests runs it).</summary>
    internal static readonly (string Spec, string Variant, bool Usable)[] s_stateGoldens =
    [
        (Path.Combine("conf", "din.yaml"), "native-local", false),
        (Path.Combine("conf", "din.yaml"), "native-local", true),
    ];

    public static IEnumerable<TestCaseData> StateCases() =>
        s_stateGoldens.Select(g => new TestCaseData(g.Spec, g.Variant, g.Usable).SetName($"Golden {Path.GetFileNameWithoutExtension(g.Spec)} {g.Variant} {StateName(g.Usable)}"));

    internal static string StateName(bool usable) => usable ? "state-snapshot" : "state-full";

    internal static string Render(string spec, string variant) => Setup(spec, variant, state: false).Script().Text();

    /// <summary>The script of a day that keeps state, without or with the day before's snapshot, or null when the job
    /// keeps no state. The launcher keeps state only for a local input: a cluster variant reads <c>file:</c> input.</summary>
    internal static string? RenderState(string spec, string variant, bool usable)
    {
        var setup = Setup(spec, variant, state: true);
        return StateScripts.WithState(JobDefinition.Load(Processes.InRepo(spec)), setup, usable)?.Script(SparkWorkFolder.LaunchTarget(setup)).Text();
    }

    private static SparkSetup Setup(string spec, string variant, bool state)
    {
        var v = s_variants.Single(x => x.Name == variant);
        var definition = JobDefinition.Load(Processes.InRepo(spec));
        return SparkSetup.Create(definition, new SparkRunOptions
        {
            Date = s_date,
            Input = state && !v.Input.StartsWith('/') ? "file:///mnt/nfs/logs" : v.Input,
            Output = v.Output,
            Master = v.Master,
            DeployMode = v.Master == "yarn" ? SparkDeployMode.Cluster : SparkDeployMode.Client,
            Writer = v.Writer,
            Connector = v.Connector,
        }, resolveLocalInputs: false);
    }

    private static string GoldenFile(string spec, string variant) => Path.Combine(s_golden, $"{Path.GetFileNameWithoutExtension(spec)}.{variant}.sql");

    [TestCaseSource(nameof(StateCases))]
    public void The_rendered_state_script_equals_its_golden_file(string spec, string variant, bool usable)
    {
        string? rendered = RenderState(spec, variant, usable);
        Assert.That(rendered, Is.Not.Null, $"{spec} keeps state");
        Golden.Check(GoldenFile(spec, $"{variant}.{StateName(usable)}"), rendered!, $"the state rendering of {spec} ({variant}, {StateName(usable)})");
    }

    [TestCaseSource(nameof(Cases))]
    public void The_rendered_script_equals_its_golden_file(string spec, string variant)
    {
        string rendered = Render(spec, variant);
        string file = GoldenFile(spec, variant);
        Golden.Check(file, rendered, $"the rendering of {spec} ({variant})");
    }

    [Test]
    public void Every_golden_file_has_a_case_and_parses_too()
    {
        var expected = Specs().SelectMany(spec => s_variants.Select(v => Path.GetFileName(GoldenFile(spec, v.Name))))
            .Concat(s_stateGoldens.Select(g => Path.GetFileName(GoldenFile(g.Spec, $"{g.Variant}.{StateName(g.Usable)}")))).Order().ToList();
        var present = Directory.Exists(s_golden) ? Directory.GetFiles(s_golden, "*.sql").Select(Path.GetFileName).Order().ToList() : [];
        Assert.That(present, Is.EqualTo(expected), "stale or missing golden files: regenerate them (see the class summary)");
    }

    [TestCaseSource(nameof(Cases))]
    public void The_script_caches_the_samples_once_and_ends_with_the_report(string spec, string variant)
    {
        string text = Render(spec, variant);
        var statements = text.Split(";\n").Select(s => s.Trim()).Where(s => s.Length > 0).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(statements.Count(s => s == "CACHE TABLE `samples`"), Is.EqualTo(1));
            Assert.That(statements[^1], Does.StartWith("SELECT `sparktf_samples_written`, "));
            Assert.That(statements[^1], Does.Contain("FROM `sparktf_output`").And.Contain("FROM `samples`"));
            Assert.That(statements.Count(s => s == "CACHE TABLE `sparktf_output`"), Is.EqualTo(1));
            Assert.That(statements.FindIndex(s => s == "CACHE TABLE `samples`"), Is.LessThan(statements.FindIndex(s => s.StartsWith("INSERT", StringComparison.Ordinal) || s.StartsWith("CREATE TABLE", StringComparison.Ordinal))));
            Assert.That(text.Split('\n').Where(l => l.TrimStart().StartsWith("--", StringComparison.Ordinal)), Is.Empty);
            Assert.That(text, Does.EndWith(";\n"));
        });
    }

    [TestCaseSource(nameof(Cases))]
    public void The_bad_rows_check_comes_after_the_typed_views_and_before_any_work_or_write(string spec, string variant)
    {
        string text = Render(spec, variant);
        var statements = text.Split(";\n").Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
        int check = statements.FindIndex(s => s.StartsWith("SELECT assert_true(`sparktf_bad_rows_within_limit`", StringComparison.Ordinal));
        int counts = statements.FindIndex(s => s.StartsWith("SELECT `sparktf_rows_read`, `sparktf_rows_bad`, ", StringComparison.Ordinal));
        int lastTyped = statements.FindLastIndex(s => s.StartsWith("CREATE OR REPLACE TEMPORARY VIEW `typed_", StringComparison.Ordinal));
        int firstClean = statements.FindIndex(s => s.StartsWith("CREATE OR REPLACE TEMPORARY VIEW `clean_", StringComparison.Ordinal));
        int firstCache = statements.FindIndex(s => s == "CACHE TABLE `imp`");
        int firstWrite = statements.FindIndex(s => s.StartsWith("INSERT", StringComparison.Ordinal) || s.StartsWith("CREATE TABLE", StringComparison.Ordinal) || s.StartsWith("DROP TABLE", StringComparison.Ordinal));
        bool legacy = variant.StartsWith("tensorflow", StringComparison.Ordinal);

        Assert.Multiple(() =>
        {
            Assert.That(statements.Count(s => s.Contains("assert_true(", StringComparison.Ordinal)), Is.EqualTo(2), "the bad-rows check and the row-id check");
            int idCheck = statements.FindIndex(s => s.StartsWith("SELECT assert_true(`sparktf_row_ids_unique`", StringComparison.Ordinal));
            Assert.That(idCheck, Is.EqualTo(firstCache + 1), "the row ids are checked on the cached impressions, before any join uses them");
            Assert.That(new[] { lastTyped, counts, check, firstClean, firstCache, firstWrite }, Is.All.GreaterThanOrEqualTo(0));
            Assert.That(lastTyped, Is.LessThan(counts));
            Assert.That(counts, Is.LessThan(check), "the counts are printed before the check, for the launcher's message");
            Assert.That(check, Is.LessThan(firstClean));
            Assert.That(check, Is.LessThan(firstCache), "the check runs before the first cached (computed) view");
            Assert.That(check, Is.LessThan(firstWrite), "the check runs before the writer");
            Assert.That(statements[check - 1], Is.EqualTo("SELECT `sparktf_rows_read`, `sparktf_rows_bad`, " + string.Join(", ", Sources(spec).SelectMany(s => new[] { $"`read_{s}`", $"`quarantined_{s}`" })) + " FROM `sparktf_input_counts`"));
            Assert.That(statements.Count(s => s == "CACHE TABLE `sparktf_input_counts`"), Is.EqualTo(1));
            Assert.That(statements[^1], Does.EndWith(") a CROSS JOIN `sparktf_input_counts` i"), "the report reads the cached counts, not the input again");

            // assert_true(cond, message) is Spark 3.1+; Spark 2.4 to 3.1 get the one-argument form, which Spark 2.0+ has.
            Assert.That(statements[check], legacy
                ? Is.EqualTo("SELECT assert_true(`sparktf_bad_rows_within_limit`) AS `sparktf_bad_rows_check` FROM `sparktf_input_counts`")
                : Does.StartWith("SELECT assert_true(`sparktf_bad_rows_within_limit`, concat('sparktf: too many bad input rows: ', "));
            Assert.That(text, Does.Not.Contain("raise_error"), "raise_error is Spark 3.1+");
        });
    }

    private static IEnumerable<string> Sources(string spec) =>
        JobPlan.Create(JobDefinition.Load(Processes.InRepo(spec)), s_date, "/data/logs", resolveFiles: false).Sources.Keys;

    [TestCaseSource(nameof(Specs))]
    public void The_duckdb_and_spark_renderings_come_from_the_same_plan(string spec)
    {
        var definition = JobDefinition.Load(Processes.InRepo(spec));
        var plan = JobPlan.Create(definition, s_date, "/data/logs", resolveFiles: false);
        var duck = PlanRenderer.Render(plan, DuckDbDialect.Instance);
        var spark = PlanRenderer.Render(plan, SparkDialect.Modern);
        var legacy = PlanRenderer.Render(plan, SparkDialect.Legacy);
        var sparkStatements = spark.Statements.Where(s => !s.Name.StartsWith("read_", StringComparison.Ordinal)).ToList();

        // The same statements, in the same order; the Spark ones only add the views over the source files.
        Assert.That(sparkStatements.Select(s => s.Name), Is.EqualTo(duck.Statements.Select(s => s.Name)));
        Assert.That(legacy.Statements.Select(s => s.Name), Is.EqualTo(spark.Statements.Select(s => s.Name)));

        // The same rule parameters: every number of three digits or more (time bounds, windows, attribution window,
        // sampling thresholds and scale, overflow guards) in each statement, outside string literals.
        for (int i = 0; i < duck.Statements.Count; i++)
        {
            // Less the day (86400000000 us) by which DuckDB's reading of a repeated local time finds the earlier instant
            // (SqlDialect.EarlierOfRepeatedTime): Spark 3.x/4.x's to_utc_timestamp needs no correction.
            Assert.That(Numbers(sparkStatements[i].Sql), Is.EqualTo(Numbers(duck.Statements[i].Sql).Where(n => n != "86400000000")), $"statement {duck.Statements[i].Name}");
            Assert.That(FrameBounds(sparkStatements[i].Sql), Is.EqualTo(FrameBounds(duck.Statements[i].Sql)), $"statement {duck.Statements[i].Name}: window frames");
        }

        Assert.That(Numbers(spark.OutputQuery), Is.EqualTo(Numbers(duck.OutputQuery)), "output query");
        var all = string.Join("\n", duck.Statements.Select(s => s.Sql).Append(duck.OutputQuery));
        long window = plan.Job.Histories.Select(h => JobPlan.ToMicros(h.Window)).DefaultIfEmpty(0).First();
        foreach (long parameter in new[] { plan.DayStartMicros, plan.DayEndMicros, plan.DayEndMicros + plan.LabelWithinMicros, plan.LabelWithinMicros, window, plan.DayStartMicros - window })
        {
            if (parameter > 0)
            {
                Assert.That(Numbers(all), Does.Contain(parameter.ToString(System.Globalization.CultureInfo.InvariantCulture)), "a plan parameter is missing from the rendering");
            }
        }

        // The same output columns in spec order, each cast to the type of its feature's kind.
        var samplesDuck = duck.Statements.Single(s => s.Name == duck.SamplesTable).Sql;
        var samplesSpark = spark.Statements.Single(s => s.Name == spark.SamplesTable).Sql;
        foreach (var (r, d) in new[] { (duck, (SqlDialect)DuckDbDialect.Instance), (spark, SparkDialect.Modern) })
        {
            var positions = plan.Columns.Features.Select(c =>
            {
                string q = d.Identifier(c.Name);
                int plain = r.OutputQuery.IndexOf("s." + q + ",", StringComparison.Ordinal);
                return plain >= 0 ? plain : r.OutputQuery.IndexOf("AS " + q + ",", StringComparison.Ordinal);
            }).ToList();
            Assert.That(positions, Is.All.GreaterThan(0), $"{d.Name}: every feature is in the output query");
            Assert.That(positions, Is.Ordered, $"{d.Name}: the output query selects the features in spec order");
        }
        foreach (var column in plan.Columns.Features)
        {
            if (plan.Job.Histories.Any(h => h.Feature == column.Name))
            {
                // Histories are attached last, by the statement that joins every history's list to the kept samples:
                // a list of the feature's kind, an empty one when the sample sees no event.
                string WithHistories(RenderedJob r) => r.Statements.Single(s => s.Name == "samples_histories").Sql;
                Assert.That(WithHistories(duck), Does.Contain($"AS {DuckDbDialect.Instance.Type(column.Kind, column.IsList)})"), column.Name);
                Assert.That(WithHistories(spark), Does.Contain($"AS {SparkDialect.Modern.Type(column.Kind, column.IsList)})"), column.Name);
                continue;
            }

            Assert.That(FeatureExpression(samplesDuck, DuckDbDialect.Instance.Identifier(column.Name)), Does.Contain($"AS {DuckDbDialect.Instance.Type(column.Kind, column.IsList)})"), column.Name);
            Assert.That(FeatureExpression(samplesSpark, SparkDialect.Modern.Identifier(column.Name)), Does.Contain($"AS {SparkDialect.Modern.Type(column.Kind, column.IsList)})"), column.Name);
        }

        // The Spark writer writes exactly the features, in spec order, sorted as the embedded engine orders its output.
        var script = SparkScript.Render(plan, new SparkScriptOptions { Target = "/out" });
        string insert = script.Statements.First(s => s.StartsWith("INSERT OVERWRITE DIRECTORY", StringComparison.Ordinal));
        Assert.That(OutputColumns(insert[insert.IndexOf("SELECT", StringComparison.Ordinal)..], SparkDialect.Modern), Is.EqualTo(plan.Columns.Features.Select(c => c.Name)));
        string duckOrder = duck.OutputQuery[(duck.OutputQuery.LastIndexOf("ORDER BY ", StringComparison.Ordinal) + 9)..];
        Assert.That(duckOrder, Is.EqualTo(string.Join(", ", plan.Columns.Order.Select(c => "s." + (c.StartsWith("__key_", StringComparison.Ordinal) || !c.StartsWith("__", StringComparison.Ordinal) ? DuckDbDialect.Instance.Identifier(c) : c) + " ASC NULLS FIRST"))));
        Assert.That(insert, Does.Contain("SORT BY " + string.Join(", ", plan.Columns.Order.Select(c => SparkDialect.Modern.Identifier(c) + " ASC NULLS FIRST"))));
    }

    [Test]
    public void A_string_with_a_semicolon_a_quote_or_a_line_break_becomes_a_literal_the_shell_cannot_split()
    {
        Assert.Multiple(() =>
        {
            Assert.That(SparkDialect.Modern.String("a;b"), Is.EqualTo(@"'a\u003Bb'"));
            Assert.That(SparkDialect.Modern.String("it's \\ \n--x\t"), Is.EqualTo(@"'it\'s \\ \n--x\t'"));
            Assert.That(SparkDialect.Modern.String("未知\u001f"), Is.EqualTo(@"'\u672A\u77E5\u001F'"), "pure ASCII: non-ASCII as UTF-16 escapes (ascii-script)");
            Assert.That(() => SparkDialect.Modern.Identifier("a;b"), Throws.TypeOf<JobConfigException>());
        });
    }

    [Test]
    public void Several_paths_become_one_glob_over_their_common_folder_and_local_paths_become_file_uris()
    {
        var local = SparkDialect.Modern.WithLocalPaths(SparkLocalPaths.EveryAbsolutePath);
        Assert.Multiple(() =>
        {
            Assert.That(SparkDialect.Modern.PathPattern(["hdfs:///l/c/dt=2024-05-01", "hdfs:///l/c/dt=2024-05-02"]), Is.EqualTo("hdfs:///l/c/{dt=2024-05-01,dt=2024-05-02}"));
            Assert.That(local.PathPattern(["/l/c/dt=2024-05-01"]), Is.EqualTo("file:///l/c/dt=2024-05-01"));
            Assert.That(local.PathPattern(["/l/a/x", "/l/b/x"]), Is.EqualTo("file:///l/{a/x,b/x}"));
            Assert.That(SparkDialect.Modern.PathPattern(["/l/a"]), Is.EqualTo("/l/a"));
        });
    }

    [Test]
    public void Glob_characters_in_paths_are_escaped_so_spark_reads_the_path_literally()
    {
        // Hadoop's GlobPattern takes a backslash as making the next character literal, and GlobExpander splits {a,b}
        // at unescaped commas: a folder 'logs[1]' must not match 'logs1', nor a name with a comma split a list.
        var local = SparkDialect.Modern.WithLocalPaths(SparkLocalPaths.EveryAbsolutePath);
        Assert.Multiple(() =>
        {
            Assert.That(local.PathPattern(["/in/logs[1]/imp/dt=2024-05-01"]), Is.EqualTo(@"file:///in/logs\[1\]/imp/dt=2024-05-01"));
            Assert.That(local.PathPattern(["/in/a*b?/x", "/in/a*b?/y"]), Is.EqualTo(@"file:///in/a\*b\?/{x,y}"));
            Assert.That(SparkDialect.Modern.PathPattern(["/in/{a,b}/x", "/in/c\\d/x"]), Is.EqualTo(@"/in/{\{a\,b\}/x,c\\d/x}"));
            Assert.That(SparkDialect.Modern.PathPattern(["/in/plain"]), Is.EqualTo("/in/plain"));
        });
    }

    private static List<string> Numbers(string sql) =>
        BigNumber().Matches(StringLiteral().Replace(sql, "''")).Select(m => m.Value).Order(StringComparer.Ordinal).ToList();

    private static List<string> FrameBounds(string sql) => FrameBound().Matches(sql).Select(m => m.Value).ToList();

    private static List<string> OutputColumns(string query, SqlDialect d)
    {
        string list = query["SELECT ".Length..query.IndexOf(" FROM", StringComparison.Ordinal)];
        return list.Split(", ").Select(c => c.Trim()).Where(c => !c.StartsWith("__", StringComparison.Ordinal)).Select(c => c.Trim('"', '`')).ToList();
    }

    private static string FeatureExpression(string samplesSql, string quotedName)
    {
        string marker = $" AS {quotedName},";
        int end = samplesSql.IndexOf(marker, StringComparison.Ordinal);
        if (end < 0)
        {
            marker = $" AS {quotedName}\n";
            end = samplesSql.IndexOf(marker, StringComparison.Ordinal);
        }

        Assert.That(end, Is.GreaterThan(0), "no expression for " + quotedName);
        int start = samplesSql.LastIndexOf('\n', end) + 1;
        return samplesSql[start..end];
    }

    [GeneratedRegex(@"'(?:[^'\\]|\\.|'')*'")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"(?<![\w.])\d{3,}(?![\w.])")]
    private static partial Regex BigNumber();

    [GeneratedRegex(@"ROWS BETWEEN \w+ PRECEDING AND CURRENT ROW")]
    private static partial Regex FrameBound();
}

/// <summary>Installs dt-sql-parser in tests/sql-grammar with <c>npm ci</c> when it is missing (the npm registry is reachable here and in CI).</summary>
internal static class GrammarCheck
{
    private static readonly object s_lock = new();

    public static void InstallDtSqlParser()
    {
        lock (s_lock)
        {
            string folder = Processes.InRepo("tests", "sql-grammar");
            string installed = Path.Combine(folder, "node_modules", "dt-sql-parser", "package.json");
            if (File.Exists(installed) && JsonDocument.Parse(File.ReadAllText(installed)).RootElement.GetProperty("version").GetString() == "4.5.1")
            {
                return;
            }

            var result = Processes.Run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], folder, timeoutSeconds: 300);
            Assert.That(result.ExitCode, Is.Zero, "npm ci failed in tests/sql-grammar:\n" + result.Output);
        }
    }
}
