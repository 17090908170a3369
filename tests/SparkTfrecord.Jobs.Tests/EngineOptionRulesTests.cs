using System.Text.Json;

namespace SparkTfrecord.Jobs.Tests;

/// <summary>
/// An option the chosen engine does not read is refused when the line is parsed (exit 2, naming the option and the
/// engine, nothing run), instead of being silently ignored; and both engines start from the same loaded job (a wrong
/// spec gets the same failed-before-start summary).
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class EngineOptionRulesTests
{
    private static string Spec => SamplesRuns.Spec;
    private const string Date = SamplesRuns.Date;
    private string _root = null!;

    [SetUp]
    public void CreateRoot() => _root = Directory.CreateTempSubdirectory("sparktf-engine-options-").FullName;

    [TearDown]
    public void RemoveRoot() => Directory.Delete(_root, recursive: true);

    [TestCase("--audit")]
    [TestCase("--memory-limit", "2GB")]
    [TestCase("--threads", "2")]
    [TestCase("--spill-dir", "/tmp")]
    [TestCase("--report-html")]
    public void An_embedded_engine_option_is_refused_with_the_spark_engine_before_anything_runs(params string[] option)
    {
        string output = Path.Combine(_root, "out");
        string summary = Path.Combine(_root, "summary.json");
        var result = InProcess.Run(["samples", "--engine", "spark", "--spark-home", _root, "--conf", Spec, "--date", Date, "--output", output, "--summary", summary, .. option]);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.Stderr);
            Assert.That(result.Stderr, Does.Contain($"sparktf: {option[0]} is not supported with --engine spark:"));
            Assert.That(result.Stderr, Does.Not.Contain("Spark not found"), "refused before the launch looked for Spark");
            Assert.That(Directory.Exists(output) || File.Exists(summary), Is.False, "nothing was run or written");
        });
    }

    [Test]
    public void Every_refused_option_is_named_in_one_run()
    {
        var result = InProcess.Run("samples", "--engine", "spark", "--conf", Spec, "--date", Date, "--output", Path.Combine(_root, "out"), "--audit", "--threads", "2");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Stderr, Does.Contain("--audit is not supported").And.Contain("--threads is not supported"));
    }

    [TestCase("samples", "--master", "yarn")]
    [TestCase("samples", "--deploy-mode", "cluster")]
    [TestCase("samples", "--spark-home", "/opt/spark")]
    [TestCase("samples", "--writer", "native")]
    [TestCase("samples", "--connector", "tensorflow")]
    [TestCase("samples", "--spark-conf", "a=b")]
    [TestCase("samples", "--spark-version", "3.5")]
    [TestCase("samples", "--dry-run")]
    [TestCase("plan", "--master", "yarn")]
    [TestCase("plan", "--writer", "native")]
    [TestCase("plan", "--spark-version", "3.5")]
    public void A_spark_option_is_refused_with_the_embedded_engine(string command, params string[] option)
    {
        string output = Path.Combine(_root, "out");
        var result = InProcess.Run([command, "--conf", Spec, "--date", Date, "--input", Path.Combine(_root, "logs"), "--output", output, .. option]);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.Stderr);
            Assert.That(result.Stderr, Does.Contain($"sparktf: {option[0]} applies to --engine spark only"));
            Assert.That(result.Stdout, Is.Empty, "no SQL printed, nothing run");
            Assert.That(Directory.Exists(output), Is.False);
        });
    }

    [Test]
    public void An_option_left_at_its_default_is_not_refused()
    {
        // --memory-limit has a default (1GB): not written, it is not the user's choice, so the Spark engine takes the line.
        var result = InProcess.Run("samples", "--engine", "spark", "--conf", Spec, "--date", Date, "--output", Path.Combine(_root, "out"), "--spark-version", "3.5", "--dry-run");

        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        Assert.That(result.Stdout, Does.StartWith("/* command: "));
    }

    [TestCase("duckdb")]
    [TestCase("spark")]
    public void A_wrong_spec_gets_the_same_failed_before_start_summary_on_both_engines(string engine)
    {
        string spec = Path.Combine(_root, "broken.yaml");
        File.WriteAllText(spec, File.ReadAllText(Spec).Replace("max_bad_fraction:", "max_bad_fractoin:", StringComparison.Ordinal));
        Assume.That(File.ReadAllText(spec), Does.Contain("max_bad_fractoin"), "the spec has the key this test misspells");
        string summary = Path.Combine(_root, "summary.json");
        string output = Path.Combine(_root, "out");

        var result = InProcess.Run("samples", "--engine", engine, "--conf", spec, "--date", Date, "--output", output, "--summary", summary);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Stderr);
        Assert.That(result.Stderr, Does.Contain("max_bad_fractoin"));
        using var json = JsonDocument.Parse(File.ReadAllText(summary));
        Assert.Multiple(() =>
        {
            Assert.That(json.RootElement.GetProperty("status").GetString(), Is.EqualTo("failed"));
            Assert.That(json.RootElement.GetProperty("engine").GetString(), Is.EqualTo(engine));
            Assert.That(json.RootElement.GetProperty("output").GetString(), Is.EqualTo(output));
            Assert.That(json.RootElement.GetProperty("error").GetString(), Does.Contain("max_bad_fractoin"));
        });
    }
}
