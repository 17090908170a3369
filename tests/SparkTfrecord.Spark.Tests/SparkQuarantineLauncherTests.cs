using System.Globalization;
using System.Text.Json;

namespace SparkTfrecord.Spark.Tests;

/// <summary>
/// <c>sparktf samples --engine spark</c> keeps the bad rows: the fake spark-sql / spark-submit writes the script's
/// <c>_quarantine/</c> as Spark's JSON writer does (part files, <c>_SUCCESS</c>), and the launcher commits it into the
/// output as the embedded engine's <c>_quarantine/rows.jsonl</c>, lists it in <c>_manifest.json</c>, writes none for no
/// bad rows, and leaves no half quarantine where a reader would take it when Spark fails.
/// </summary>
[TestFixture]
[Category("Process")]
public sealed class SparkQuarantineLauncherTests
{

    // Three bad rows as the script's quarantine statement selects them (source, file, row, reason, raw), with the
    // reasons the typed views give (conf/din.yaml: ts in epoch milliseconds, request_id / user_id keys), and the counts
    // that go with them.
    private static readonly string[] s_badRows =
    [
        """{"source":"impressions","file":"file:///logs/impressions/dt=2024-05-01/part-0.csv","row":null,"reason":"key column 'user_id' is null","raw":"{\"request_id\":\"r1\",\"item_id\":\"i1\",\"user_id\":null,\"device\":\"ios\",\"ts\":\"1714521600000\"}"}""",
        """{"source":"impressions","file":"file:///logs/impressions/dt=2024-05-01/part-0.csv","row":null,"reason":"time column 'ts' is null or not a valid epoch milliseconds","raw":"{\"request_id\":\"r2\",\"item_id\":\"i2\",\"user_id\":\"u2\",\"device\":\"ios\",\"ts\":\"12.5x\"}"}""",
        """{"source":"clicks","file":"file:///logs/clicks/dt=2024-05-01/part-0.csv","row":null,"reason":"key column 'request_id' is null","raw":"{\"request_id\":null,\"item_id\":\"i3\",\"user_id\":\"u3\",\"ts\":\"1714521600001\"}"}""",
    ];

    private const string BadCounts = "read_impressions=2000 quarantined_impressions=2 read_clicks=300 quarantined_clicks=1 read_users=300 read_items=200";

    private FakeSparkFixture _fake = null!;
    private string _parquet = null!;
    private long _parquetRows;
    private string _badRowsFile = null!;

    [OneTimeSetUp]
    public void GenerateLogs()
    {
        _fake = FakeSparkFixture.WithLogs("sparktf-quarantine-launcher-", 600, 100, 50);
        _parquet = _fake.Temp["native.parquet"];
        _parquetRows = _fake.NativeParquet(_parquet);
        _badRowsFile = _fake.Temp["bad-rows.jsonl"];
        File.WriteAllLines(_badRowsFile, s_badRows);
    }

    [OneTimeTearDown]
    public void TearDown() => _fake.Dispose();

    [TestCase("local[*]", "client", "connector", "linkedin", "3.5")]
    [TestCase("local[*]", "client", "connector", "tensorflow", "2.4")]
    [TestCase("yarn", "cluster", "connector", "linkedin", "3.5")]
    [TestCase("local[*]", "client", "native", "linkedin", "3.5")]
    [TestCase("yarn", "cluster", "native", "linkedin", "3.5")]
    public void Bad_rows_arrive_in_the_committed_output_as_rows_jsonl_with_their_reasons_and_are_listed_in_the_manifest(
        string master, string deployMode, string writer, string connector, string version)
    {
        string output = Fresh();
        var result = Launch(output, master, deployMode, writer, connector, version,
            ("FAKE_SPARK_COUNTS", BadCounts), ("FAKE_SPARK_QUARANTINE_ROWS", _badRowsFile), ("FAKE_SPARK_QUARANTINE_PARTS", "2"));

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        string quarantine = Path.Combine(output, "_quarantine");
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "_manifest.json"))).RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(Directory.GetFileSystemEntries(quarantine).Select(Path.GetFileName), Is.EqualTo(new[] { "rows.jsonl" }),
                "the embedded engine's one file, not Spark's part files and _SUCCESS");
            Assert.That(File.ReadAllLines(Path.Combine(quarantine, "rows.jsonl")), Is.EqualTo(s_badRows), "every bad row, in the order Spark wrote them, as written");
            var reasons = File.ReadAllLines(Path.Combine(quarantine, "rows.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("reason").GetString());
            Assert.That(reasons, Is.EqualTo(new[] { "key column 'user_id' is null", "time column 'ts' is null or not a valid epoch milliseconds", "key column 'request_id' is null" }));
            Assert.That(manifest.GetProperty("quarantine").GetProperty("folder").GetString(), Is.EqualTo("_quarantine"));
            Assert.That(manifest.GetProperty("quarantine").GetProperty("files").EnumerateArray().Select(f => f.GetString()), Is.EqualTo(new[] { "_quarantine/rows.jsonl" }));
            Assert.That(manifest.GetProperty("counts").GetProperty("quarantined.impressions").GetInt64(), Is.EqualTo(2));
            Assert.That(manifest.GetProperty("shards").EnumerateArray().Select(s => s.GetProperty("file").GetString()), Has.None.Contains("_quarantine"),
                "the quarantine is not a part file");
            Assert.That(result.Stderr, Does.Contain($"3 of 2800 input rows were bad and left out: they are in {output}/_quarantine/rows.jsonl with their reasons"));
            Assert.That(Directory.GetFileSystemEntries(Path.GetDirectoryName(output)!), Has.Length.EqualTo(2), "only the output and its lock file are left beside it");
        });
    }

    [TestCase("connector")]
    [TestCase("native")]
    public void No_bad_rows_give_no_quarantine_folder_and_no_manifest_entry_as_with_the_embedded_engine(string writer)
    {
        string output = Fresh();
        var embedded = InProcess.Run("samples", "--conf", FakeSparkFixture.Spec, "--date", "2024-05-01", "--input", _fake.Logs, "--output", output + "-embedded");
        var result = Launch(output, "local[*]", "client", writer, "linkedin", "3.5", ("FAKE_SPARK_COUNTS", "read_impressions=2000 read_clicks=300"));

        Assert.That(embedded.ExitCode, Is.Zero, embedded.Output);
        Assert.That(result.ExitCode, Is.Zero, result.Output);
        Assert.Multiple(() =>
        {
            Assert.That(Directory.Exists(Path.Combine(output + "-embedded", "_quarantine")), Is.False, "the embedded engine writes no quarantine for no bad rows");
            Assert.That(Directory.Exists(Path.Combine(output, "_quarantine")), Is.False, "Spark's folder of no rows is removed");
            Assert.That(JsonDocument.Parse(File.ReadAllText(Path.Combine(output + "-embedded", "_manifest.json"))).RootElement.TryGetProperty("quarantine", out _), Is.False);
            Assert.That(JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "_manifest.json"))).RootElement.TryGetProperty("quarantine", out _), Is.False);
        });
    }

    [TestCase("connector", "FAKE_SPARK_QUARANTINE_FAIL", "1", "failed with exit code 1")]
    [TestCase("native", "FAKE_SPARK_QUARANTINE_FAIL", "1", "failed with exit code 1")]
    [TestCase("connector", "FAKE_SPARK_QUARANTINE_NO_SUCCESS", "1", "_quarantine/_SUCCESS is missing")]
    [TestCase("native", "FAKE_SPARK_QUARANTINE_NO_SUCCESS", "1", "_quarantine/_SUCCESS is missing")]
    [TestCase("connector", "FAKE_SPARK_COUNTS", "read_impressions=2000 quarantined_impressions=4 read_clicks=300", "holds 3 rows, but Spark counted 4 bad input rows")]
    [TestCase("native", "FAKE_SPARK_COUNTS", "read_impressions=2000 quarantined_impressions=4 read_clicks=300", "holds 3 rows, but Spark counted 4 bad input rows")]
    public void A_run_whose_quarantine_failed_or_is_incomplete_is_exit_1_and_leaves_no_half_quarantine_where_a_reader_would_take_it(
        string writer, string variable, string value, string message)
    {
        string output = Fresh();
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "_SUCCESS"), "");
        File.WriteAllText(Path.Combine(output, "part-00000-previous"), "x");
        var result = Launch(output, "local[*]", "client", writer, "linkedin", "3.5",
            ("FAKE_SPARK_COUNTS", BadCounts), ("FAKE_SPARK_QUARANTINE_ROWS", _badRowsFile), (variable, value));

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.Output);
            Assert.That(result.Stderr, Does.Contain(message));
            Assert.That(Directory.GetFileSystemEntries(output).Select(Path.GetFileName), Is.EquivalentTo(new[] { "_SUCCESS", "part-00000-previous" }),
                "the previous output as it was: no _quarantine, no manifest");
            Assert.That(File.Exists(output + ".quarantine.jsonl"), Is.False);
            Assert.That(Directory.GetDirectories(Path.GetDirectoryName(output)!, ".dt=*tmp*"), Is.Empty, "no work folder is left");
        });
    }

    [Test]
    public void A_run_stopped_while_spark_writes_the_quarantine_leaves_the_previous_output_and_no_half_quarantine()
    {
        string output = Fresh();
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "_SUCCESS"), "");
        File.WriteAllText(Path.Combine(output, "part-00000-previous"), "x");
        var environment = FakeSparkFixture.ProcessEnvironment(null,
            ("FAKE_SPARK_COUNTS", BadCounts), ("FAKE_SPARK_QUARANTINE_ROWS", _badRowsFile), ("FAKE_SPARK_QUARANTINE_SLEEP", "30"));
        using var run = Sparktf.Start(environment,
            "samples", "--engine", "spark", "--conf", FakeSparkFixture.Spec, "--date", "2024-05-01", "--input", _fake.Logs, "--output", output, "--spark-version", "3.5");
        run.WaitForLine("writing the bad rows to");
        Processes.Signal(run.Id, "TERM");
        var result = run.WaitForExit(20);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(143), result.Output);
            Assert.That(Directory.GetFileSystemEntries(output).Select(Path.GetFileName), Is.EquivalentTo(new[] { "_SUCCESS", "part-00000-previous" }),
                "the previous output as it was: the samples and the half-written quarantine stayed in the work folder");
            Assert.That(Directory.GetDirectories(Path.GetDirectoryName(output)!, ".dt=*"), Is.Empty, "the work folder, with Spark's _temporary quarantine, is removed");
        });
    }

    [Test]
    public void The_embedded_engine_lists_its_quarantine_in_the_manifest_the_same_way_and_its_rows_have_line_numbers_instead_of_raw_rows()
    {
        string logs = _fake.Temp["bad-logs"];
        var gen = InProcess.Run("gen-logs", "--output", logs, "--date", "2024-05-01", "--days", "16", "--impressions-per-day", "300",
            "--users", "50", "--items", "30", "--seed", "7", "--bad-rows", "0.02");
        Assert.That(gen.ExitCode, Is.Zero, gen.Output);
        string output = Fresh();

        var result = InProcess.Run("samples", "--conf", FakeSparkFixture.Spec, "--date", "2024-05-01", "--input", logs, "--output", output, "--max-bad-fraction", "0.5");

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "_manifest.json"))).RootElement;
        var rows = File.ReadAllLines(Path.Combine(output, "_quarantine", "rows.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(manifest.GetProperty("quarantine").GetProperty("folder").GetString(), Is.EqualTo("_quarantine"));
            Assert.That(manifest.GetProperty("quarantine").GetProperty("files").EnumerateArray().Select(f => f.GetString()), Is.EqualTo(new[] { "_quarantine/rows.jsonl" }));
            Assert.That(rows, Has.Count.EqualTo(manifest.GetProperty("counts").GetProperty("quarantined.impressions").GetInt64()).And.Count.GreaterThan(0));
            Assert.That(rows.Select(r => string.Join(",", r.EnumerateObject().Select(p => p.Name))), Has.All.EqualTo("source,file,row,reason"));
            Assert.That(rows.Select(r => r.GetProperty("row").ValueKind), Has.All.EqualTo(JsonValueKind.Number));
        });
    }

    [Test]
    public void A_rerun_replaces_an_output_that_a_hand_run_script_left_with_sparks_quarantine_folder()
    {
        string output = Fresh();
        Directory.CreateDirectory(Path.Combine(output, "_quarantine"));
        File.WriteAllText(Path.Combine(output, "_SUCCESS"), "");
        File.WriteAllText(Path.Combine(output, "part-00000-hand.tfrecord"), "x");
        File.WriteAllText(Path.Combine(output, "_quarantine", "_SUCCESS"), "");
        File.WriteAllText(Path.Combine(output, "_quarantine", "part-00000-u-c000.json"), s_badRows[0] + "\n");
        File.WriteAllText(Path.Combine(output, "_quarantine", ".part-00000-u-c000.json.crc"), "crc");

        var result = Launch(output, "local[*]", "client", "connector", "linkedin", "3.5");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, "Spark's own output, quarantine included, is sparktf's to replace without --force: " + result.Output);
            Assert.That(File.Exists(Path.Combine(output, "part-00000-hand.tfrecord")), Is.False);
            Assert.That(Directory.Exists(Path.Combine(output, "_quarantine")), Is.False, "this run had no bad rows");
        });
    }

    private string Fresh() => _fake.Temp[$"out{_fake.Next()}/dt=2024-05-01"];

    /// <summary>Runs the launcher in process against the fake Spark (see SparkLauncherTests.Launch).</summary>
    private ProcessResult Launch(string output, string master, string deployMode, string writer, string connector, string version, params (string Key, string? Value)[] extra)
    {
        bool native = writer == "native";
        string home = _fake.SparkHome(FakeSparkFixture.Environment(null,
        [
            ("FAKE_SPARK_SAMPLES", native ? _parquetRows.ToString(CultureInfo.InvariantCulture) : "42"),
            ("FAKE_SPARK_PART_SOURCE", native ? _parquet : null),
            .. extra,
        ]));
        bool local = master.StartsWith("local", StringComparison.Ordinal);
        return InProcess.Run("samples", "--engine", "spark", "--conf", FakeSparkFixture.Spec, "--date", "2024-05-01", "--input", _fake.Logs,
            "--output", local ? output : "file://" + output, "--master", master, "--deploy-mode", deployMode, "--writer", writer,
            "--connector", connector, "--spark-version", version, "--spark-home", home);
    }
}
