using System.Text.Json;

namespace SparkTfrecord.Spark.Tests;

/// <summary>
/// The fake-spark test double (fake-spark/bin/spark-submit and spark-sql) does what its README promises, so that the
/// launcher's end-to-end tests can rely on it.
/// </summary>
[TestFixture]
[Category("Process")]
public sealed class FakeSparkTests
{
    private static readonly string s_home = Processes.InRepo("tests", "SparkTfrecord.Spark.Tests", "fake-spark");
    private static readonly string s_submit = Path.Combine(s_home, "bin", "spark-submit");
    private static readonly string s_sql = Path.Combine(s_home, "bin", "spark-sql");
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder("sparktf-fake-spark-");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Each_run_records_its_arguments_and_environment_as_a_json_line()
    {
        string odd = "a b\t\"quoted\"\\ back\nnew line 未知";

        var first = Run(s_sql, new() { ["SPARK_HOME"] = s_home, ["HADOOP_CONF_DIR"] = null, ["SPARKTF_TRACE"] = "1", ["FAKE_SPARK_RECORD_ENV"] = "MY_VAR", ["MY_VAR"] = "x" },
            "--master", "local[*]", "-e", odd);
        var second = Run(s_submit, [], "--master", "yarn", "app.py");

        Assert.That(first.ExitCode, Is.Zero, first.Output);
        Assert.That(second.ExitCode, Is.Zero, second.Output);
        var records = Records();
        Assert.That(records, Has.Count.EqualTo(2));
        var sql = records[0];
        Assert.Multiple(() =>
        {
            Assert.That(sql.GetProperty("program").GetString(), Is.EqualTo("spark-sql"));
            Assert.That(sql.GetProperty("argv").EnumerateArray().Select(a => a.GetString()), Is.EqualTo(new[] { "--master", "local[*]", "-e", odd }));
            Assert.That(sql.GetProperty("cwd").GetString(), Is.EqualTo(_temp.Path));
            Assert.That(sql.GetProperty("env").GetProperty("SPARK_HOME").GetString(), Is.EqualTo(s_home));
            Assert.That(sql.GetProperty("env").GetProperty("HADOOP_CONF_DIR").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(sql.GetProperty("env").GetProperty("SPARKTF_TRACE").GetString(), Is.EqualTo("1"));
            Assert.That(sql.GetProperty("env").GetProperty("MY_VAR").GetString(), Is.EqualTo("x"));
            Assert.That(records[1].GetProperty("program").GetString(), Is.EqualTo("spark-submit"));
            Assert.That(records[1].GetProperty("argv").EnumerateArray().Select(a => a.GetString()), Is.EqualTo(new[] { "--master", "yarn", "app.py" }));
        });
    }

    [Test]
    public void Spark_sql_writes_the_scripts_output_folder_with_success_and_prints_the_count()
    {
        string output = _temp["out/dt=2024-05-01"];
        string script = _temp.Write("job.sql", $"CACHE TABLE s;\nINSERT OVERWRITE DIRECTORY 'file://{output}'\n  USING tfrecord OPTIONS (recordType 'Example') SELECT * FROM s;\nSELECT count(*) AS sparktf_samples_written FROM s");

        var result = Run(s_sql, new() { ["FAKE_SPARK_OUTPUT"] = "auto", ["FAKE_SPARK_SAMPLES"] = "1234", ["FAKE_SPARK_PARTS"] = "2" }, "--master", "local[*]", "-f", script);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.Output);
            Assert.That(result.Stdout, Is.EqualTo($"fake spark-sql: started {script}\nSPARKTF_SAMPLES_WRITTEN=1234\n"));
            Assert.That(Directory.GetFiles(output).Select(Path.GetFileName), Is.EquivalentTo(new[] { "_SUCCESS", "part-00000-fake.tfrecord", "part-00001-fake.tfrecord" }));
            Assert.That(result.Stderr, Does.Match(@"\d\d/\d\d/\d\d \d\d:\d\d:\d\d INFO SparkContext: Running Spark version 3\.5\.1"));
            Assert.That(result.Stderr, Does.Contain("Time taken:"));
        });
    }

    [Test]
    public void Auto_output_also_finds_the_tensorflow_connectors_create_table_path()
    {
        string output = _temp["tf-out"];
        string script = _temp.Write("job.sql", $"CREATE TABLE t USING tfrecords OPTIONS (path '{output}', recordType 'Example') AS SELECT 1");

        var result = Run(s_sql, new() { ["FAKE_SPARK_OUTPUT"] = "auto", ["FAKE_SPARK_NO_SUCCESS"] = "1" }, "-f", script);

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        Assert.That(Directory.GetFiles(output).Select(Path.GetFileName), Is.EqualTo(new[] { "part-00000-fake.tfrecord" }));
    }

    [TestCase("key", "SPARKTF_SAMPLES_WRITTEN=7\n")]
    [TestCase("header", "sparktf_samples_written\n7\n")]
    [TestCase("plain", "7\n")]
    public void The_count_is_printed_in_the_chosen_form(string format, string expected)
    {
        var result = Run(s_sql, new() { ["FAKE_SPARK_SAMPLES"] = "7", ["FAKE_SPARK_SAMPLES_FORMAT"] = format }, "-e", "SELECT 7");

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        Assert.That(result.Stdout, Does.EndWith("started '-e'\n" + expected));
    }

    [Test]
    public void A_configured_exit_code_is_returned_after_an_error_line_and_no_output_is_written()
    {
        string output = _temp["out"];

        var result = Run(s_sql, new() { ["FAKE_SPARK_EXIT"] = "3", ["FAKE_SPARK_OUTPUT"] = output, ["FAKE_SPARK_SAMPLES"] = "5" }, "-e", "SELECT 1");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(3), result.Output);
            Assert.That(result.Stderr, Does.Contain("ERROR SparkSubmit: Exception in thread \"main\" org.apache.spark.sql.AnalysisException"));
            Assert.That(result.Stdout, Does.Not.Contain("SPARKTF_SAMPLES_WRITTEN"));
            Assert.That(Directory.Exists(output), Is.False);
        });
    }

    [Test]
    public void Spark_sql_refuses_cluster_deploy_mode_and_a_missing_script_like_the_real_shell()
    {
        var cluster = Run(s_sql, [], "--master", "yarn", "--deploy-mode", "cluster", "-e", "SELECT 1");
        var missing = Run(s_sql, [], "-f", _temp["absent.sql"]);
        var interactive = Run(s_sql, [], "--master", "local[*]");

        Assert.Multiple(() =>
        {
            Assert.That(cluster.ExitCode, Is.EqualTo(1));
            Assert.That(cluster.Stderr, Does.Contain("Cluster deploy mode is not applicable to Spark SQL shell."));
            Assert.That(missing.ExitCode, Is.EqualTo(1));
            Assert.That(missing.Stderr, Does.Contain("Could not open input file for reading."));
            Assert.That(interactive.ExitCode, Is.EqualTo(1));
        });
    }

    [Test]
    public void Spark_submit_in_cluster_mode_writes_the_runners_report_and_finds_the_script_shipped_with_files()
    {
        string output = _temp["out"];
        string script = _temp.Write("scripts/din-2024-05-01.sql", $"INSERT OVERWRITE DIRECTORY '{output}' USING tfrecord SELECT 1");
        string report = _temp["reports/din.report"];

        var cluster = Run(s_submit, new() { ["FAKE_SPARK_OUTPUT"] = "auto", ["FAKE_SPARK_SAMPLES"] = "99" },
            "--master", "yarn", "--deploy-mode", "cluster", "--files", script, "--conf", "spark.x=1",
            Processes.InRepo("submit", "spark_sql_runner.py"), "din-2024-05-01.sql", "--report", "file://" + report);
        var client = Run(s_submit, new() { ["FAKE_SPARK_SAMPLES"] = "99" }, "--master", "local[2]", "runner.py", "x.sql");

        Assert.Multiple(() =>
        {
            Assert.That(cluster.ExitCode, Is.Zero, cluster.Output);
            Assert.That(cluster.Stdout, Does.Not.Contain("SPARKTF_SAMPLES_WRITTEN"));
            Assert.That(File.ReadAllText(report), Is.EqualTo("SPARKTF_SAMPLES_WRITTEN=99\n"));
            Assert.That(File.Exists(Path.Combine(output, "_SUCCESS")), Is.True);
            Assert.That(client.Stdout, Does.Contain("SPARKTF_SAMPLES_WRITTEN=99\n"));
        });
    }

    [Test]
    public void Spark_submit_without_an_application_fails_and_version_prints_the_banner()
    {
        var none = Run(s_submit, [], "--master", "yarn");
        var version = Run(s_submit, new() { ["FAKE_SPARK_VERSION"] = "3.4.2", ["FAKE_SPARK_SCALA"] = "2.13" }, "--version");

        Assert.Multiple(() =>
        {
            Assert.That(none.ExitCode, Is.EqualTo(1));
            Assert.That(none.Stderr, Does.Contain("Missing application resource."));
            Assert.That(version.ExitCode, Is.Zero);
            Assert.That(version.Stderr, Does.Contain("version 3.4.2").And.Contain("Using Scala version 2.13"));
        });
    }

    [TestCase("TERM", 143, "SIGTERM")]
    [TestCase("INT", 130, "SIGINT")]
    public void A_signal_stops_a_sleeping_run_at_once_with_the_shells_exit_code(string signal, int exitCode, string eventName)
    {
        using var spark = RunningProcess.Start(s_submit, ["--master", "yarn", "app.py"], _temp.Path, Environment(new() { ["FAKE_SPARK_SLEEP"] = "30" }));
        spark.WaitForLine("fake spark-submit: started");
        var sent = DateTime.UtcNow;

        Processes.Signal(spark.Id, signal);
        var result = spark.WaitForExit(20);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(exitCode), result.Output);
            Assert.That(DateTime.UtcNow - sent, Is.LessThan(TimeSpan.FromSeconds(5)));
            Assert.That(result.Stderr, Does.Contain($"received {eventName}; stopping (exit {exitCode})"));
            Assert.That(Records().Last().GetProperty("event").GetString(), Is.EqualTo(eventName));
        });
    }

    [Test]
    public void With_ignore_term_a_sigterm_is_logged_and_the_run_goes_on()
    {
        using var spark = RunningProcess.Start(s_sql, ["-e", "SELECT 1"], _temp.Path,
            Environment(new() { ["FAKE_SPARK_SLEEP"] = "2", ["FAKE_SPARK_IGNORE_TERM"] = "1" }));
        spark.WaitForLine("fake spark-sql: started");

        Processes.Signal(spark.Id, "TERM");
        var result = spark.WaitForExit(20);

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        Assert.That(result.Stderr, Does.Contain("received SIGTERM; ignoring it"));
    }

    [Test]
    public void Log_lines_arrive_while_the_run_goes_on_not_at_its_end()
    {
        using var spark = RunningProcess.Start(s_sql, ["-e", "SELECT 1"], _temp.Path,
            Environment(new() { ["FAKE_SPARK_LOG_LINES"] = "3", ["FAKE_SPARK_LOG_INTERVAL"] = "1" }));

        var firstLine = spark.WaitForLine("fake progress line 1 of 3");
        var lastLine = spark.WaitForLine("fake progress line 3 of 3");
        var result = spark.WaitForExit(20);

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        Assert.That(lastLine - firstLine, Is.GreaterThan(TimeSpan.FromSeconds(1.5)));
    }

    private ProcessResult Run(string program, Dictionary<string, string?> environment, params string[] arguments) =>
        Processes.Run(program, arguments, _temp.Path, Environment(environment));

    private Dictionary<string, string?> Environment(Dictionary<string, string?> extra)
    {
        var environment = new Dictionary<string, string?> { ["FAKE_SPARK_RECORD"] = _temp["calls.jsonl"] };
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        return environment;
    }

    private List<JsonElement> Records() =>
        File.ReadAllLines(_temp["calls.jsonl"]).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
}
