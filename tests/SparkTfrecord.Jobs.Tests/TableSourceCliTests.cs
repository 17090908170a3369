using System.Text.Json;

namespace SparkTfrecord.Jobs.Tests;

/// <summary>
/// A metastore source (<c>table:</c>) through the command line: the embedded engine refuses it before anything runs,
/// naming the source and the path form to write instead (exit 1, the failed summary written); the Spark engine's plan
/// reads the table.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class TableSourceCliTests
{
    private const string ClicksPath = "clicks:      {path: \"{input}/clicks/dt={date-15d..date+1d}\", format: parquet,";
    private string _root = null!;
    private string _spec = null!;

    [SetUp]
    public void WriteSpec()
    {
        _root = Directory.CreateTempSubdirectory("sparktf-table-source-").FullName;
        string din = File.ReadAllText(SamplesRuns.Spec);
        Assert.That(din, Does.Contain(ClicksPath), "conf/din.yaml reads clicks by this path");
        _spec = Path.Combine(_root, "din-tables.yaml");
        File.WriteAllText(_spec, din.Replace(ClicksPath, "clicks: {table: logs.clicks, partition: {column: dt, days: \"{date-15d..date+1d}\"},", StringComparison.Ordinal));
    }

    [TearDown]
    public void RemoveRoot() => Directory.Delete(_root, recursive: true);

    [Test]
    public void Samples_on_the_embedded_engine_refuses_a_table_source_naming_the_path_form()
    {
        string output = Path.Combine(_root, "out");
        string summary = Path.Combine(_root, "summary.json");

        var result = InProcess.Run("samples", "--conf", _spec, "--date", SamplesRuns.Date, "--input", Path.Combine(_root, "logs"), "--output", output, "--summary", summary);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.Stderr);
            Assert.That(result.Stderr, Does.StartWith($"sparktf: {_spec}: source 'clicks' reads the metastore table logs.clicks (table:), which only --engine spark can read")
                .And.Contain("path: \"{input}/.../clicks/dt={date-15d..date+1d}\""));
            Assert.That(Directory.Exists(output), Is.False, "nothing was written");
        });
        using var json = JsonDocument.Parse(File.ReadAllText(summary));
        Assert.That(json.RootElement.GetProperty("status").GetString(), Is.EqualTo("failed"));
    }

    [Test]
    public void Plan_on_the_embedded_engine_refuses_it_and_prints_no_sql()
    {
        var result = InProcess.Run("plan", "--conf", _spec, "--date", SamplesRuns.Date, "--input", Path.Combine(_root, "logs"));

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Stdout, Is.Empty);
        Assert.That(result.Stderr, Does.Contain("source 'clicks' reads the metastore table logs.clicks"));
    }

    [Test]
    public void Plan_on_the_spark_engine_reads_the_table_pruned_to_the_days()
    {
        var result = InProcess.Run("plan", "--engine", "spark", "--conf", _spec, "--date", SamplesRuns.Date, "--input", "hdfs:///logs", "--output", "hdfs:///out", "--master", "yarn");

        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        // 2024-01-15 - 15 days .. + 1 day: 2023-12-31 to 2024-01-16, 17 days in yyyy-MM-dd (the default format).
        Assert.That(result.Stdout, Does.Contain("FROM `logs`.`clicks` WHERE `dt` IN ('2023-12-31', '2024-01-01', "));
        Assert.That(result.Stdout, Does.Contain(", '2024-01-15', '2024-01-16'))"));
        Assert.That(System.Text.RegularExpressions.Regex.Matches(result.Stdout, @"FROM `logs`.`clicks` WHERE `dt` IN \(([^)]*)\)")[0].Groups[1].Value.Split(", "), Has.Length.EqualTo(17));
    }
}
