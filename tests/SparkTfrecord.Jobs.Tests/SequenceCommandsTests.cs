using System.Text.Json;
using SparkTfrecord.Tfrecord.Example;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Jobs.Tests;

/// <summary>
/// Sequence samples (issue 14) through the commands, run in process: validate checks each record of a sequence spec
/// (tests/spec-cases/sequence/din_seq.yaml) is a SequenceExample whose history has at most max_length frames and whose
/// companions have as many frames as it, of the declared kinds; inspect --seq prints them and refuses a file of
/// Examples; the Spark engine refuses the spec. The records are written here with the format library.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class SequenceCommandsTests
{
    private static readonly FeatureKey s_label = new("label");
    private static readonly FeatureKey s_request = new("request_id");
    private static readonly FeatureKey s_user = new("user_id");
    private static readonly FeatureKey s_item = new("item_id");
    private static readonly FeatureKey s_items = new("clicked_items");
    private static readonly FeatureKey s_ages = new("clicked_age_s");
    private static readonly FeatureKey s_categories = new("clicked_categories");

    private string _temp = null!;

    [SetUp]
    public void SetUp() => _temp = Directory.CreateTempSubdirectory("sparktf-seq-cli-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_temp, recursive: true);

    private static string Spec => Path.Combine(Sparktf.RepoRoot, "tests", "spec-cases", "sequence", "din_seq.yaml");

    [Test]
    public void Validate_of_aligned_sequence_examples_is_clean()
    {
        var r = InProcess.Run("validate", "--spec", Spec, Write("clean.tfrecord"));

        Assert.That(r.ExitCode, Is.Zero, r.Stdout + r.Stderr);
        Assert.That(r.Stdout, Does.Contain("result: clean"));
    }

    [Test]
    public void Validate_names_the_record_whose_companion_has_another_number_of_frames()
    {
        string data = Write("misaligned.tfrecord", misaligned: 2);

        var r = InProcess.Run("validate", "--spec", Spec, data);

        Assert.That(r.ExitCode, Is.EqualTo(3), r.Stdout + r.Stderr);
        Assert.That(r.Stdout, Does.Contain($"anomaly: feature 'clicked_categories': SEQUENCE_STEPS_MISALIGNED: 1 record have a number of frames other than their history's " +
            $"(for example 1 frames against 2 of 'clicked_items') (first: {data} record 2)"));
        Assert.That(r.Stdout, Does.Not.Contain("'clicked_age_s': SEQUENCE_STEPS_MISALIGNED"));
    }

    [Test]
    public void Validate_reports_a_history_longer_than_its_max_length()
    {
        string data = Write("long.tfrecord", frames: i => i == 3 ? 4 : i % 3);

        var r = InProcess.Run("validate", "--spec", Spec, data);

        Assert.That(r.ExitCode, Is.EqualTo(3), r.Stdout + r.Stderr);
        Assert.That(r.Stdout, Does.Contain($"anomaly: feature 'clicked_items': FEATURE_TYPE_HIGH_NUMBER_VALUES: 1 record have more than 3 frames, the history's max_length (for example 4) (first: {data} record 3)"));
        Assert.That(r.Stdout, Does.Contain("anomaly: feature 'clicked_age_s': FEATURE_TYPE_HIGH_NUMBER_VALUES:"), "a companion follows its history's max_length");
    }

    [Test]
    public void Validate_reports_a_frame_of_the_wrong_kind()
    {
        string data = Write("kind.tfrecord", floatAges: 1);

        var r = InProcess.Run("validate", "--spec", Spec, data);

        Assert.That(r.ExitCode, Is.EqualTo(3), r.Stdout + r.Stderr);
        Assert.That(r.Stdout, Does.Contain($"anomaly: feature 'clicked_age_s': UNEXPECTED_DATA_TYPE: 1 record hold float values, expected int64 (first: {data} record 1)"));
    }

    [Test]
    public void Validate_with_a_sequence_spec_reports_records_that_are_examples()
    {
        string data = WriteExamples("examples.tfrecord");

        var r = InProcess.Run("validate", "--spec", Spec, data);

        Assert.That(r.ExitCode, Is.EqualTo(3), r.Stdout + r.Stderr);
        Assert.That(r.Stdout, Does.Contain($"anomaly: feature 'clicked_items': NOT_A_SEQUENCE_EXAMPLE: 2 records are not tf.train.SequenceExamples (no feature_lists field: a tf.train.Example?)"));
        Assert.That(r.Stdout, Does.Contain($"(first: {data} record 0)"));
    }

    [Test]
    public void Inspect_seq_prints_the_context_and_the_feature_lists()
    {
        var r = InProcess.Run("inspect", "--seq", Write("clean.tfrecord"), "--limit", "3");

        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(3));
        using var record = JsonDocument.Parse(lines[2]);
        Assert.That(record.RootElement.GetProperty("context").GetProperty("request_id").GetProperty("bytes")[0].GetString(), Is.EqualTo("r2"));
        var lists = record.RootElement.GetProperty("feature_lists");
        Assert.That(lists.GetProperty("clicked_items").EnumerateArray().Select(f => f.GetProperty("bytes")[0].GetString()), Is.EqualTo(new[] { "i0", "i1" }));
        Assert.That(lists.GetProperty("clicked_age_s").EnumerateArray().Select(f => f.GetProperty("int64")[0].GetInt64()), Is.EqualTo(new long[] { 60, 120 }));
    }

    [Test]
    public void Inspect_seq_on_a_file_of_examples_says_so_and_prints_nothing()
    {
        string data = WriteExamples("examples.tfrecord");

        var r = InProcess.Run("inspect", "--seq", data);

        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Stdout, Is.Empty);
        Assert.That(r.Stderr, Does.Contain($"{data}: record at byte offset 0: none of the file's first 2 records has a feature_lists field: " +
            "the file holds tf.train.Examples, not tf.train.SequenceExamples. Read it without --seq."));
    }

    [TestCase("samples")]
    [TestCase("plan")]
    public void The_spark_engine_refuses_a_sequence_spec_with_exit_2(string command)
    {
        var r = InProcess.Run(command, "--spec", Spec, "--date", "2024-01-15", "--input", _temp, "--output", Path.Combine(_temp, "out"), "--engine", "spark");

        Assert.That(r.ExitCode, Is.EqualTo(2), r.Stderr);
        Assert.That(r.Stderr, Does.Contain("feature 'clicked_items' is a sequence (shape: seq), and the Spark engine writes tf.train.Example records only: run this job with --engine duckdb"));
        Assert.That(Directory.Exists(Path.Combine(_temp, "out")), Is.False);
    }

    // Six records as the job writes them for din_seq.yaml: record i has frames(i) steps (by default i % 3), ages 60, 120, ...
    private string Write(string name, int misaligned = -1, int floatAges = -1, Func<int, int>? frames = null)
    {
        string path = Path.Combine(_temp, name);
        using var writer = TfRecordWriter.Create(path);
        var e = new SequenceExampleEncoder();
        for (int i = 0; i < 6; i++)
        {
            int n = frames?.Invoke(i) ?? i % 3;
            e.Clear();
            e.AddInt64List(s_label, [i % 2]);
            e.AddStringList(s_request, ["r" + i]);
            e.AddStringList(s_user, ["u1"]);
            e.AddStringList(s_item, ["A"]);
            e.BeginFeatureList(s_items);
            for (int k = 0; k < n; k++)
            {
                e.AddStringFrame(["i" + k]);
            }

            e.EndFeatureList();
            e.BeginFeatureList(s_ages);
            for (int k = 0; k < n; k++)
            {
                if (i == floatAges)
                {
                    e.AddFloatFrame([60f * (k + 1)]);
                }
                else
                {
                    e.AddInt64Frame([60L * (k + 1)]);
                }
            }

            e.EndFeatureList();
            e.BeginFeatureList(s_categories);
            for (int k = 0; k < (i == misaligned ? n - 1 : n); k++)
            {
                e.AddStringFrame(["c" + k]);
            }

            e.EndFeatureList();
            writer.WriteFramed(e.GetRecord());
        }

        return path;
    }

    private string WriteExamples(string name)
    {
        string path = Path.Combine(_temp, name);
        using var writer = TfRecordWriter.Create(path);
        var e = new ExampleEncoder();
        for (int i = 0; i < 2; i++)
        {
            e.Clear();
            e.AddInt64(s_label, 0);
            e.AddString(s_request, "r" + i);
            e.AddString(s_user, "u1");
            e.AddString(s_item, "A");
            e.AddStringList(s_items, new[] { "x" }.AsSpan());
            writer.WriteFramed(e.GetRecord());
        }

        return path;
    }
}
