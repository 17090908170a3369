using System.Globalization;
using System.Text.Json;

namespace SparkTfrecord.Jobs.Tests.Hostile;

/// <summary>
/// A day that is empty or off (a wrong time unit, too many rows outside the date, fewer samples than the job's limit)
/// fails instead of being committed, with the counts and the likely cause; a failed run still writes its summary; a
/// --summary that cannot be written is refused before any work; a good run removes a stale quarantine file.
/// </summary>
[TestFixture]
[Category("Process")]
[NonParallelizable]
public sealed class SanityChecksTests
{
    private const string Date = "2024-01-15";
    private string _root = null!;
    private string _logs = null!;
    private string _badLogs = null!;

    private static string DinSpec => File.ReadAllText(Path.Combine(Sparktf.RepoRoot, "conf", "din.yaml"));

    [OneTimeSetUp]
    public void GenerateLogs()
    {
        _root = Directory.CreateTempSubdirectory("sparktf-checks-").FullName;
        _logs = Path.Combine(_root, "logs");
        _badLogs = Path.Combine(_root, "bad-logs");
        foreach (var (output, more) in new[] { (_logs, Array.Empty<string>()), (_badLogs, new[] { "--bad-rows", "0.05" }) })
        {
            var gen = Sparktf.Run(["gen-logs", "--output", output, "--date", Date, "--impressions-per-day", "2000", "--users", "500", "--items", "300", "--seed", "3", "--impression-days", "2", .. more]);
            Assert.That(gen.ExitCode, Is.Zero, gen.Stderr);
        }
    }

    [OneTimeTearDown]
    public void RemoveLogs() => Directory.Delete(_root, recursive: true);

    /// <summary>A sandbox with the logs in logs/ and conf/din.yaml, changed by <paramref name="edit"/>, as spec.yaml.</summary>
    private Sandbox Setup(string name, Func<string, string>? edit = null, string? logs = null)
    {
        var box = Sandbox.Create(name);
        box.CopyFolder(logs ?? _logs, "logs");
        string spec = (edit ?? (s => s))(DinSpec);
        box.Write("spec.yaml", spec);
        return box;
    }

    private static string[] Samples(Sandbox box, string output, params string[] more) => SamplesOn(box, Date, output, more);

    private static string[] SamplesOn(Sandbox box, string date, string output, params string[] more) =>
        ["samples", "--conf", box.Path("spec.yaml"), "--date", date, "--input", box.Path("logs"), "--output", box.Path(output), "--shards", "2", .. more];

    private static string WithChecks(string spec, string checks) =>
        Replace(spec, "  quarantine: {max_bad_fraction: 0.01}\n", $"  quarantine: {{max_bad_fraction: 0.01}}\n  checks: {checks}\n");

    private static string Replace(string text, string old, string by)
    {
        Assert.That(text, Does.Contain(old), "conf/din.yaml changed: the test's edit no longer applies");
        return text.Replace(old, by, StringComparison.Ordinal);
    }

    private static IReadOnlyDictionary<string, string> Inside(IReadOnlyDictionary<string, string> files, string folder) =>
        files.Where(f => f.Key.StartsWith(folder + "/", StringComparison.Ordinal)).ToDictionary(f => f.Key, f => f.Value);

    private static long Get(JsonElement e, string name) => e.GetProperty(name).GetInt64();

    [Test]
    public void Times_in_ms_declared_as_s_fail_the_day_naming_the_unit_and_keep_the_previous_output()
    {
        using var box = Setup("unit");
        var good = box.Run(null, Samples(box, "out"));
        Assert.That(good.ExitCode, Is.Zero, good.Stderr);
        box.Write("spec.yaml", Replace(DinSpec, "time: {column: ts, unit: ms},\n                  dedup", "time: {column: ts, unit: s},\n                  dedup"));
        var before = box.Snapshot();

        var result = box.Run(null, Samples(box, "out"));

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.Stderr);
            Assert.That(result.Stderr, Does.Contain("failed its checks").And.Contain("0 samples written").And.Contain("outside the run date"));
            Assert.That(result.Stderr, Does.Contain("unit: s").And.Contain("Read as epoch milliseconds").And.Contain("set unit: ms"));
            Assert.That(result.Stderr, Does.Contain("Asia/Shanghai").And.Contain("Nothing was committed"));
            Assert.That(result.Stderr, Does.Not.Contain("   at "), "no stack trace");
            Assert.That(Inside(box.Snapshot(), "out"), Is.EqualTo(Inside(before, "out")), "the previous output is kept byte for byte");
        });
        box.AssertUntouchedOutside(before, "out");
        box.AssertNoLeftovers();
    }

    [Test]
    public void A_zero_sample_day_fails_by_default_and_commits_nothing()
    {
        using var box = Setup("zero");
        var before = box.Snapshot();

        // The logs' impressions are on 2024-01-14 and 2024-01-15: the 13th reads the 14th's partition and finds no row of its own.
        var result = box.Run(null, SamplesOn(box, "2024-01-13", "out"));

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.Stderr);
            Assert.That(result.Stderr, Does.Contain("the day 2024-01-13 failed its checks").And.Contain("0 samples written: an empty day").And.Contain("min_samples: 0"));
            Assert.That(result.Stderr, Does.Contain("near the date").And.Contain("timezone"));
            Assert.That(Directory.Exists(box.Path("out")), Is.False, "no output was created");
        });
        box.AssertUntouchedOutside(before, "out");
        box.AssertNoLeftovers();
    }

    [Test]
    public void An_expected_empty_day_passes_with_min_samples_0()
    {
        using var box = Setup("zero-ok", s => WithChecks(s, "{min_samples: 0}"));
        var before = box.Snapshot();

        var result = box.Run(null, SamplesOn(box, "2024-01-13", "out"));

        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        using var summary = JsonDocument.Parse(result.Stdout);
        Assert.That(Get(summary.RootElement, "samples_written"), Is.Zero);
        Assert.That(summary.RootElement.GetProperty("status").GetString(), Is.EqualTo("succeeded"));
        Assert.That(File.Exists(box.Path("out", "_SUCCESS")), Is.True);
        box.AssertUntouchedOutside(before, "out");
        box.AssertNoLeftovers();
    }

    [Test]
    public void Min_samples_fails_a_day_below_it_and_passes_a_day_at_it()
    {
        using var box = Setup("min");
        var first = box.Run(null, Samples(box, "first"));
        Assert.That(first.ExitCode, Is.Zero, first.Stderr);
        long written = long.Parse(box.Run(null, "count", box.Path("first")).Stdout.Trim(), CultureInfo.InvariantCulture);
        Assert.That(written, Is.GreaterThan(100));

        box.Write("spec.yaml", WithChecks(DinSpec, $"{{min_samples: {written + 1}}}"));
        var before = box.Snapshot();
        var below = box.Run(null, Samples(box, "out"));

        Assert.Multiple(() =>
        {
            Assert.That(below.ExitCode, Is.EqualTo(1), below.Stderr);
            Assert.That(below.Stderr, Does.Contain($"{written} samples written, fewer than checks.min_samples ({written + 1})"));
            Assert.That(Directory.Exists(box.Path("out")), Is.False);
        });
        box.AssertUntouchedOutside(before, "out");
        box.AssertNoLeftovers();

        box.Write("spec.yaml", WithChecks(DinSpec, $"{{min_samples: {written}}}"));
        before = box.Snapshot();
        var at = box.Run(null, Samples(box, "out"));

        Assert.That(at.ExitCode, Is.Zero, at.Stderr);
        Assert.That(box.Run(null, "count", box.Path("out")).Stdout.Trim(), Is.EqualTo(written.ToString(CultureInfo.InvariantCulture)));
        box.AssertUntouchedOutside(before, "out");
        box.AssertNoLeftovers();
    }

    [Test]
    public void Max_outside_day_fraction_fails_a_day_above_it_and_passes_a_day_below_it()
    {
        // On the 14th the spec reads the 14th's and the 15th's partitions: the 15th's rows are outside the day.
        const string day = "2024-01-14";
        using var box = Setup("outside");
        var first = box.Run(null, SamplesOn(box, day, "first"));
        Assert.That(first.ExitCode, Is.Zero, first.Stderr);
        var counts = JsonDocument.Parse(first.Stdout).RootElement.GetProperty("counts");
        long outside = Get(counts, "outside_day");
        long rows = Get(counts, "read.impressions") - Get(counts, "quarantined.impressions") - Get(counts, "duplicates.impressions");
        double fraction = (double)outside / rows;
        Assert.That(fraction, Is.InRange(0.2, 0.8), "the spec reads the next day's partition too, so part of its rows are outside the day");

        string Limit(double f) => $"{{max_outside_day_fraction: {f.ToString("0.####", CultureInfo.InvariantCulture)}}}";
        box.Write("spec.yaml", WithChecks(DinSpec, Limit(fraction - 0.01)));
        var before = box.Snapshot();
        var above = box.Run(null, SamplesOn(box, day, "out"));

        Assert.Multiple(() =>
        {
            Assert.That(above.ExitCode, Is.EqualTo(1), above.Stderr);
            Assert.That(above.Stderr, Does.Contain($"{outside} of {rows} impressions rows").And.Contain("checks.max_outside_day_fraction"));
            Assert.That(above.Stderr, Does.Contain("unit: ms").And.Contain("timezone"));
            Assert.That(Directory.Exists(box.Path("out")), Is.False);
        });
        box.AssertUntouchedOutside(before, "out");
        box.AssertNoLeftovers();

        box.Write("spec.yaml", WithChecks(DinSpec, Limit(fraction + 0.01)));
        before = box.Snapshot();
        var below = box.Run(null, SamplesOn(box, day, "out"));

        Assert.That(below.ExitCode, Is.Zero, below.Stderr);
        Assert.That(File.Exists(box.Path("out", "_SUCCESS")), Is.True);
        box.AssertUntouchedOutside(before, "out");
        box.AssertNoLeftovers();
    }

    [TestCase("{min_samples: -1}", "min_samples must be a whole number")]
    [TestCase("{min_samples: 1.5}", "min_samples must be a whole number")]
    [TestCase("{max_outside_day_fraction: 1.5}", "max_outside_day_fraction must be a number from 0 to 1")]
    [TestCase("{max_outside: 0.5}", "unknown key 'max_outside'")]
    [TestCase("[1, 2]", "checks must be a mapping")]
    public void A_bad_checks_section_names_the_file_line_and_column(string checks, string message)
    {
        using var box = Setup("bad-checks", s => WithChecks(s, checks));
        var before = box.Snapshot();
        int line = File.ReadAllLines(box.Path("spec.yaml")).ToList().FindIndex(l => l.StartsWith("  checks:", StringComparison.Ordinal)) + 1;

        var result = box.Run(null, Samples(box, "out", "--summary", box.Path("summary.json")));

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Stderr);
        Assert.That(result.Stderr, Does.Contain(message).And.Match($@"spec\.yaml:{line}:\d+: "));
        var summary = JsonDocument.Parse(File.ReadAllText(box.Path("summary.json"))).RootElement;
        Assert.That(summary.GetProperty("status").GetString(), Is.EqualTo("failed"), "a config error is a failed run with a summary too");
        Assert.That(summary.GetProperty("error").GetString(), Does.Contain(message));
        Assert.That(Directory.Exists(box.Path("out")), Is.False);
        box.AssertUntouchedOutside(before, "summary.json");
        box.AssertNoLeftovers();
    }

    [Test]
    public void A_failed_run_writes_its_summary_with_the_status_the_error_and_the_counts()
    {
        using var box = Setup("failed-summary", s => Replace(s, "time: {column: ts, unit: ms},\n                  dedup", "time: {column: ts, unit: s},\n                  dedup"));
        box.Write("reports/summary.json", "{\"an\": \"older summary\"}\n");
        var before = box.Snapshot();

        var result = box.Run(null, Samples(box, "out", "--summary", box.Path("reports", "summary.json")));

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Stderr);
        Assert.That(result.Stdout, Is.Empty, "the summary goes to --summary");
        var summary = JsonDocument.Parse(File.ReadAllText(box.Path("reports", "summary.json"))).RootElement;
        var counts = summary.GetProperty("counts");
        Assert.Multiple(() =>
        {
            Assert.That(summary.GetProperty("status").GetString(), Is.EqualTo("failed"));
            Assert.That(summary.GetProperty("error").GetString(), Does.Contain("failed its checks").And.Contain("set unit: ms"));
            Assert.That(summary.GetProperty("date").GetString(), Is.EqualTo(Date));
            Assert.That(Get(summary, "samples_written"), Is.Zero);
            Assert.That(Get(counts, "read.impressions"), Is.GreaterThan(1000));
            Assert.That(Get(counts, "outside_day"), Is.EqualTo(Get(counts, "read.impressions") - Get(counts, "duplicates.impressions") - Get(counts, "quarantined.impressions")),
                "every impression is outside the day");
            Assert.That(result.Stderr, Does.Contain(summary.GetProperty("error").GetString()));
        });
        box.AssertUntouchedOutside(before, "out", "reports/summary.json");
        box.AssertNoLeftovers();
    }

    [Test]
    public void A_run_that_fails_on_bad_rows_writes_its_summary_with_the_counts()
    {
        using var box = Setup("bad-rows-summary", logs: _badLogs);
        var before = box.Snapshot();

        var result = box.Run(null, Samples(box, "out", "--summary", box.Path("summary.json")));

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Stderr);
        var summary = JsonDocument.Parse(File.ReadAllText(box.Path("summary.json"))).RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(summary.GetProperty("status").GetString(), Is.EqualTo("failed"));
            Assert.That(summary.GetProperty("error").GetString(), Does.Contain("input rows are bad"));
            Assert.That(Get(summary, "quarantined"), Is.GreaterThan(0));
            Assert.That(Get(summary, "rows_read"), Is.GreaterThan(Get(summary, "quarantined")));
            Assert.That(File.Exists(box.Path("out.quarantine.jsonl")), Is.True);
        });
        box.AssertUntouchedOutside(before, "out", "summary.json");
        box.AssertNoLeftovers();
    }

    [Test]
    public void A_summary_pointing_at_a_folder_is_refused_before_any_work()
    {
        using var box = Setup("summary-folder");
        var good = box.Run(null, Samples(box, "out"));
        Assert.That(good.ExitCode, Is.Zero, good.Stderr);
        Directory.CreateDirectory(box.Path("reports"));
        var before = box.Snapshot();

        var result = box.Run(null, Samples(box, "out", "--summary", box.Path("reports")));

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.Stderr);
            Assert.That(result.Stderr, Does.Contain("--summary").And.Contain("is a folder").And.Contain("Nothing was run"));
            Assert.That(result.Stderr, Does.Not.Contain("started"), "no stage of the job ran");
            Assert.That(box.Snapshot(), Is.EqualTo(before), "the output and everything else untouched");
            Assert.That(Directory.GetFileSystemEntries(box.Path("reports")), Is.Empty);
        });
        box.AssertUntouchedOutside(before);
        box.AssertNoLeftovers();
    }

    [Test]
    public void A_summary_in_a_missing_folder_is_refused_before_any_work()
    {
        using var box = Setup("summary-missing");
        var before = box.Snapshot();

        var result = box.Run(null, Samples(box, "out", "--summary", box.Path("no-such-folder", "summary.json")));

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Stderr);
        Assert.That(result.Stderr, Does.Contain("no-such-folder").And.Contain("does not exist").And.Contain("Nothing was run"));
        Assert.That(Directory.Exists(box.Path("out")), Is.False);
        box.AssertUntouchedOutside(before, "out");
        box.AssertNoLeftovers();
    }

    [Test]
    public void A_good_run_removes_the_quarantine_file_an_earlier_failed_run_left()
    {
        using var box = Setup("stale-quarantine", logs: _badLogs);
        var failed = box.Run(null, Samples(box, "out"));
        Assert.That(failed.ExitCode, Is.EqualTo(1), failed.Stderr);
        Assert.That(failed.Stderr, Does.Contain("out.quarantine.jsonl"));
        Assert.That(File.ReadAllLines(box.Path("out.quarantine.jsonl")), Is.Not.Empty);
        var before = box.Snapshot();

        var good = box.Run(null, Samples(box, "out", "--max-bad-fraction", "0.2"));

        Assert.That(good.ExitCode, Is.Zero, good.Stderr);
        Assert.That(File.Exists(box.Path("out.quarantine.jsonl")), Is.False, "the stale quarantine file is gone");
        Assert.That(File.ReadAllLines(box.Path("out", "_quarantine", "rows.jsonl")), Is.Not.Empty, "this run's bad rows are kept inside its output");
        box.AssertUntouchedOutside(before, "out");
        box.AssertNoLeftovers();
    }
}
