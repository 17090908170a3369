using System.Globalization;
using System.Text.Json;
using static SparkTfrecord.Jobs.Tests.SamplesRuns;

namespace SparkTfrecord.Jobs.Tests;

/// <summary>
/// sparktf gen-logs, samples and plan in process: the output layout, the summary, byte-identical reruns, date ranges,
/// --no-clobber, the plan's SQL and a bad job section's message (<see cref="SamplesCommandTests"/> has the kills and
/// signals, which need a process).
/// </summary>
[TestFixture]
[Category("Fast")]
[NonParallelizable]
public sealed class SamplesCommandFastTests
{
    private LogsFolder _folder = null!;
    private Sparktf.Result _first = null!;

    private static string Spec => SamplesRuns.Spec;

    [OneTimeSetUp]
    public void GenerateLogs()
    {
        _folder = new LogsFolder("sparktf-samples-fast-");

        // One run that several tests read (a run of the job is the costly step; none of them changes its output).
        _first = InProcess.Run(SamplesArgs(First));
    }

    [OneTimeTearDown]
    public void RemoveLogs() => _folder.Dispose();

    private string Out(string name) => _folder.Out(name);

    private string[] SamplesArgs(string output, params string[] more) => _folder.SamplesArgs(output, more);

    private string First => Out("first");

    [Test]
    public void Samples_writes_parts_manifest_success_and_a_json_summary()
    {
        string output = First;
        var result = _first;

        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        var names = Directory.GetFileSystemEntries(output).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.That(names, Is.EqualTo(new[] { "_SUCCESS", "_manifest.json", "part-00000-of-00004.tfrecord.gz", "part-00001-of-00004.tfrecord.gz", "part-00002-of-00004.tfrecord.gz", "part-00003-of-00004.tfrecord.gz" }));
        using var summary = JsonDocument.Parse(result.Stdout);
        long written = summary.RootElement.GetProperty("samples_written").GetInt64();
        Assert.That(summary.RootElement.GetProperty("version").GetInt32(), Is.EqualTo(1));
        Assert.That(written, Is.GreaterThan(7_000));
        Assert.That(summary.RootElement.GetProperty("positives").GetInt64(), Is.InRange(written / 100, written / 10));
        Assert.That(summary.RootElement.GetProperty("dropped").GetProperty("duplicate_impressions").GetInt64(), Is.GreaterThan(0));
        Assert.That(summary.RootElement.GetProperty("missing_profiles").GetProperty("users").GetInt64(), Is.GreaterThan(0));

        var count = InProcess.Run("count", output);
        Assert.That(count.Stdout.Trim(), Is.EqualTo(written.ToString(CultureInfo.InvariantCulture)));
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "_manifest.json")));
        Assert.That(manifest.RootElement.GetProperty("records").GetInt64(), Is.EqualTo(written));
        Assert.That(manifest.RootElement.GetProperty("spec").GetProperty("hash").GetString(), Does.Match("^[0-9a-f]{64}$"));
        Assert.That(manifest.RootElement.GetProperty("shards").EnumerateArray().Sum(s => s.GetProperty("records").GetInt64()), Is.EqualTo(written));
        Assert.That(result.Stderr, Does.Contain("write"), "progress is shown on stderr");
    }

    [Test]
    public void The_output_passes_validate_against_the_spec()
    {
        Assert.That(_first.ExitCode, Is.Zero, _first.Stderr);

        var result = InProcess.Run("validate", "--spec", Spec, First);

        Assert.That(result.ExitCode, Is.Zero, result.Stdout + result.Stderr);
    }

    [Test]
    public void A_date_range_writes_one_output_per_day_and_audit_parquet_on_request()
    {
        string template = Path.Combine(_folder.Root, "out", "backfill", "dt={date}");

        var result = InProcess.Run("samples", "--conf", Spec, "--date", "2024-01-14..2024-01-15", "--input", _folder.Logs, "--output", template, "--shards", "2", "--audit");

        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        using var summaries = JsonDocument.Parse(result.Stdout);
        Assert.That(summaries.RootElement.GetArrayLength(), Is.EqualTo(2));
        foreach (string day in new[] { "2024-01-14", "2024-01-15" })
        {
            string output = template.Replace("{date}", day, StringComparison.Ordinal);
            AssertComplete(output, shards: 2);
            Assert.That(new FileInfo(Path.Combine(output, "_audit", "samples.parquet")).Length, Is.GreaterThan(0));
        }

        var refused = InProcess.Run("samples", "--conf", Spec, "--date", "2024-01-14..2024-01-15", "--input", _folder.Logs, "--output", Out("no-template"));
        Assert.That(refused.ExitCode, Is.EqualTo(2));
        Assert.That(refused.Stderr, Does.Contain("{date}"));
    }

    [Test]
    public void Two_runs_give_byte_identical_files()
    {
        string first = First;
        string second = Out("same-2");

        Assert.That(_first.ExitCode, Is.Zero, _first.Stderr);
        Assert.That(InProcess.Run(SamplesArgs(second, "--threads", "1")).ExitCode, Is.Zero);

        foreach (string file in Directory.GetFiles(first).Select(f => Path.GetFileName(f)).Where(n => n.StartsWith("part-", StringComparison.Ordinal) || n == "_manifest.json"))
        {
            Assert.That(File.ReadAllBytes(Path.Combine(second, file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(first, file))), file);
        }
    }

    [Test]
    public void No_clobber_refuses_an_existing_output()
    {
        Assert.That(_first.ExitCode, Is.Zero, _first.Stderr);
        byte[] manifest = File.ReadAllBytes(Path.Combine(First, "_manifest.json"));

        var result = InProcess.Run(SamplesArgs(First, "--no-clobber"));

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Stderr, Does.Contain("--no-clobber"));
        Assert.That(File.ReadAllBytes(Path.Combine(First, "_manifest.json")), Is.EqualTo(manifest), "the existing output is untouched");
    }

    [Test]
    public void Plan_prints_the_sql_without_running_it()
    {
        var result = InProcess.Run("plan", "--conf", Spec, "--date", Date, "--input", _folder.Logs);

        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        Assert.That(result.Stdout, Does.Contain("CREATE OR REPLACE TEMP TABLE \"labels\"")
            .And.Contain("CREATE OR REPLACE TEMP TABLE \"hist_events_0\"")
            .And.Contain("CREATE OR REPLACE TEMP TABLE \"samples\"")
            .And.Contain("read_parquet"));
        Assert.That(result.Stdout, Does.Contain((15L * 86_400 * 1_000_000).ToString(CultureInfo.InvariantCulture)),
            "the 15-day history window, in microseconds, appears in the rendered SQL");
    }

    [Test]
    public void A_bad_job_section_is_reported_with_file_line_and_column()
    {
        string spec = Path.Combine(_folder.Root, "bad.yaml");
        File.WriteAllText(spec, File.ReadAllText(Spec).Replace("within: 30m", "within: soon", StringComparison.Ordinal));

        var result = InProcess.Run("samples", "--conf", spec, "--date", Date, "--input", _folder.Logs, "--output", Out("bad"));

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Stderr, Does.Match(@"bad\.yaml:\d+:\d+: within 'soon' is not a duration"));
    }
}
