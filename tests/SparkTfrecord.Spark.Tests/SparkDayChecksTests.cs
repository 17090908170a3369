using System.Text.Json;

namespace SparkTfrecord.Spark.Tests;

/// <summary>
/// The day's sanity checks on the Spark engine (the embedded engine's checks, on the counts Spark reports): an empty
/// day or too many rows outside the date fail the run before the local output is put in place, and the failed run
/// still writes its summary.
/// </summary>
[TestFixture]
[Category("Process")]
public sealed class SparkDayChecksTests
{
    private static readonly string s_home = Processes.InRepo("tests", "SparkTfrecord.Spark.Tests", "fake-spark");
    private TempFolder _temp = null!;
    private string _logs = null!;
    private int _homes;

    [OneTimeSetUp]
    public void GenerateLogs()
    {
        _temp = new TempFolder("sparktf-daychecks-");
        _logs = _temp["logs"];
        InProcess.GenerateLogs(_logs, 200, 50, 40);
    }

    [OneTimeTearDown]
    public void TearDown() => _temp.Dispose();

    private static Dictionary<string, string?> Env(params (string Key, string? Value)[] extra)
    {
        var env = new Dictionary<string, string?>
        {
            ["SPARK_HOME"] = s_home,
            ["FAKE_SPARK_OUTPUT"] = "auto",
            ["FAKE_SPARK_SAMPLES_FORMAT"] = "header",
            ["HADOOP_HOME"] = null,
        };
        foreach (var (k, v) in extra)
        {
            env[k] = v;
        }

        return env;
    }

    /// <summary>Runs <c>samples</c> in process with a Spark home whose programs set the fake's environment.</summary>
    private ProcessResult Launch(Dictionary<string, string?> environment, string[] args)
    {
        string home = FakeSparkHome.Create(_temp[$"spark-home{Interlocked.Increment(ref _homes)}"],
            environment.Where(e => e.Key is not ("SPARK_HOME" or "HADOOP_HOME")).ToDictionary(e => e.Key, e => e.Value));
        return InProcess.Run([.. args, "--spark-home", home]);
    }

    private string[] Args(string spec, string output, params string[] extra) =>
        ["samples", "--engine", "spark", "--conf", spec, "--date", "2024-05-01", "--input", _logs, "--output", output, "--spark-version", "3.5", .. extra];

    private string Spec(string name, string? checks)
    {
        string din = File.ReadAllText(Processes.InRepo("conf", "din.yaml"));
        const string anchor = "  quarantine: {max_bad_fraction: 0.01}\n";
        Assert.That(din, Does.Contain(anchor));
        return _temp.Write(name + "/din.yaml", checks is null ? din : din.Replace(anchor, anchor + $"  checks: {checks}\n", StringComparison.Ordinal));
    }

    // A previous output as Spark's committer leaves one (_SUCCESS and a part file), which a rerun may replace.
    private static void WritePreviousOutput(string output)
    {
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "_SUCCESS"), "");
        File.WriteAllText(Path.Combine(output, "part-00000-previous"), "x");
    }

    private static void AssertPreviousOutputKept(string output)
    {
        Assert.That(Directory.GetFileSystemEntries(output).Select(Path.GetFileName).Order(StringComparer.Ordinal), Is.EqualTo(new[] { "_SUCCESS", "part-00000-previous" }), "the previous output stays as it was");
        Assert.That(Directory.GetDirectories(Path.GetDirectoryName(output)!, ".dt=*"), Is.Empty, "no work or staging folder remains");
    }

    [TestCase("connector")]
    [TestCase("native")]
    public void A_zero_sample_report_fails_the_day_keeps_the_previous_output_and_writes_a_failed_summary(string writer)
    {
        string output = _temp[$"zero-{writer}/dt=2024-05-01"];
        WritePreviousOutput(output);
        string summaryFile = _temp[$"zero-{writer}/summary.json"];

        var result = Launch(
            Env(("FAKE_SPARK_SAMPLES", "0"), ("FAKE_SPARK_COUNTS", "read_impressions=400 quarantined_impressions=2")),
            Args(Spec("zero-" + writer, null), output, "--writer", writer, "--summary", summaryFile));

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.Output);
            Assert.That(result.Stderr, Does.Contain("the day 2024-05-01 failed its checks: 0 samples written: an empty day"));
            Assert.That(result.Stderr, Does.Contain("Counts: 400 impressions rows read, 2 quarantined, 0 samples, 0 written."));
            Assert.That(result.Stderr, Does.Not.Contain("outside the run date"), "Spark reports that count only for checks.max_outside_day_fraction");
            Assert.That(result.Stderr, Does.Contain("Check the time unit of source 'impressions'").And.Contain("unit: ms").And.Contain("timezone Asia/Shanghai"));
            Assert.That(result.Stderr, Does.Contain("Nothing was committed"));
            AssertPreviousOutputKept(output);
        });
        var summary = JsonDocument.Parse(File.ReadAllText(summaryFile)).RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(summary.GetProperty("status").GetString(), Is.EqualTo("failed"));
            Assert.That(summary.GetProperty("error").GetString(), Does.Contain("an empty day"));
            Assert.That(summary.GetProperty("samples_written").GetInt64(), Is.Zero);
            Assert.That(summary.GetProperty("counts").GetProperty("read.impressions").GetInt64(), Is.EqualTo(400));
            Assert.That(summary.GetProperty("quarantined").GetInt64(), Is.EqualTo(2));
        });
    }

    [Test]
    public void Too_many_rows_outside_the_date_in_the_report_fail_the_day_and_a_share_below_the_limit_passes()
    {
        string spec = Spec("outside", "{max_outside_day_fraction: 0.5}");
        string output = _temp["outside/dt=2024-05-01"];
        WritePreviousOutput(output);

        string summaryFile = _temp["outside/summary.json"];
        var above = Launch(Env(("FAKE_SPARK_SAMPLES", "42"), ("FAKE_SPARK_COUNTS", "read_impressions=400 outside_day=300")), Args(spec, output, "--summary", summaryFile));

        Assert.Multiple(() =>
        {
            Assert.That(above.ExitCode, Is.EqualTo(1), above.Output);
            Assert.That(above.Stderr, Does.Contain("300 of 400 impressions rows (75%) fall outside the run date, more than checks.max_outside_day_fraction (0.5)"));
            Assert.That(above.Stdout, Is.Empty, "stdout carries a summary only for a committed day");
            var summary = JsonDocument.Parse(File.ReadAllText(summaryFile)).RootElement;
            Assert.That(summary.GetProperty("status").GetString(), Is.EqualTo("failed"));
            Assert.That(summary.GetProperty("counts").GetProperty("outside_day").GetInt64(), Is.EqualTo(300));
            AssertPreviousOutputKept(output);
        });

        var below = Launch(Env(("FAKE_SPARK_SAMPLES", "42"), ("FAKE_SPARK_COUNTS", "read_impressions=400 outside_day=100")), Args(spec, output, "--summary", summaryFile));

        Assert.That(below.ExitCode, Is.Zero, below.Output);
        Assert.That(JsonDocument.Parse(File.ReadAllText(summaryFile)).RootElement.GetProperty("status").GetString(), Is.EqualTo("succeeded"));
        Assert.That(File.Exists(Path.Combine(output, "_SUCCESS")), Is.True);
    }
}
