using System.Text.Json;
using SparkTfrecord.Tfrecord.Example;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Jobs.Tests;

/// <summary>sparktf spec, validate and schema, run in process.</summary>
[TestFixture]
[Category("Fast")]
public sealed class SpecCommandsTests
{
    private string _temp = null!;

    [SetUp]
    public void SetUp() => _temp = Directory.CreateTempSubdirectory("sparktf-spec-cli-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_temp, recursive: true);

    private static string Conf(string name) => Path.Combine(Sparktf.RepoRoot, "conf", name);

    private static string Penguin => Path.Combine(Sparktf.Fixtures, "tfx-penguin");

    [Test]
    public void Spec_export_tfdv_schema_validates_the_data_the_spec_validates()
    {
        string schema = Path.Combine(_temp, "schema.pbtxt");
        var export = InProcess.Run("spec", "export", "--spec", Conf("din.yaml"), "--target", "tfdv-schema", "--output", schema);
        Assert.That(export.ExitCode, Is.Zero, export.Stderr);
        string data = WriteDin("clean.tfrecord");

        var bySchema = InProcess.Run("validate", "--schema", schema, data);

        Assert.That(bySchema.ExitCode, Is.Zero, bySchema.Stdout + bySchema.Stderr);
        Assert.That(File.ReadAllText(schema), Does.Contain("string_domain {").And.Contain("value: \"未知\""));
    }

    [Test]
    public void Spec_export_refuses_an_unknown_target_as_a_usage_error()
    {
        var r = InProcess.Run("spec", "export", "--spec", Conf("din.yaml"), "--target", "onnx");

        Assert.That(r.ExitCode, Is.EqualTo(2));
    }

    [Test]
    public void A_malformed_spec_fails_with_file_line_column_and_exit_1()
    {
        string bad = Path.Combine(_temp, "bad.yaml");
        File.WriteAllText(bad, "spec: 1\nfeatures:\n  - {name: label, dtype: int64, role: label}\n  - {name: gender, dtype: string, default: no}\n");

        var r = InProcess.Run("validate", "--spec", bad, WriteDin("x.tfrecord"));

        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Stderr, Does.Contain($"{bad}:4:44: the default of feature 'gender' (string) is the unquoted 'no'").And.Contain("Quote it: \"no\"."));
    }

    [Test]
    public void Validate_schema_accepts_the_tfx_penguin_data_and_writes_a_versioned_report()
    {
        string report = Path.Combine(_temp, "report.json");

        var r = InProcess.Run("validate", "--schema", Path.Combine(Penguin, "penguin_schema_schema.pbtxt"), Path.Combine(Penguin, "*.gz"), "--report", report);

        Assert.That(r.ExitCode, Is.Zero, r.Stdout + r.Stderr);
        Assert.That(r.Stdout, Does.Contain("validated 334 records in 2 file(s)").And.Contain("result: clean"));
        using var doc = JsonDocument.Parse(File.ReadAllBytes(report));
        Assert.That(doc.RootElement.GetProperty("version").GetInt32(), Is.EqualTo(1));
        Assert.That(doc.RootElement.GetProperty("records").GetInt64(), Is.EqualTo(334));
        Assert.That(doc.RootElement.GetProperty("features").GetArrayLength(), Is.EqualTo(5));
    }

    [Test]
    public void Validate_spec_of_clean_din_data_exits_0_with_a_per_feature_summary()
    {
        var r = InProcess.Run("validate", "--spec", Conf("din.yaml"), WriteDin("clean.tfrecord"));

        Assert.That(r.ExitCode, Is.Zero, r.Stdout + r.Stderr);
        Assert.That(r.Stdout, Does.Contain("clicked_items_15d").And.Contain("result: clean"));
    }

    public static IEnumerable<TestCaseData> Planted()
    {
        yield return new TestCaseData("user_id", "FEATURE_TYPE_LOW_FRACTION_PRESENT", (Action<int, ExampleEncoder, string>)((i, e, n) => { if (n != "user_id" || i != 3) { Add(e, n, i); } }));
        yield return new TestCaseData("age", "UNEXPECTED_DATA_TYPE", (Action<int, ExampleEncoder, string>)((i, e, n) => { if (n == "age" && i == 2) { e.AddFloat(new FeatureKey("age"), 30); } else { Add(e, n, i); } }));
        yield return new TestCaseData("item_id", "INVALID_FEATURE_SHAPE", (Action<int, ExampleEncoder, string>)((i, e, n) => { if (n == "item_id" && i == 2) { e.AddStringList(new FeatureKey("item_id"), new[] { "a", "b" }.AsSpan()); } else { Add(e, n, i); } }));
        yield return new TestCaseData("gender", "ENUM_TYPE_UNEXPECTED_STRING_VALUES", (Action<int, ExampleEncoder, string>)((i, e, n) => { if (n == "gender" && i == 2) { e.AddString(new FeatureKey("gender"), "unknown"); } else { Add(e, n, i); } }));
        yield return new TestCaseData("device", "SCHEMA_MISSING_COLUMN", (Action<int, ExampleEncoder, string>)((i, e, n) => { if (n != "device") { Add(e, n, i); } }));
        yield return new TestCaseData("label", "INT_TYPE_BIG_INT", (Action<int, ExampleEncoder, string>)((i, e, n) => { if (n == "label" && i == 4) { e.AddInt64(new FeatureKey("label"), 5); } else { Add(e, n, i); } }));
        yield return new TestCaseData("extra", "SCHEMA_NEW_COLUMN", (Action<int, ExampleEncoder, string>)((i, e, n) => { Add(e, n, i); if (n == "label" && i == 1) { e.AddInt64(new FeatureKey("extra"), 1); } }));
    }

    [TestCaseSource(nameof(Planted))]
    public void Validate_spec_catches_a_planted_anomaly_names_the_feature_and_exits_3(string feature, string anomaly, Action<int, ExampleEncoder, string> write)
    {
        string data = WriteDin("planted.tfrecord", write);

        var r = InProcess.Run("validate", "--spec", Conf("din.yaml"), data);

        Assert.That(r.ExitCode, Is.EqualTo(3), r.Stdout + r.Stderr);
        Assert.That(r.Stdout, Does.Contain($"anomaly: feature '{feature}': {anomaly}:"));
    }

    [Test]
    public void Validate_catches_nan_and_infinity_in_float_features()
    {
        string data = Path.Combine(_temp, "floats.tfrecord");
        using (TfRecordWriter writer = TfRecordWriter.Create(data))
        {
            var encoder = new ExampleEncoder();
            foreach (float v in new[] { 1f, float.NaN, float.PositiveInfinity })
            {
                encoder.Clear();
                encoder.AddFloat(new FeatureKey("body_mass_g"), v);
                encoder.AddFloat(new FeatureKey("culmen_depth_mm"), 1);
                encoder.AddFloat(new FeatureKey("culmen_length_mm"), 1);
                encoder.AddFloat(new FeatureKey("flipper_length_mm"), 1);
                encoder.AddInt64(new FeatureKey("species"), 1);
                writer.WriteFramed(encoder.GetRecord());
            }
        }

        var r = InProcess.Run("validate", "--schema", Path.Combine(Penguin, "penguin_schema_schema.pbtxt"), data);

        Assert.That(r.ExitCode, Is.EqualTo(3));
        Assert.That(r.Stdout, Does.Contain("anomaly: feature 'body_mass_g': FLOAT_TYPE_HAS_NAN:").And.Contain("anomaly: feature 'body_mass_g': FLOAT_TYPE_HAS_INF:"));
    }

    [Test]
    public void Validate_needs_exactly_one_of_spec_and_schema()
    {
        var r = InProcess.Run("validate", WriteDin("x.tfrecord"));

        Assert.That(r.ExitCode, Is.EqualTo(2));
        Assert.That(r.Stderr, Does.Contain("--spec").And.Contain("--schema"));
    }

    [Test]
    public void Validate_of_a_damaged_file_is_a_failure_not_an_anomaly()
    {
        var r = InProcess.Run("validate", "--schema", Path.Combine(Penguin, "penguin_schema_schema.pbtxt"), Path.Combine(Sparktf.Fixtures, "corrupt", "data_flipped_rec1.tfrecord"));

        Assert.That(r.ExitCode, Is.EqualTo(1));
    }

    [Test]
    public void Schema_prints_the_spark_schema_of_the_penguin_data()
    {
        var r = InProcess.Run("schema", Path.Combine(Penguin, "*.gz"));

        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        Assert.That(r.Stdout, Is.EqualTo("""
            root
             |-- body_mass_g: float (nullable = true)
             |-- culmen_depth_mm: float (nullable = true)
             |-- culmen_length_mm: float (nullable = true)
             |-- flipper_length_mm: float (nullable = true)
             |-- species: long (nullable = true)

            """));
    }

    [Test]
    public void Schema_yaml_drafts_a_spec_that_validates_the_same_files()
    {
        string draft = Path.Combine(_temp, "draft.yaml");
        string data = WriteDin("din.tfrecord");
        var r = InProcess.Run("schema", "--yaml", data);
        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        File.WriteAllBytes(draft, r.StdoutBytes);

        var validate = InProcess.Run("validate", "--spec", draft, data);

        Assert.That(validate.ExitCode, Is.Zero, r.Stdout + validate.Stdout + validate.Stderr);
        Assert.That(r.Stdout, Does.Contain("{name: clicked_items_15d, dtype: string, shape: var}"));
    }

    private static readonly string[] s_names = ["label", "user_id", "age", "gender", "device", "item_id", "clicked_items_15d"];

    private static void Add(ExampleEncoder e, string name, int i)
    {
        switch (name)
        {
            case "label": e.AddInt64(new FeatureKey(name), i % 2); break;
            case "age": e.AddInt64(new FeatureKey(name), 20 + i); break;
            case "gender": e.AddString(new FeatureKey(name), i % 2 == 0 ? "未知" : "1"); break;
            case "clicked_items_15d": e.AddStringList(new FeatureKey(name), Enumerable.Range(0, i % 4).Select(k => "i" + k).ToArray().AsSpan()); break;
            default: e.AddString(new FeatureKey(name), name + i); break;
        }
    }

    private string WriteDin(string name, Action<int, ExampleEncoder, string>? write = null)
    {
        string path = Path.Combine(_temp, name);
        using TfRecordWriter writer = TfRecordWriter.Create(path);
        var encoder = new ExampleEncoder();
        for (int i = 0; i < 20; i++)
        {
            encoder.Clear();
            foreach (string feature in s_names)
            {
                (write ?? ((j, e, n) => Add(e, n, j)))(i, encoder, feature);
            }

            writer.WriteFramed(encoder.GetRecord());
        }

        return path;
    }
}
