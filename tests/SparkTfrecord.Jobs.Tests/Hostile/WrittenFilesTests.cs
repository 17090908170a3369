namespace SparkTfrecord.Jobs.Tests.Hostile;

/// <summary>
/// The files validate writes after its read (<c>--report</c>, <c>--html</c>, <c>--save-stats</c>) and
/// <c>spec export --output</c> are checked before anything is read: before, <c>validate out/dt=D --html
/// out/dt=D/part-00000...</c> replaced a shard with the page and <c>spec export --spec s.yaml --output s.yaml</c>
/// replaced the spec with its export, both with exit 0. The same for <c>samples --summary</c>: a summary given as an
/// input file replaced it (exit 0), one inside the output was written among the part files.
/// </summary>
[TestFixture]
[Category("Fast")]
internal sealed class WrittenFilesTests
{
    private const string Spec = "spec: 1\nfeatures:\n  - {name: label, dtype: int64, role: label}\n  - {name: item, dtype: string}\n";

    private static Sandbox Dataset(string name)
    {
        var sandbox = Sandbox.Create(name);
        sandbox.Write("spec.yaml", Spec);
        sandbox.Write("in.jsonl", "{\"label\": {\"int64\": [1]}, \"item\": {\"bytes\": [\"a\"]}}\n{\"label\": {\"int64\": [0]}, \"item\": {\"bytes\": [\"b\"]}}\n");
        Directory.CreateDirectory(sandbox.Path("day"));
        var written = InProcess.Run("write", "--input", sandbox.Path("in.jsonl"), "--output", sandbox.Path("day", "part-00000.tfrecord"));
        Assert.That(written.ExitCode, Is.Zero, written.Stderr);
        sandbox.Write("day/_SUCCESS", "");
        sandbox.Write("users.parquet", "PAR1 not really");
        return sandbox;
    }

    private static Sparktf.Result Validate(Sandbox sandbox, params string[] more) =>
        InProcess.Run(["validate", "--spec", sandbox.Path("spec.yaml"), sandbox.Path("day"), .. more]);

    [TestCase("--html", "day/part-00000.tfrecord", "is one of the files being read")]
    [TestCase("--save-stats", "day/part-00000.tfrecord", "is one of the files being read")]
    [TestCase("--report", "day/part-00000.tfrecord", "is one of the files being read")]
    [TestCase("--save-stats", "day/stats.json", "a later read of that folder would take it as a TFRecord file")]
    [TestCase("--html", "day/sub/report.html", "a later read of that folder would take it as a TFRecord file")]
    [TestCase("--html", "day/report.html", "a later read of that folder would take it as a TFRecord file", "day/part-0000*")]
    [TestCase("--html", "day/report.html", "a later read of that folder would take it as a TFRecord file", "day/part-00000.tfrecord")]
    [TestCase("--html", "users.parquet", "exists and is not an HTML page")]
    [TestCase("--save-stats", "users.parquet", "exists and is not a JSON file")]
    [TestCase("--html", "day", "is a folder")]
    [TestCase("--html", "reports/day.html", "does not exist; create it")]
    [TestCase("--save-stats", "stats/day.json", "does not exist; create it")]
    public void A_written_file_that_would_replace_data_is_refused_before_reading(string option, string target, string problem, string read = "day")
    {
        using var sandbox = Dataset("validate-targets");
        var before = sandbox.Snapshot();

        var result = InProcess.Run("validate", "--spec", sandbox.Path("spec.yaml"), sandbox.Path(read), option, sandbox.Path(target));

        CrashTests.AssertMessage(result, 2, option, problem, "Nothing was read");
        sandbox.AssertUntouchedOutside(before);
    }

    [Test]
    public void A_page_beside_a_lone_file_outside_any_output_is_written()
    {
        using var sandbox = Dataset("validate-lone-file");
        File.Delete(sandbox.Path("day", "_SUCCESS"));
        var result = InProcess.Run("validate", "--spec", sandbox.Path("spec.yaml"), sandbox.Path("day", "part-00000.tfrecord"), "--html", sandbox.Path("day", "report.html"));
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        Assert.That(File.ReadAllText(sandbox.Path("day", "report.html")), Does.StartWith("<!DOCTYPE html>"));
    }

    [Test]
    public void Two_options_writing_one_file_are_refused()
    {
        using var sandbox = Dataset("validate-same-target");
        var result = Validate(sandbox, "--html", sandbox.Path("r.out"), "--report", sandbox.Path("r.out"));
        CrashTests.AssertMessage(result, 2, "--html and --report are the same file");
        Assert.That(File.Exists(sandbox.Path("r.out")), Is.False);
    }

    [Test]
    public void Marker_names_in_the_dataset_a_rerun_over_its_own_files_and_a_rolling_baseline_are_written()
    {
        using var sandbox = Dataset("validate-own-targets");
        string[] outputs = ["--html", sandbox.Path("day", "_report.html"), "--save-stats", sandbox.Path("day", "_stats.json"), "--report", sandbox.Path("report.json")];

        Assert.That(Validate(sandbox, outputs).ExitCode, Is.Zero);
        Assert.That(File.ReadAllText(sandbox.Path("day", "_report.html")), Does.StartWith("<!DOCTYPE html>"));
        Assert.That(Validate(sandbox, outputs).ExitCode, Is.Zero, "yesterday's files are replaced");

        // Yesterday's statistics as the baseline, replaced by today's: read before written.
        var rolling = Validate(sandbox, "--baseline", sandbox.Path("day", "_stats.json"), "--save-stats", sandbox.Path("day", "_stats.json"));
        Assert.That(rolling.ExitCode, Is.Zero, rolling.Stderr);
    }

    [Test]
    public void Spec_export_over_its_own_spec_or_a_data_file_is_refused_and_elsewhere_is_written()
    {
        using var sandbox = Dataset("spec-export-target");
        var before = sandbox.Snapshot();

        var refused = InProcess.Run("spec", "export", "--spec", sandbox.Path("spec.yaml"), "--target", "json", "--output", sandbox.Path("spec.yaml"));

        CrashTests.AssertMessage(refused, 2, "--output", "is one of the files being read");
        sandbox.AssertUntouchedOutside(before);
        var binary = InProcess.Run("spec", "export", "--spec", sandbox.Path("spec.yaml"), "--target", "json", "--output", sandbox.Path("day", "part-00000.tfrecord"));
        CrashTests.AssertMessage(binary, 2, "--output", "exists and is not a text file");
        sandbox.AssertUntouchedOutside(before);
        var written = InProcess.Run("spec", "export", "--spec", sandbox.Path("spec.yaml"), "--target", "json", "--output", sandbox.Path("spec.json"));
        Assert.That(written.ExitCode, Is.Zero, written.Stderr);
        Assert.That(File.ReadAllText(sandbox.Path("spec.json")), Does.Contain("\"item\""));
    }

    [TestCase("logs/users/part-00000.parquet", "is inside the input")]
    [TestCase("out/dt=2024-01-15/summary.json", "is inside the output")]
    [TestCase("spec.yaml", "exists and is not a JSON file")]
    public void A_samples_summary_among_the_inputs_in_the_output_or_over_another_file_is_refused_before_the_run(string summary, string problem)
    {
        using var sandbox = Sandbox.Create("samples-summary-target");
        var gen = InProcess.Run("gen-logs", "--output", sandbox.Path("logs"), "--date", "2024-01-16", "--days", "3", "--impressions-per-day", "50", "--users", "5", "--items", "5");
        Assert.That(gen.ExitCode, Is.Zero, gen.Stderr);
        sandbox.Write("spec.yaml", Spec);
        var before = sandbox.Snapshot();

        var result = InProcess.Run("samples", "--conf", Path.Combine(Sparktf.RepoRoot, "conf", "din.yaml"), "--date", "2024-01-15", "--input", sandbox.Path("logs"),
            "--output", sandbox.Path("out", "dt=2024-01-15"), "--summary", sandbox.Path(summary));

        CrashTests.AssertMessage(result, 2, "--summary", problem, "Nothing was run");
        sandbox.AssertUntouchedOutside(before);
        Assert.That(Directory.Exists(sandbox.Path("out")), Is.False);
    }

    [TestCase("users.parquet", "is inside the input")]
    [TestCase("encoded/summary.json", "is inside the output")]
    [TestCase("spec.yaml", "exists and is not a JSON file")]
    public void An_encode_summary_among_the_inputs_in_the_output_or_over_another_file_is_refused_before_the_run(string summary, string problem)
    {
        using var sandbox = Dataset("encode-summary-target");
        var before = sandbox.Snapshot();

        var result = InProcess.Run("encode", "--spec", Path.Combine(Sparktf.RepoRoot, "conf", "din.yaml"), "--input", sandbox.Path("users.parquet"), "--output", sandbox.Path("encoded"),
            "--summary", sandbox.Path(summary));

        CrashTests.AssertMessage(result, 2, "--summary", problem, "Nothing was run");
        sandbox.AssertUntouchedOutside(before);
    }
}
