using System.Text.Json;
using SparkTfrecord.Engine.Spark;

namespace SparkTfrecord.Spark.Tests;

/// <summary>
/// <c>sparktf samples --engine spark</c> end to end against the fake spark-sql and spark-submit (fake-spark/): the
/// command for every master, deploy mode, writer and connector; logs streamed while Spark runs; exit codes; the
/// checks of <c>_SUCCESS</c> and the count; SIGTERM and Ctrl-C forwarded; a missing Spark; dry run and plan.
/// </summary>
[TestFixture]
[Category("Process")]
public sealed class SparkLauncherTests
{
    private FakeSparkFixture _fake = null!;

    [OneTimeSetUp]
    public void GenerateLogs() => _fake = FakeSparkFixture.WithLogs("sparktf-launcher-", 2000, 300, 200);

    [OneTimeTearDown]
    public void TearDown() => _fake.Dispose();

    private (string Output, string Record) Fresh() => _fake.Fresh();

    private static Dictionary<string, string?> Env(string record, params (string Key, string? Value)[] extra) => FakeSparkFixture.ProcessEnvironment(record, extra);

    private string[] Args(string output, params string[] extra) =>
        ["samples", "--engine", "spark", "--conf", FakeSparkFixture.Spec, "--date", "2024-05-01", "--input", _fake.Logs, "--output", output, .. extra];

    /// <summary>
    /// Runs sparktf in process (no process boundary of sparktf is under test): <c>samples</c> gets a Spark home whose
    /// programs set the fake's environment (<see cref="FakeSparkHome"/>) instead of the test process's environment.
    /// </summary>
    private ProcessResult Launch(Dictionary<string, string?> environment, params string[] args)
    {
        if (args[0] != "samples")
        {
            return InProcess.Run(args);
        }

        string home = _fake.SparkHome(environment.Where(e => e.Key is not ("SPARK_HOME" or "HADOOP_HOME")).ToDictionary(e => e.Key, e => e.Value));
        return InProcess.Run([.. args, "--spark-home", home]);
    }

    /// <summary>A previous output as Spark's committer leaves one (_SUCCESS and a part file), which a rerun may replace;
    /// returns its file names.</summary>
    private static string[] PreviousOutput(string output)
    {
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "_SUCCESS"), "");
        File.WriteAllText(Path.Combine(output, "part-00000-previous"), "x");
        return ["_SUCCESS", "part-00000-previous"];
    }

    private static List<JsonElement> Records(string record) =>
        File.Exists(record) ? File.ReadAllLines(record).Select(l => JsonDocument.Parse(l).RootElement).ToList() : [];

    private static string[] Argv(JsonElement record) => record.GetProperty("argv").EnumerateArray().Select(a => a.GetString()!).ToArray();

    [TestCase("local[2]", "client", "linkedin", "3.5.1", "2.13", "com.linkedin.sparktfrecord:spark-tfrecord_2.13:0.7.0")]
    [TestCase("yarn", "client", "linkedin", "3.4.2", "2.12", "com.linkedin.sparktfrecord:spark-tfrecord_2.12:0.6.1")]
    [TestCase("yarn", "cluster", "linkedin", "3.5.1", "2.12", "com.linkedin.sparktfrecord:spark-tfrecord_2.12:0.7.0")]
    [TestCase("k8s://https://k8s.example:6443", "client", "linkedin", "3.3.4", "2.12", "com.linkedin.sparktfrecord:spark-tfrecord_2.12:0.4.0")]
    [TestCase("k8s://https://k8s.example:6443", "cluster", "linkedin", "3.5.1", "2.13", "com.linkedin.sparktfrecord:spark-tfrecord_2.13:0.7.0")]
    [TestCase("spark://master.example:7077", "client", "linkedin", "3.5.1", "2.12", "com.linkedin.sparktfrecord:spark-tfrecord_2.12:0.7.0")]
    [TestCase("local[*]", "client", "tensorflow", "2.4.8", "2.11", "org.tensorflow:spark-tensorflow-connector_2.11:1.15.0")]
    [TestCase("yarn", "cluster", "tensorflow", "2.4.8", "2.11", "org.tensorflow:spark-tensorflow-connector_2.11:1.15.0")]
    public void The_connector_run_submits_the_right_command_checks_the_result_and_commits_the_output(
        string master, string deployMode, string connector, string sparkVersion, string scala, string package)
    {
        var (output, record) = Fresh();
        bool local = master.StartsWith("local", StringComparison.Ordinal);
        string outputArg = local ? output : "file://" + output; // without a scheme a cluster path is on HDFS
        var result = Launch(
            Env(record, ("FAKE_SPARK_VERSION", sparkVersion), ("FAKE_SPARK_SCALA", scala)),
            Args(outputArg, "--master", master, "--deploy-mode", deployMode, "--connector", connector, "--spark-conf", "spark.executor.memory=2g", "--spark-conf", "spark.sql.ansi.enabled=true"));

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        var records = Records(record);
        Assert.That(records.Select(r => r.GetProperty("argv")[0].GetString()), Is.EqualTo(new[] { "--version", "--master" }), "spark-submit --version, then the run");
        var argv = Argv(records[1]);
        string program = records[1].GetProperty("program").GetString()!;
        Assert.Multiple(() =>
        {
            Assert.That(program, Is.EqualTo(deployMode == "cluster" ? "spark-submit" : "spark-sql"));
            Assert.That(argv[..6], Is.EqualTo(new[] { "--master", master, "--deploy-mode", deployMode, "--name", "sparktf-din-2024-05-01" }));
            Assert.That(argv[6..8], Is.EqualTo(new[] { "--packages", package }));
            Assert.That(argv[8..12], Is.EqualTo(new[] { "--conf", "spark.executor.memory=2g", "--conf", "spark.sql.ansi.enabled=true" }));
            if (deployMode == "cluster")
            {
                Assert.That(argv[12], Is.EqualTo("--files"));
                Assert.That(Path.GetFileName(argv[14]), Is.EqualTo("spark_sql_runner.py"));
                Assert.That(argv[15], Is.EqualTo("sparktf-din-2024-05-01.sql"));
                Assert.That(argv[16..], Is.EqualTo(new[] { "--report", "file://" + Path.Combine(Path.GetDirectoryName(output)!, ".dt=2024-05-01.sparktf-report") }));
            }
            else
            {
                Assert.That(argv[12..15], Is.EqualTo(new[] { "--hiveconf", "hive.cli.print.header=true", "-f" }));
                Assert.That(argv[15], Does.EndWith("sparktf-din-2024-05-01.sql"));
            }

            Assert.That(Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal), Is.EqualTo(new[] { "_SUCCESS", "_manifest.json", "part-00000-fake.tfrecord" }));
            Assert.That(JsonDocument.Parse(result.Stdout).RootElement.GetProperty("samples_written").GetInt64(), Is.EqualTo(42));
            var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "_manifest.json"))).RootElement;
            Assert.That(manifest.GetProperty("records").GetInt64(), Is.EqualTo(42));
            Assert.That(manifest.GetProperty("writer").GetString(), Is.EqualTo("connector"));
            Assert.That(manifest.GetProperty("spec_hash").GetString(), Is.EqualTo(InProcess.Run("spec", "hash", "--spec", FakeSparkFixture.Spec).Stdout.Trim()),
                "the training side's check_manifest reads spec_hash");
            Assert.That(Directory.GetFileSystemEntries(Path.GetDirectoryName(output)!), Has.Length.EqualTo(2), "only the output and its lock file are left beside it");
        });
    }

    [TestCase("key")]
    [TestCase("header")]
    [TestCase("plain")]
    public void The_count_is_read_in_every_form_the_spark_sql_shell_or_the_runner_prints_it(string format)
    {
        var (output, record) = Fresh();
        var result = Launch(Env(record, ("FAKE_SPARK_SAMPLES_FORMAT", format), ("FAKE_SPARK_SAMPLES", "1234")), Args(output, "--spark-version", "3.5"));

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        Assert.That(JsonDocument.Parse(result.Stdout).RootElement.GetProperty("samples_written").GetInt64(), Is.EqualTo(1234));
        Assert.That(Records(record), Has.Count.EqualTo(1), "--spark-version: no spark-submit --version");
    }

    [TestCase("local[*]", "client")]
    [TestCase("yarn", "cluster")]
    public void The_native_writer_encodes_sparks_parquet_into_the_embedded_jobs_files(string master, string deployMode)
    {
        var (output, record) = Fresh();
        string parquet = _fake.Temp[$"native-{deployMode}.parquet"];
        long rows = _fake.NativeParquet(parquet);
        var embedded = InProcess.Run("samples", "--conf", FakeSparkFixture.Spec, "--date", "2024-05-01", "--input", _fake.Logs, "--output", output + "-embedded");
        Assert.That(embedded.ExitCode, Is.Zero, embedded.Output);

        bool local = master.StartsWith("local", StringComparison.Ordinal);
        var result = Launch(
            Env(record, ("FAKE_SPARK_PART_SOURCE", parquet), ("FAKE_SPARK_SAMPLES", rows.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            Args(local ? output : "file://" + output, "--master", master, "--deploy-mode", deployMode, "--writer", "native"));

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        var argv = Argv(Records(record).Single());
        Assert.Multiple(() =>
        {
            Assert.That(argv, Does.Not.Contain("--packages"), "the native writer needs no jar");
            Assert.That(Directory.Exists(Path.Combine(Path.GetDirectoryName(output)!, ".dt=2024-05-01.spark-parquet")), Is.False, "the Parquet staging folder is removed");
            Assert.That(JsonDocument.Parse(result.Stdout).RootElement.GetProperty("samples_written").GetInt64(), Is.EqualTo(rows));
            var expected = Directory.GetFiles(output + "-embedded", "part-*").Order().ToList();
            var actual = Directory.GetFiles(output, "part-*").Order().ToList();
            Assert.That(actual.Select(Path.GetFileName), Is.EqualTo(expected.Select(Path.GetFileName)));
            for (int i = 0; i < expected.Count; i++)
            {
                Assert.That(File.ReadAllBytes(actual[i]), Is.EqualTo(File.ReadAllBytes(expected[i])), Path.GetFileName(actual[i]));
            }

            Assert.That(File.ReadAllText(Path.Combine(output, "_manifest.json")), Does.Contain("sparktf encode"));
        });
    }

    [Test]
    public void The_native_writer_with_index_writes_the_embedded_jobs_index_files_and_lists_them()
    {
        var (output, record) = Fresh();
        string parquet = _fake.Temp["native-index.parquet"];
        long rows = _fake.NativeParquet(parquet);
        var embedded = InProcess.Run("samples", "--conf", FakeSparkFixture.Spec, "--date", "2024-05-01", "--input", _fake.Logs, "--output", output + "-embedded", "--compression", "none", "--index");
        Assert.That(embedded.ExitCode, Is.Zero, embedded.Output);

        var result = Launch(
            Env(record, ("FAKE_SPARK_PART_SOURCE", parquet), ("FAKE_SPARK_SAMPLES", rows.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            Args(output, "--master", "local[2]", "--writer", "native", "--compression", "none", "--index"));

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        var expected = Directory.GetFiles(Path.Combine(output + "-embedded", "_index")).Order().ToList();
        Assert.That(expected, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            Assert.That(Directory.GetFiles(Path.Combine(output, "_index")).Order().Select(Path.GetFileName), Is.EqualTo(expected.Select(Path.GetFileName)));
            foreach (string index in expected)
            {
                Assert.That(File.ReadAllBytes(Path.Combine(output, "_index", Path.GetFileName(index))), Is.EqualTo(File.ReadAllBytes(index)), Path.GetFileName(index));
            }

            Assert.That(File.ReadAllText(Path.Combine(output, "_manifest.json")), Does.Contain("\"index\": \"_index/part-00000-of-"));
        });
    }

    [Test]
    public void A_native_run_whose_parquet_disagrees_with_the_reported_count_fails_and_leaves_no_output()
    {
        var (output, record) = Fresh();
        string parquet = _fake.Temp["native-mismatch.parquet"];
        _fake.NativeParquet(parquet);
        var result = Launch(Env(record, ("FAKE_SPARK_PART_SOURCE", parquet), ("FAKE_SPARK_SAMPLES", "7")), Args(output, "--writer", "native"));

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Output);
        Assert.That(result.Stderr, Does.Contain("but Spark reported 7"));
        Assert.That(Directory.Exists(output), Is.False);
    }

    [Test]
    public void Sparks_logs_are_streamed_while_it_runs()
    {
        var (output, record) = Fresh();
        using var run = Sparktf.Start(Env(record, ("FAKE_SPARK_LOG_INTERVAL", "1"), ("FAKE_SPARK_LOG_LINES", "3")), Args(output, "--spark-version", "3.5"));
        DateTime first = run.WaitForLine("fake progress line 1 of 3");
        var result = run.WaitForExit();
        DateTime end = DateTime.UtcNow;

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        Assert.That((end - first).TotalSeconds, Is.GreaterThan(1.5), "the first log line reached stderr long before the end");
        Assert.That(result.Stdout, Does.Not.Contain("fake progress line"), "Spark's output goes to stderr; stdout has only the summary");
    }

    [TestCase("FAKE_SPARK_EXIT", "3", "spark-sql failed with exit code 3")]
    [TestCase("FAKE_SPARK_NO_SUCCESS", "1", "_SUCCESS is missing")]
    [TestCase("FAKE_SPARK_SAMPLES", null, "reported no sample count")]
    public void A_failed_or_incomplete_spark_run_is_exit_1_and_the_previous_output_stays(string variable, string? value, string message)
    {
        var (output, record) = Fresh();
        string[] previous = PreviousOutput(output);
        var result = Launch(Env(record, (variable, value)), Args(output, "--spark-version", "3.5"));

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.Output);
            Assert.That(result.Stderr, Does.Contain(message));
            Assert.That(Directory.GetFiles(output).Select(Path.GetFileName), Is.EquivalentTo(previous));
            Assert.That(Directory.GetDirectories(Path.GetDirectoryName(output)!, ".dt=*tmp*"), Is.Empty);
        });
    }

    // Input counts for the fake (2800 rows read, 6 bad), and what the summary and the manifest must then hold.
    private const string FakeInputCounts = "read_impressions=2000 quarantined_impressions=5 read_clicks=300 quarantined_clicks=1 read_users=300 read_items=200";

    private static void AssertFakeInputCounts(JsonElement summary, JsonElement manifest)
    {
        Assert.That(summary.GetProperty("rows_read").GetInt64(), Is.EqualTo(2800));
        Assert.That(summary.GetProperty("quarantined").GetInt64(), Is.EqualTo(6));
        foreach (var counts in new[] { summary.GetProperty("counts"), manifest.GetProperty("counts") })
        {
            Assert.That(counts.GetProperty("read.impressions").GetInt64(), Is.EqualTo(2000));
            Assert.That(counts.GetProperty("quarantined.impressions").GetInt64(), Is.EqualTo(5));
            Assert.That(counts.GetProperty("read.clicks").GetInt64(), Is.EqualTo(300));
            Assert.That(counts.GetProperty("quarantined.clicks").GetInt64(), Is.EqualTo(1));
            Assert.That(counts.GetProperty("quarantined.items").GetInt64(), Is.Zero);
        }
    }

    [Test]
    public void The_input_counts_of_the_report_reach_the_summary_and_the_manifest()
    {
        var (output, record) = Fresh();
        var result = Launch(Env(record, ("FAKE_SPARK_COUNTS", FakeInputCounts)), Args(output, "--spark-version", "3.5"));

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        var summary = JsonDocument.Parse(result.Stdout).RootElement;
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "_manifest.json"))).RootElement;
        Assert.Multiple(() =>
        {
            AssertFakeInputCounts(summary, manifest);
            Assert.That(result.Stderr, Does.Contain("6 of 2800 input rows were bad and left out"));
        });
    }

    [TestCase("connector", "linkedin", "3.5", "sparktf: too many bad input rows: 3")]
    [TestCase("connector", "tensorflow", "2.4", "'sparktf_bad_rows_within_limit#42' is not true!")]
    [TestCase("native", "linkedin", "3.5", "sparktf: too many bad input rows: 3")]
    [TestCase("native", "linkedin", "3.1", "'sparktf_bad_rows_within_limit#42' is not true!")]
    public void Too_many_bad_rows_stop_the_script_before_it_writes_and_the_run_is_exit_1_with_the_counts(string writer, string connector, string version, string sparkError)
    {
        var (output, record) = Fresh();
        string[] previous = PreviousOutput(output);
        string parquet = _fake.Temp[$"bad-rows-{writer}-{version}.parquet"];
        File.WriteAllText(parquet, "not parquet: the fake must fail before writing it");
        var result = Launch(
            Env(record, ("FAKE_SPARK_FAIL_BAD_ROWS", "1"), ("FAKE_SPARK_PART_SOURCE", writer == "native" ? parquet : null),
                ("FAKE_SPARK_COUNTS", "read_impressions=2000 quarantined_impressions=30 read_clicks=300 quarantined_clicks=3")),
            Args(output, "--writer", writer, "--connector", connector, "--spark-version", version, "--max-bad-fraction", "0.005"));

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.Output);
            Assert.That(result.Stderr, Does.Contain(sparkError), "Spark's own error is streamed");
            Assert.That(result.Stderr, Does.Contain("sparktf: too many bad input rows: 33 of 2300 input rows are bad (1.435%: impressions 30 of 2000, clicks 3 of 300, users 0 of 0, items 0 of 0), above the limit of 0.005 (quarantine.max_bad_fraction or --max-bad-fraction)"));
            Assert.That(result.Stderr, Does.Contain("stopped at its bad-rows check, before writing").And.Contain("the output is as it was").And.Contain("raise --max-bad-fraction"));
            Assert.That(result.Stdout, Is.Empty, "no summary");
            Assert.That(Directory.GetFiles(output).Select(Path.GetFileName), Is.EquivalentTo(previous), "the previous output as it was: no new _manifest.json or part file");
            Assert.That(Directory.GetDirectories(Path.GetDirectoryName(output)!, ".dt=*"), Is.Empty, "no work or staging folder is left");
        });
    }

    [Test]
    public void In_cluster_mode_the_runners_report_file_brings_every_count_to_the_summary_and_the_manifest()
    {
        var (output, record) = Fresh();
        var result = Launch(
            Env(record, ("FAKE_SPARK_COUNTS", FakeInputCounts + " positives=11 missing_users=4 samples=50")),
            Args("file://" + output, "--master", "yarn", "--deploy-mode", "cluster", "--spark-version", "3.5"));

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        var summary = JsonDocument.Parse(result.Stdout).RootElement;
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "_manifest.json"))).RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(Argv(Records(record).Single()), Does.Contain("--report"), "the run was the runner's, in cluster mode");
            Assert.That(summary.GetProperty("samples_written").GetInt64(), Is.EqualTo(42));
            AssertFakeInputCounts(summary, manifest);
            foreach (var counts in new[] { summary.GetProperty("counts"), manifest.GetProperty("counts") })
            {
                Assert.That(counts.GetProperty("positives").GetInt64(), Is.EqualTo(11));
                Assert.That(counts.GetProperty("missing.users").GetInt64(), Is.EqualTo(4));
                Assert.That(counts.GetProperty("negatives_dropped").GetInt64(), Is.EqualTo(8));
            }

            Assert.That(result.Stderr, Does.Contain("6 of 2800 input rows were bad and left out"));
            Assert.That(Directory.GetFileSystemEntries(Path.GetDirectoryName(output)!), Has.Length.EqualTo(2), "the report file is removed once read");
        });
    }

    [TestCase("linkedin", "3.5", "sparktf: too many bad input rows: 33 of 2300 rows read are bad (fake)")]
    [TestCase("tensorflow", "2.4", "'sparktf_bad_rows_within_limit#42' is not true!")]
    public void In_cluster_mode_the_runners_report_file_tells_the_bad_rows_check_with_the_counts(string connector, string version, string sparkError)
    {
        var (output, record) = Fresh();
        string[] previous = PreviousOutput(output);
        var result = Launch(
            Env(record, ("FAKE_SPARK_FAIL_BAD_ROWS", "1"), ("FAKE_SPARK_COUNTS", "read_impressions=2000 quarantined_impressions=30 read_clicks=300 quarantined_clicks=3")),
            Args("file://" + output, "--master", "yarn", "--deploy-mode", "cluster", "--connector", connector, "--spark-version", version, "--max-bad-fraction", "0.005"));

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.Output);
            Assert.That(result.Stderr, Does.Contain("finished with failed status"), "spark-submit shows no driver error in cluster mode");
            Assert.That(result.Stderr, Does.Contain("sparktf: the Spark SQL runner's report: statement 9 of 20 (line 65): ").And.Contain(sparkError));
            Assert.That(result.Stderr, Does.Contain("sparktf: too many bad input rows: 33 of 2300 input rows are bad (1.435%: impressions 30 of 2000, clicks 3 of 300, users 0 of 0, items 0 of 0), above the limit of 0.005"));
            Assert.That(result.Stderr, Does.Contain("stopped at its bad-rows check, before writing (spark-submit exited with 1)").And.Contain("raise --max-bad-fraction"));
            Assert.That(result.Stderr, Does.Not.Contain("spark-submit failed with exit code"));
            Assert.That(result.Stdout, Is.Empty, "no summary");
            Assert.That(Directory.GetFiles(output).Select(Path.GetFileName), Is.EquivalentTo(previous));
            Assert.That(Directory.GetDirectories(Path.GetDirectoryName(output)!, ".dt=*"), Is.Empty, "no work folder is left");
            Assert.That(File.Exists(Path.Combine(Path.GetDirectoryName(output)!, ".dt=2024-05-01.sparktf-report")), Is.False, "the report file is removed once read");
        });
    }

    [Test]
    public void In_cluster_mode_another_failure_is_not_taken_for_the_bad_rows_check()
    {
        var (output, record) = Fresh();
        var result = Launch(Env(record, ("FAKE_SPARK_EXIT", "1")), Args("file://" + output, "--master", "yarn", "--deploy-mode", "cluster", "--spark-version", "3.5"));

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.Output);
            Assert.That(result.Stderr, Does.Contain("spark-submit failed with exit code 1"));
            Assert.That(result.Stderr, Does.Not.Contain("too many bad input rows"));
        });
    }

    [Test]
    public void Counts_over_the_limit_in_the_report_are_refused_even_when_the_scripts_check_did_not_stop_it()
    {
        var (output, record) = Fresh();
        var result = Launch(Env(record, ("FAKE_SPARK_COUNTS", "read_impressions=100 quarantined_impressions=50")), Args(output, "--spark-version", "3.5"));

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.Output);
            Assert.That(result.Stderr, Does.Contain("too many bad input rows: 50 of 100 input rows are bad").And.Contain("nothing was committed"));
            Assert.That(Directory.Exists(output), Is.False);
        });
    }

    [Test]
    public void The_max_bad_fraction_option_reaches_the_spark_script()
    {
        var (output, record) = Fresh();
        var plan = Launch(Env(record), ["plan", .. Args(output, "--spark-version", "3.5", "--max-bad-fraction", "0.25")[1..]]);
        var fromJob = Launch(Env(record), ["plan", .. Args(output, "--spark-version", "3.5")[1..]]);

        Assert.Multiple(() =>
        {
            Assert.That(plan.ExitCode, Is.Zero, plan.Output);
            Assert.That(plan.Stdout, Does.Contain("<= CAST(0.25 AS DOUBLE) END AS `sparktf_bad_rows_within_limit`").And.Contain("above the limit of 0.25 "));
            Assert.That(fromJob.Stdout, Does.Contain("<= CAST(0.01 AS DOUBLE) END AS `sparktf_bad_rows_within_limit`"), "conf/din.yaml's quarantine.max_bad_fraction");
        });
    }

    [TestCase("TERM", 143, "SIGTERM")]
    [TestCase("INT", 130, "SIGINT")]
    public void A_signal_is_forwarded_to_spark_and_the_exit_code_says_which(string signal, int exitCode, string eventName)
    {
        var (output, record) = Fresh();
        using var run = Sparktf.Start(Env(record, ("FAKE_SPARK_SLEEP", "30")), Args(output, "--spark-version", "3.5"));
        run.WaitForLine("fake progress line 3 of 3");
        Processes.Signal(run.Id, signal);
        var result = run.WaitForExit(20);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(exitCode), result.Output);
            Assert.That(Records(record).Select(r => r.TryGetProperty("event", out var e) ? e.GetString() : null), Does.Contain(eventName));
            Assert.That(result.Stderr, Does.Contain("forwarded to spark-sql"));
            Assert.That(Directory.Exists(output), Is.False);
            Assert.That(Directory.GetDirectories(Path.GetDirectoryName(output)!, ".dt=*"), Is.Empty, "the work folder is removed");
        });
    }

    [Test]
    public void Spark_that_ignores_sigterm_is_killed_after_the_grace_period()
    {
        var (output, record) = Fresh();
        using var run = Sparktf.Start(Env(record, ("FAKE_SPARK_SLEEP", "60"), ("FAKE_SPARK_IGNORE_TERM", "1"), ("SPARKTF_SPARK_KILL_AFTER", "1")), Args(output, "--spark-version", "3.5"));
        run.WaitForLine("fake progress line 3 of 3");
        var sent = DateTime.UtcNow;
        Processes.Signal(run.Id, "TERM");
        var result = run.WaitForExit(30);

        Assert.That(result.ExitCode, Is.EqualTo(143), result.Output);
        Assert.That((DateTime.UtcNow - sent).TotalSeconds, Is.LessThan(15));
        Assert.That(result.Stderr, Does.Contain("ignoring it"));
    }

    [Test]
    public void Without_spark_the_error_says_what_to_install()
    {
        var (output, record) = Fresh();
        var result = Sparktf.RunWith(Env(record, ("SPARK_HOME", null)), Args(output));
        var wrong = Sparktf.RunWith(Env(record), Args(output, "--spark-home", _fake.Temp.Path));

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.Output);
            Assert.That(result.Stderr, Does.Contain("Spark not found: SPARK_HOME is not set").And.Contain("install a Spark distribution").And.Contain("--spark-home"));
            Assert.That(wrong.ExitCode, Is.EqualTo(1), wrong.Output);
            Assert.That(wrong.Stderr, Does.Contain($"{_fake.Temp.Path}/bin/spark-sql does not exist"));
            Assert.That(Records(record), Is.Empty);
        });
    }

    [Test]
    public void Spark_4_has_no_connector_jar_and_the_error_says_to_use_the_native_writer()
    {
        var (output, record) = Fresh();
        var result = Launch(Env(record, ("FAKE_SPARK_VERSION", "4.0.0"), ("FAKE_SPARK_SCALA", "2.13")), Args(output));

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Output);
        Assert.That(result.Stderr, Does.Contain("no jar for Spark 4.0").And.Contain("--writer native"));
    }

    [Test]
    public void Cluster_mode_with_a_local_master_is_a_usage_error()
    {
        var (output, record) = Fresh();
        var result = Launch(Env(record), Args(output, "--deploy-mode", "cluster"));

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output);
        Assert.That(result.Stderr, Does.Contain("--deploy-mode cluster needs a cluster master"));
    }

    [Test]
    public void A_job_asking_for_state_keeps_it_on_spark_too()
    {
        var (output, _) = Fresh();
        string spec = _fake.Temp.Write("din-with-state.yaml", File.ReadAllText(FakeSparkFixture.Spec).Replace("\n  timezone:", "\n  state: \"{input}/../state\"\n  timezone:", StringComparison.Ordinal));
        Assert.That(File.ReadAllText(spec), Does.Contain("state: "), "the state: line was not put in");

        var dry = InProcess.Run(["samples", "--engine", "spark", "--conf", spec, "--date", "2024-05-01", "--input", _fake.Logs, "--output", output, "--dry-run", "--spark-home", FakeSparkFixture.Home]);

        Assert.That(dry.ExitCode, Is.Zero, dry.Output);
        string state = Path.GetFullPath(Path.Combine(_fake.Logs, "..", "state"));
        Assert.That(dry.Stderr, Does.Contain($"sparktf: 2024-05-01 state: no snapshot before 2024-05-01 in {state}"));
        Assert.That(dry.Stdout, Does.Contain($"INSERT OVERWRITE DIRECTORY 'file://{state}/.dt=2024-05-01.tmp-<pid>-<id>/events_clicked_items_15d.parquet'"),
            "the job's state: template is the state folder: the script writes the day's snapshot");
        Assert.That(Directory.Exists(state), Is.False, "a dry run writes nothing");
    }

    [Test]
    public void A_dry_run_prints_the_command_and_the_same_script_as_plan_and_runs_nothing()
    {
        var (output, record) = Fresh();
        var dry = InProcess.Run(Args(output, "--master", "yarn", "--deploy-mode", "cluster", "--dry-run", "--spark-version", "3.5/2.13", "--spark-home", FakeSparkFixture.Home));
        var plan = Launch(Env(record), ["plan", .. Args(output, "--master", "yarn", "--deploy-mode", "cluster", "--spark-version", "3.5/2.13")[1..]]);

        Assert.Multiple(() =>
        {
            Assert.That(dry.ExitCode, Is.Zero, dry.Output);
            Assert.That(plan.ExitCode, Is.Zero, plan.Output);
            Assert.That(dry.Stdout, Does.StartWith($"/* command: {FakeSparkFixture.Home}/bin/spark-submit --master yarn --deploy-mode cluster --name sparktf-din-2024-05-01 --packages com.linkedin.sparktfrecord:spark-tfrecord_2.13:0.7.0 --files sparktf-din-2024-05-01.sql spark_sql_runner.py sparktf-din-2024-05-01.sql --report "));
            Assert.That(dry.Stdout, Does.EndWith(plan.Stdout));
            Assert.That(Records(record), Is.Empty);
        });
    }

    [Test]
    public void A_second_run_on_the_same_output_is_refused_while_the_first_holds_the_lock()
    {
        var (output, record) = Fresh();
        using var first = Sparktf.Start(Env(record, ("FAKE_SPARK_SLEEP", "20")), Args(output, "--spark-version", "3.5"));
        first.WaitForLine("fake progress line 3 of 3");
        var second = Launch(Env(record), Args(output, "--spark-version", "3.5"));
        Processes.Signal(first.Id, "TERM");
        first.WaitForExit(20);

        Assert.That(second.ExitCode, Is.EqualTo(1), second.Output);
        Assert.That(second.Stderr, Does.Contain("another run is writing"));
    }
}
