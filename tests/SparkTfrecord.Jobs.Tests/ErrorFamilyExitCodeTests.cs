namespace SparkTfrecord.Jobs.Tests;

/// <summary>
/// The engine's exception families as a user meets them, in process: the exit code <see cref="ErrorReport"/> gives
/// each (1 for a failure, 2 for a usage error) and its one line on stderr, with no stack trace.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class ErrorFamilyExitCodeTests
{
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("sparktf-error-families-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    private static void AssertOneLine(Sparktf.Result result, int exitCode, string line)
    {
        Assert.That(result.ExitCode, Is.EqualTo(exitCode), result.Stderr);
        Assert.That(result.Stderr, Is.EqualTo(line + Environment.NewLine));
        Assert.That(result.Stdout, Is.Empty);
    }

    [Test]
    public void A_missing_input_exits_1_with_its_message()
    {
        string missing = Path.Combine(_root, "no-such-samples");

        var result = InProcess.Run("encode", "--conf", SamplesRuns.Spec, "--input", missing, "--output", Path.Combine(_root, "out"));

        AssertOneLine(result, 1, $"sparktf: {missing}: no such file or folder of Parquet samples.");
    }

    [Test]
    public void A_summary_file_that_cannot_be_written_exits_1_before_anything_runs()
    {
        string folder = Path.Combine(_root, "no-such-folder");
        string summary = Path.Combine(folder, "s.json");

        var result = InProcess.Run(SamplesRuns.Args(Path.Combine(_root, "logs"), Path.Combine(_root, "out"), 2, "--summary", summary));

        AssertOneLine(result, 1, $"sparktf: --summary {summary}: the folder {folder} does not exist, so the summary could not be written; create it or choose another file. Nothing was run.");
        Assert.That(Directory.Exists(Path.Combine(_root, "out")), Is.False);
    }

    [Test]
    public void Spark_options_that_do_not_fit_exit_2()
    {
        var result = InProcess.Run("plan", "--engine", "spark", "--conf", SamplesRuns.Spec, "--date", SamplesRuns.Date,
            "--output", Path.Combine(_root, "out"), "--master", "local[2]", "--deploy-mode", "cluster");

        AssertOneLine(result, 2, "sparktf: --deploy-mode cluster needs a cluster master (yarn, k8s://..., spark://...), not local[2]: a local master runs in client mode.");
    }

    [Test]
    public void A_Spark_version_that_is_not_one_exits_2_naming_the_option()
    {
        var result = InProcess.Run("plan", "--engine", "spark", "--conf", SamplesRuns.Spec, "--date", SamplesRuns.Date,
            "--output", Path.Combine(_root, "out"), "--spark-version", "three");

        AssertOneLine(result, 2, "sparktf: --spark-version: 'three' is not a Spark version: write major.minor such as 3.5, or 3.5/2.13 with the Scala version.");
    }
}
