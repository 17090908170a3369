using System.Globalization;

namespace SparkTfrecord.Jobs.Tests.Report;

/// <summary>
/// The samples job's <c>checks: {baseline: previous_day}</c> (docs/report.md): a first day passes with a note; a day
/// whose distribution moved past a drift threshold from the previous day's <c>_stats.json</c> fails before committing
/// (exit 3, the feature named) and leaves that day's previous output byte for byte; an unmoved day passes.
/// </summary>
[TestFixture]
[Category("Process")]
public sealed class SamplesDriftCheckTests
{
    private static readonly string s_previousDate = DateOnly.ParseExact(SamplesRuns.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private LogsFolder _folder = null!;
    private string _spec = null!;
    private Sparktf.Result _firstDay = null!;

    [OneTimeSetUp]
    public void RunFirstDay()
    {
        _folder = new LogsFolder("sparktf-drift-check-");
        _spec = Path.Combine(_folder.Root, "din-checked.yaml");

        // conf/din.yaml with the check: its job section is the file's last mapping.
        File.WriteAllText(_spec, File.ReadAllText(SamplesRuns.Spec) + "\n  checks: {baseline: previous_day}\n");
        _firstDay = Run("first");
    }

    [OneTimeTearDown]
    public void Remove() => _folder.Dispose();

    private string Template(string run) => Path.Combine(_folder.Root, run, "dt={date}");

    private string Day(string run, string date) => Path.Combine(_folder.Root, run, "dt=" + date);

    private Sparktf.Result Run(string run, string? output = null) =>
        Sparktf.Run(["samples", "--conf", _spec, "--date", SamplesRuns.Date, "--input", _folder.Logs, "--output", output ?? Template(run), "--shards", "2"]);

    [Test]
    public void The_first_day_has_no_previous_statistics_passes_with_a_note_and_writes_its_own()
    {
        Assert.That(_firstDay.ExitCode, Is.Zero, _firstDay.Stderr);
        Assert.That(_firstDay.Stderr, Does.Contain($"baseline previous_day: no statistics of {s_previousDate}").And.Contain("the day passes"));
        string day = Day("first", SamplesRuns.Date);
        Assert.That(File.Exists(Path.Combine(day, "_SUCCESS")), Is.True);
        Assert.That(File.ReadAllText(Path.Combine(day, "_stats.json")), Does.Contain("\"format\": \"sparktf-statistics\"").Or.Contain("\"format\":\"sparktf-statistics\""));
    }

    [Test]
    public void A_day_that_moved_past_a_threshold_fails_before_committing_and_leaves_its_previous_output()
    {
        Assert.That(_firstDay.ExitCode, Is.Zero, _firstDay.Stderr);
        string day = Day("drift", SamplesRuns.Date);
        CopyFolder(Day("first", SamplesRuns.Date), day);
        var before = Snapshot(day);

        // The previous day's statistics: the same samples with four genders in five changed to "0".
        string shifted = Path.Combine(_folder.Root, "shifted");
        TfRecordRewrite.Folder(day, shifted, (i, record) => { if (i % 5 != 0) { TfRecordRewrite.Bytes(record, "gender")[0] = "0"; } });
        Directory.CreateDirectory(Day("drift", s_previousDate));
        var save = Sparktf.Run("validate", "--spec", _spec, shifted, "--save-stats", Path.Combine(Day("drift", s_previousDate), "_stats.json"));
        Assert.That(save.ExitCode, Is.Zero, save.Stdout + save.Stderr);

        var r = Run("drift");

        Assert.That(r.ExitCode, Is.EqualTo(3), r.Stdout + r.Stderr);
        Assert.That(r.Stderr, Does.Contain($"the day {SamplesRuns.Date} drifted from {s_previousDate}").And.Contain("feature 'gender': COMPARATOR_L_INFTY_HIGH").And.Contain("Nothing was committed"));
        Assert.That(Snapshot(day), Is.EqualTo(before), "the day's previous output changed");
    }

    [Test]
    public void A_day_as_the_previous_day_passes_and_is_committed()
    {
        Assert.That(_firstDay.ExitCode, Is.Zero, _firstDay.Stderr);
        Directory.CreateDirectory(Day("same", s_previousDate));
        File.Copy(Path.Combine(Day("first", SamplesRuns.Date), "_stats.json"), Path.Combine(Day("same", s_previousDate), "_stats.json"));

        var r = Run("same");

        Assert.That(r.ExitCode, Is.Zero, r.Stdout + r.Stderr);
        Assert.That(r.Stderr, Does.Not.Contain("baseline previous_day: no statistics"));
        Assert.That(File.Exists(Path.Combine(Day("same", SamplesRuns.Date), "_SUCCESS")), Is.True);
        Assert.That(File.Exists(Path.Combine(Day("same", SamplesRuns.Date), "_stats.json")), Is.True);
    }

    [Test]
    public void An_output_without_date_is_refused_since_it_has_no_previous_day()
    {
        string output = Path.Combine(_folder.Root, "literal", "out");

        var r = Run("literal", output);

        Assert.That(r.ExitCode, Is.EqualTo(1), r.Stdout + r.Stderr);
        Assert.That(r.Stderr, Does.Contain("checks.baseline: previous_day").And.Contain("needs an --output with {date}"));
        Assert.That(File.Exists(Path.Combine(output, "_SUCCESS")), Is.False);
    }

    [Test]
    public void The_spark_engine_refuses_the_check_it_cannot_run_instead_of_committing_unchecked()
    {
        string fakeSpark = Path.Combine(Sparktf.RepoRoot, "tests", "SparkTfrecord.Spark.Tests", "fake-spark");
        string output = Path.Combine(_folder.Root, "spark", "dt={date}");

        var r = Sparktf.Run(["samples", "--engine", "spark", "--spark-home", fakeSpark, "--spark-version", "3.5", "--writer", "native",
            "--conf", _spec, "--date", SamplesRuns.Date, "--input", _folder.Logs, "--output", output]);

        Assert.That(r.ExitCode, Is.EqualTo(1), r.Stdout + r.Stderr);
        Assert.That(r.Stderr, Does.Contain("job.checks.baseline").And.Contain("embedded engine only"));
        Assert.That(Directory.Exists(Path.Combine(_folder.Root, "spark")), Is.False, "nothing was written");
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }

    private static SortedDictionary<string, string> Snapshot(string folder) => new(
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(
            f => Path.GetRelativePath(folder, f),
            f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))),
        StringComparer.Ordinal);
}
