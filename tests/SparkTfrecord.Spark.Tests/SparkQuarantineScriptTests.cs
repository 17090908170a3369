using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Output;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Engine.Spark;
using SparkTfrecord.Engine.Sql;

namespace SparkTfrecord.Spark.Tests;

/// <summary>
/// The bad rows on Spark, without Spark: the script writes them with Spark's JSON writer below its target after the
/// samples (an INSERT OVERWRITE DIRECTORY of the target replaces everything below it, Spark's
/// InsertIntoDataSourceDirCommand with SaveMode.Overwrite), each typed view keeps the raw row, and the launcher's step
/// that turns Spark's part files into a local output's <c>_quarantine/rows.jsonl</c>.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class SparkQuarantineScriptTests
{
    private static readonly string s_din = Path.Combine("conf", "din.yaml");

    // Where each variant of SparkScriptTests writes its samples (the output, or the native writer's Parquet folder
    // beside it), as the script spells it: a path on this machine (any with a local master, the native writer's folder
    // beside a file: output with a cluster master) as a file:// URI, a cluster's path as given.
    private static readonly Dictionary<string, string> s_targets = new()
    {
        ["linkedin-local"] = "file:///data/out/dt=2024-05-01",
        ["linkedin-yarn"] = "hdfs:///data/samples/dt=2024-05-01",
        ["tensorflow-yarn"] = "hdfs:///data/samples/dt=2024-05-01",
        ["native-local"] = "file:///data/out/.dt=2024-05-01.spark-parquet",
        ["native-yarn"] = "file:///mnt/nfs/out/.dt=2024-05-01.spark-parquet",
    };

    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder("sparktf-quarantine-");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    public static IEnumerable<TestCaseData> Variants() =>
        SparkScriptTests.Specs().SelectMany(spec => SparkScriptTests.s_variants.Select(v =>
            new TestCaseData(spec, v.Name).SetName($"Quarantine write {Path.GetFileNameWithoutExtension(spec)} {v.Name}")));

    [TestCaseSource(nameof(Variants))]
    public void The_bad_rows_are_written_as_json_lines_below_the_target_after_every_samples_write_and_before_the_report(string spec, string variant)
    {
        var statements = Statements(spec, variant);
        string quarantine = $"INSERT OVERWRITE DIRECTORY '{s_targets[variant]}/_quarantine'\nUSING json\n";
        int at = statements.FindIndex(s => s.StartsWith(quarantine, StringComparison.Ordinal));
        var samplesWrites = statements.Select((s, i) => (s, i))
            .Where(x => x.i != at && (x.s.StartsWith("INSERT OVERWRITE DIRECTORY", StringComparison.Ordinal) || x.s.Contains("USING tfrecords", StringComparison.Ordinal)))
            .Select(x => x.i).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(at, Is.GreaterThan(0), "one statement writes <target>/_quarantine with the JSON writer");
            Assert.That(statements.Count(s => s.Contains("/_quarantine'", StringComparison.Ordinal)), Is.EqualTo(1));
            Assert.That(samplesWrites, Is.Not.Empty);
            Assert.That(samplesWrites, Has.All.LessThan(at), "the samples' overwrite of the target would remove a quarantine written before it");
            Assert.That(statements[at + 1], Does.StartWith($"SELECT `{SparkScript.ReportColumnName}`"), "the report row stays the last statement");
            Assert.That(statements[at], Does.Contain("OPTIONS ('compression' 'none', 'ignoreNullFields' 'false')"),
                "plain files whatever the cluster's output compression, and a null row written as null");
            Assert.That(statements[at], Does.Contain("AS `source`, ").And.Contain("AS `file`, ").And.Contain("AS `row`, ").And.Contain("AS `reason`, ").And.Contain("AS `raw` FROM ("));
        });
    }

    [Test]
    public void Every_typed_view_on_spark_keeps_the_raw_row_as_json_of_the_columns_read_and_the_embedded_engine_keeps_line_numbers_instead()
    {
        var statements = Statements(s_din, "linkedin-local");
        string typedImpressions = statements.Single(s => s.StartsWith("CREATE OR REPLACE TEMPORARY VIEW `typed_impressions`", StringComparison.Ordinal));
        string typedItems = statements.Single(s => s.StartsWith("CREATE OR REPLACE TEMPORARY VIEW `typed_items`", StringComparison.Ordinal));
        string duckDb = PlanRenderer.DuckDbScript(JobDefinition.Load(Processes.InRepo(s_din)), new DateOnly(2024, 5, 1), null);

        Assert.Multiple(() =>
        {
            // conf/din.yaml: impressions read request_id, item_id, user_id, device and the time column ts; items item_id
            // and its version time updated_at (as_of).
            Assert.That(typedImpressions, Does.Contain(
                "coalesce(r.__raw, to_json(named_struct('request_id', r.`request_id`, 'item_id', r.`item_id`, 'user_id', r.`user_id`, 'device', r.`device`, 'ts', r.`ts`), map('ignoreNullFields', 'false'))) AS __raw"));
            Assert.That(typedItems, Does.Contain("coalesce(r.__raw, to_json(named_struct('item_id', r.`item_id`, 'updated_at', r.`updated_at`), map('ignoreNullFields', 'false'))) AS __raw"));
            Assert.That(duckDb, Does.Not.Contain("to_json"), "the embedded engine reports line numbers and keeps no row as JSON");
        });
    }

    [Test]
    public void The_embedded_engines_quarantine_query_keeps_its_four_columns_and_sparks_adds_the_raw_row()
    {
        var definition = JobDefinition.Load(Processes.InRepo(s_din));
        var plan = JobPlan.Create(definition, new DateOnly(2024, 5, 1), "/data/logs", resolveFiles: false);
        string duckDb = PlanRenderer.Render(plan, DuckDbDialect.Instance).QuarantineQuery;
        string spark = PlanRenderer.Render(plan, SparkDialect.Modern).QuarantineQuery;

        Assert.Multiple(() =>
        {
            Assert.That(duckDb, Does.StartWith("SELECT __source, __file, __row, __reason FROM ("));
            Assert.That(spark, Does.StartWith("SELECT __source, __file, __row, __reason, __raw FROM ("));
        });
    }

    [Test]
    public void Sparks_part_files_become_one_rows_file_in_name_order_and_the_manifest_lists_it()
    {
        string work = Directory.CreateDirectory(_temp["work"]).FullName;
        string spark = Directory.CreateDirectory(Path.Combine(work, "_quarantine")).FullName;
        File.WriteAllText(Path.Combine(spark, "part-00001-u-c000.json"), "{\"n\":3}\n");
        File.WriteAllText(Path.Combine(spark, "part-00000-u-c000.json"), "{\"n\":1}\n{\"n\":2}\n");
        File.WriteAllText(Path.Combine(spark, "part-00002-u-c000.json"), "");
        File.WriteAllText(Path.Combine(spark, ".part-00000-u-c000.json.crc"), "crc");
        File.WriteAllText(Path.Combine(spark, "_SUCCESS"), "");

        string? problem = SparkQuarantine.CommitLocal(spark, work, 3, out var entry);

        Assert.Multiple(() =>
        {
            Assert.That(problem, Is.Null);
            Assert.That(Directory.GetFileSystemEntries(Path.Combine(work, "_quarantine")).Select(Path.GetFileName), Is.EqualTo(new[] { "rows.jsonl" }),
                "Spark's part files, checksums and _SUCCESS give way to the embedded engine's one file");
            Assert.That(File.ReadAllText(Path.Combine(work, "_quarantine", "rows.jsonl")), Is.EqualTo("{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n"));
            Assert.That(entry, Is.EqualTo(new ManifestQuarantine("_quarantine", ["_quarantine/rows.jsonl"])).Using<ManifestQuarantine>((a, b) =>
                a.Folder == b.Folder && a.Files!.SequenceEqual(b.Files!)));
            Assert.That(Directory.GetFiles(work), Is.Empty, "no temporary file is left");
        });
    }

    [Test]
    public void Sparks_quarantine_from_the_native_writers_parquet_folder_goes_into_the_work_folder()
    {
        string work = Directory.CreateDirectory(_temp["work"]).FullName;
        string spark = Directory.CreateDirectory(Path.Combine(_temp["staging"], "_quarantine")).FullName;
        File.WriteAllText(Path.Combine(spark, "part-00000-u-c000.json"), "{\"n\":1}");
        File.WriteAllText(Path.Combine(spark, "_SUCCESS"), "");

        string? problem = SparkQuarantine.CommitLocal(spark, work, 1, out var entry);

        Assert.Multiple(() =>
        {
            Assert.That(problem, Is.Null);
            Assert.That(File.ReadAllText(Path.Combine(work, "_quarantine", "rows.jsonl")), Is.EqualTo("{\"n\":1}\n"), "a last line without a line end gets one");
            Assert.That(Directory.Exists(spark), Is.False);
            Assert.That(entry, Is.Not.Null);
        });
    }

    [Test]
    public void No_bad_rows_leave_no_quarantine_folder_as_with_the_embedded_engine()
    {
        string work = Directory.CreateDirectory(_temp["work"]).FullName;
        string spark = Directory.CreateDirectory(Path.Combine(work, "_quarantine")).FullName;
        File.WriteAllText(Path.Combine(spark, "part-00000-u-c000.json"), "");
        File.WriteAllText(Path.Combine(spark, "_SUCCESS"), "");

        string? problem = SparkQuarantine.CommitLocal(spark, work, 0, out var entry);

        Assert.Multiple(() =>
        {
            Assert.That(problem, Is.Null);
            Assert.That(entry, Is.Null, "no manifest entry");
            Assert.That(Directory.Exists(spark), Is.False, "Spark's empty folder is removed");
        });
    }

    [TestCase(2, true, "holds 3 rows, but Spark counted 2 bad input rows")]
    [TestCase(4, true, "holds 3 rows, but Spark counted 4 bad input rows")]
    [TestCase(3, false, "_SUCCESS is missing")]
    public void A_quarantine_that_disagrees_with_the_count_or_that_spark_did_not_finish_is_refused(long counted, bool success, string message)
    {
        string work = Directory.CreateDirectory(_temp["work"]).FullName;
        string spark = Directory.CreateDirectory(Path.Combine(work, "_quarantine")).FullName;
        File.WriteAllText(Path.Combine(spark, "part-00000-u-c000.json"), "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n");
        if (success)
        {
            File.WriteAllText(Path.Combine(spark, "_SUCCESS"), "");
        }

        string? problem = SparkQuarantine.CommitLocal(spark, work, counted, out var entry);

        Assert.Multiple(() =>
        {
            Assert.That(problem, Does.Contain(message));
            Assert.That(entry, Is.Null);
            Assert.That(File.Exists(Path.Combine(work, "_quarantine", "rows.jsonl")), Is.False, "no rows file that a reader could take for the quarantine");
            Assert.That(Directory.GetFiles(work), Is.Empty, "no temporary file is left");
        });
    }

    private static List<string> Statements(string spec, string variant)
    {
        var v = SparkScriptTests.s_variants.Single(x => x.Name == variant);
        var setup = SparkSetup.Create(JobDefinition.Load(Processes.InRepo(spec)), new SparkRunOptions
        {
            Date = new DateOnly(2024, 5, 1),
            Input = v.Input,
            Output = v.Output,
            Master = v.Master,
            DeployMode = v.Master == "yarn" ? SparkDeployMode.Cluster : SparkDeployMode.Client,
            Writer = v.Writer,
            Connector = v.Connector,
        }, resolveLocalInputs: false);
        return setup.Script().Statements.ToList();
    }
}
