using SparkTfrecord.Spec.Validation;
using SparkTfrecord.Tfrecord.Example;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Spec.Tests;

[TestFixture]
[Category("Fast")]
public sealed class ValidationTests
{
    private static readonly FeatureSpec s_din = SpecLoader.Load(Repo.Conf("din.yaml"));
    private string _temp = null!;

    [SetUp]
    public void SetUp() => _temp = Directory.CreateTempSubdirectory("sparktf-validate-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_temp, recursive: true);

    private ValidationReport Validate(DinRecords records, int count = 300, ValidationRules? rules = null)
    {
        string path = Path.Combine(_temp, "part-00000.tfrecord");
        records.Write(path, count);
        var validator = new DatasetValidator(rules ?? ValidationRules.FromSpec(s_din));
        using TfRecordReader reader = TfRecordReader.Open(path);
        validator.BeginFile(path);
        while (reader.TryRead(out ReadOnlySpan<byte> payload))
        {
            validator.Add(payload);
        }

        return validator.GetReport();
    }

    [Test]
    public void Clean_din_records_have_no_anomalies_and_full_statistics()
    {
        ValidationReport report = Validate(new DinRecords());

        Assert.That(report.IsClean, Is.True, string.Join("; ", report.Features.SelectMany(f => f.Anomalies).Select(a => a.Description)));
        Assert.That(report.Records, Is.EqualTo(300));
        FeatureSummary age = report.Features.Single(f => f.Name == "age");
        Assert.That((age.Present, age.ValuesMin, age.ValuesMax, age.Min, age.Max), Is.EqualTo((300L, (long?)1, (long?)1, (object)18L, (object)77L)));
        FeatureSummary history = report.Features.Single(f => f.Name == "clicked_items_15d");
        Assert.That((history.ValuesMin, history.ValuesMax), Is.EqualTo(((long?)0, (long?)20)));
        Assert.That(history.ValuesMean, Is.EqualTo(Enumerable.Range(0, 300).Average(i => i % 21)).Within(1e-9));
        Assert.That(report.Features.Single(f => f.Name == "gender").DistinctApprox, Is.EqualTo(3));
        Assert.That(report.Features.Single(f => f.Name == "user_id").DistinctApprox, Is.EqualTo(300).Within(3));
    }

    public static IEnumerable<TestCaseData> Planted()
    {
        yield return Case("user_id", "FEATURE_TYPE_LOW_FRACTION_PRESENT", new DinRecords { Drop = (i, n) => i == 5 && n == "user_id" }, 1);
        yield return Case("device", "SCHEMA_MISSING_COLUMN", new DinRecords { Drop = (_, n) => n == "device" }, 300);
        yield return Case("age", "UNEXPECTED_DATA_TYPE", new DinRecords { Drop = (i, n) => i == 7 && n == "age", Plant = (i, e) => { if (i == 7) { e.AddString(new FeatureKey("age"), "seven"); } } }, 1);
        yield return Case("age", "INVALID_FEATURE_SHAPE", new DinRecords { Drop = (i, n) => i == 9 && n == "age", Plant = (i, e) => { if (i == 9) { e.AddInt64List(new FeatureKey("age"), [20, 21]); } } }, 1);
        yield return Case("gender", "ENUM_TYPE_UNEXPECTED_STRING_VALUES", new DinRecords { Drop = (i, n) => i % 100 == 1 && n == "gender", Plant = (i, e) => { if (i % 100 == 1) { e.AddString(new FeatureKey("gender"), "F"); } } }, 3);
        yield return Case("label", "INT_TYPE_BIG_INT", new DinRecords { Drop = (i, n) => i == 3 && n == "label", Plant = (i, e) => { if (i == 3) { e.AddInt64(new FeatureKey("label"), 2); } } }, 1);
        yield return Case("label", "INT_TYPE_SMALL_INT", new DinRecords { Drop = (i, n) => i == 4 && n == "label", Plant = (i, e) => { if (i == 4) { e.AddInt64(new FeatureKey("label"), -1); } } }, 1);
        yield return Case("debug_note", "SCHEMA_NEW_COLUMN", new DinRecords { Plant = (i, e) => { if (i < 2) { e.AddString(new FeatureKey("debug_note"), "x"); } } }, 2);
    }

    private static TestCaseData Case(string feature, string anomaly, DinRecords records, long count) =>
        new TestCaseData(feature, anomaly, records, count).SetName($"Planted_{anomaly}_is_reported_for_{feature}");

    [TestCaseSource(nameof(Planted))]
    public void Planted_anomaly_is_reported_with_the_feature_count_and_first_record(string feature, string anomaly, DinRecords records, long count)
    {
        ValidationReport report = Validate(records);

        Assert.That(report.IsClean, Is.False);
        var found = report.Features.Where(f => f.Anomalies.Count > 0).SelectMany(f => f.Anomalies.Select(a => (f.Name, a.Type))).ToList();
        Assert.That(found, Is.EqualTo(new[] { (feature, anomaly) }), "exactly the planted anomaly");
        Anomaly a = report.Features.Single(f => f.Name == feature).Anomalies.Single();
        Assert.That(a.Count, Is.EqualTo(count));
        Assert.That(a.First?.File, Does.EndWith("part-00000.tfrecord"));
    }

    [Test]
    public void Statistics_count_every_record_whether_it_is_a_plain_single_value_or_not()
    {
        // Most records' age is one int64 (the validator's inline path, which counts nothing itself); record 7 has a
        // string and record 9 two values (the general path). The summary must add both up.
        var records = new DinRecords
        {
            Drop = (i, n) => (i is 7 or 9 && n == "age") || (i == 5 && n == "user_id"),
            Plant = (i, e) =>
            {
                if (i == 7)
                {
                    e.AddString(new FeatureKey("age"), "seven");
                }
                else if (i == 9)
                {
                    e.AddInt64List(new FeatureKey("age"), [20, 21]);
                }
            },
        };

        ValidationReport report = Validate(records);

        FeatureSummary age = report.Features.Single(f => f.Name == "age");
        Assert.That((age.Present, age.Kind, age.ValuesMin, age.ValuesMax), Is.EqualTo((300L, "mixed", (long?)1, (long?)2)));
        Assert.That(age.ValuesMean, Is.EqualTo(301.0 / 300).Within(1e-12));
        Assert.That((age.Min, age.Max), Is.EqualTo(((object)18L, (object)77L)));
        FeatureSummary user = report.Features.Single(f => f.Name == "user_id");
        Assert.That((user.Present, user.Kind, user.ValuesMin, user.ValuesMean, user.ValuesMax), Is.EqualTo((299L, "bytes", (long?)1, (double?)1.0, (long?)1)));
        Assert.That(user.Anomalies.Single().Type, Is.EqualTo("FEATURE_TYPE_LOW_FRACTION_PRESENT"));

        // A second report over the same records says the same.
        Assert.That(
            report.Features.Select(f => (f.Name, f.Present, f.ValuesMin, f.ValuesMean, f.ValuesMax, f.Kind)),
            Is.EqualTo(ValidateAgain().Features.Select(f => (f.Name, f.Present, f.ValuesMin, f.ValuesMean, f.ValuesMax, f.Kind))));

        ValidationReport ValidateAgain()
        {
            string path = Path.Combine(_temp, "part-00000.tfrecord");
            var validator = new DatasetValidator(ValidationRules.FromSpec(s_din));
            using TfRecordReader reader = TfRecordReader.Open(path);
            validator.BeginFile(path);
            while (reader.TryRead(out ReadOnlySpan<byte> payload))
            {
                validator.Add(payload);
            }

            validator.GetReport();
            return validator.GetReport();
        }
    }

    [Test]
    public void A_feature_the_spec_does_not_know_gets_its_statistics_too()
    {
        ValidationReport report = Validate(new DinRecords { Plant = (i, e) => { if (i < 2) { e.AddStringList(new FeatureKey("debug_note"), ["x", "y", "x"]); } } });

        FeatureSummary note = report.Features.Single(f => f.Name == "debug_note");
        Assert.That((note.Known, note.Present, note.Kind, note.ValuesMin, note.ValuesMean, note.ValuesMax), Is.EqualTo((false, 2L, "bytes", (long?)3, (double?)3.0, (long?)3)));
    }

    private static readonly FeatureSpec s_floats = SpecLoader.Parse("""
        spec: 1
        features:
          - {name: label, dtype: float, role: label}
          - {name: price, dtype: float, domain: {min: 0.0, max: 100.0}}
          - {name: emb, dtype: float, shape: 3}
        """);

    [TestCase(float.NaN, "FLOAT_TYPE_HAS_NAN")]
    [TestCase(float.PositiveInfinity, "FLOAT_TYPE_HAS_INF")]
    [TestCase(float.NegativeInfinity, "FLOAT_TYPE_HAS_INF")]
    [TestCase(100.5f, "FLOAT_TYPE_BIG_FLOAT")]
    [TestCase(-0.5f, "FLOAT_TYPE_SMALL_FLOAT")]
    public void Float_values_outside_the_domain_or_not_finite_are_anomalies(float bad, string anomaly)
    {
        var label = new FeatureKey("label");
        var price = new FeatureKey("price");
        var emb = new FeatureKey("emb");
        var validator = new DatasetValidator(ValidationRules.FromSpec(s_floats));
        validator.BeginFile("mem");
        var encoder = new ExampleEncoder();
        for (int i = 0; i < 10; i++)
        {
            encoder.Clear();
            encoder.AddFloat(label, 0.5f);
            encoder.AddFloat(price, i == 6 ? bad : i);
            encoder.AddFloatList(emb, [1, 2, i == 8 ? bad : 3]);
            validator.Add(encoder.GetPayload());
        }

        ValidationReport report = validator.GetReport();

        var expected = new List<(string, string)> { ("price", anomaly) };
        if (anomaly.EndsWith("NAN", StringComparison.Ordinal) || anomaly.EndsWith("INF", StringComparison.Ordinal))
        {
            expected.Add(("emb", anomaly)); // no domain on emb, but NaN and infinity are refused everywhere
        }

        var found = report.Features.SelectMany(f => f.Anomalies.Select(a => (f.Name, a.Type))).OrderBy(x => x.Name).ToList();
        Assert.That(found, Is.EquivalentTo(expected));
        Assert.That(report.Features.Single(f => f.Name == "price").Anomalies.Single().First, Is.EqualTo(new RecordRef("mem", 6)));
    }

    [Test]
    public void Tfdv_schema_rules_check_type_presence_and_shape()
    {
        var rules = ValidationRules.LoadTfdvSchema(Path.Combine(SharedFixtures.TfrecordFolder, "tfx-penguin", "penguin_schema_schema.pbtxt"));
        var validator = new DatasetValidator(rules);
        var encoder = new ExampleEncoder();
        validator.BeginFile("mem");
        for (int i = 0; i < 4; i++)
        {
            encoder.Clear();
            encoder.AddFloat(new FeatureKey("culmen_depth_mm"), 0.5f);
            encoder.AddFloat(new FeatureKey("culmen_length_mm"), 0.5f);
            encoder.AddFloatList(new FeatureKey("flipper_length_mm"), i == 2 ? [0.1f, 0.2f] : [0.1f]);
            if (i != 1)
            {
                encoder.AddFloat(new FeatureKey("body_mass_g"), 0.5f);
            }

            encoder.AddFloat(new FeatureKey("species"), 1);
            validator.Add(encoder.GetPayload());
        }

        var found = validator.GetReport().Features.SelectMany(f => f.Anomalies.Select(a => (f.Name, a.Type))).ToList();

        Assert.That(found, Is.EquivalentTo(new[]
        {
            ("body_mass_g", "FEATURE_TYPE_LOW_FRACTION_PRESENT"),
            ("flipper_length_mm", "INVALID_FEATURE_SHAPE"),
            ("species", "UNEXPECTED_DATA_TYPE"),
        }));
    }

    [Test]
    public void Json_report_has_a_version_and_every_anomaly()
    {
        ValidationReport report = Validate(new DinRecords { Drop = (_, n) => n == "device" });
        using var stream = new MemoryStream();

        report.WriteJson(stream);

        using var doc = System.Text.Json.JsonDocument.Parse(stream.ToArray());
        var root = doc.RootElement;
        Assert.That(root.GetProperty("version").GetInt32(), Is.EqualTo(1));
        Assert.That(root.GetProperty("clean").GetBoolean(), Is.False);
        Assert.That(root.GetProperty("anomaly_count").GetInt32(), Is.EqualTo(1));
        var device = root.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "device");
        Assert.That(device.GetProperty("anomalies")[0].GetProperty("type").GetString(), Is.EqualTo("SCHEMA_MISSING_COLUMN"));
        Assert.That(device.GetProperty("anomalies")[0].GetProperty("first").GetProperty("record").GetInt64(), Is.Zero);
    }

    [Test]
    public void Sequence_example_feature_lists_are_checked_frame_by_frame()
    {
        FeatureSpec spec = SpecLoader.Parse("spec: 1\nfeatures:\n  - {name: label, dtype: int64, role: label}\n  - {name: clicks, dtype: string, shape: seq, role: history}\n");
        var validator = new DatasetValidator(ValidationRules.FromSpec(spec));
        var encoder = new SequenceExampleEncoder();
        validator.BeginFile("mem");
        for (int i = 0; i < 3; i++)
        {
            encoder.Clear();
            encoder.AddInt64List(new FeatureKey("label"), [1]);
            encoder.BeginFeatureList(new FeatureKey("clicks"));
            encoder.AddStringFrame(["a"]);
            encoder.AddStringFrame(i == 1 ? ["b", "c"] : ["b"]);
            encoder.EndFeatureList();
            validator.Add(encoder.GetPayload());
        }

        ValidationReport report = validator.GetReport();

        FeatureSummary clicks = report.Features.Single(f => f.Name == "clicks");
        Assert.That(clicks.Present, Is.EqualTo(3));
        Assert.That(clicks.Anomalies.Select(a => a.Type), Is.EqualTo(new[] { "INVALID_FEATURE_SHAPE" }));
        Assert.That(clicks.Anomalies[0].First, Is.EqualTo(new RecordRef("mem", 1)));
        Assert.That((clicks.Kind, clicks.ValuesMin, clicks.ValuesMax, clicks.DistinctApprox), Is.EqualTo(("bytes", (long?)2, (long?)2, (long?)3)), "two frames a record; a, b, c");
        FeatureSummary label = report.Features.Single(f => f.Name == "label");
        Assert.That((label.Present, label.Kind, label.ValuesMean, label.Min, label.Max), Is.EqualTo((3L, "int64", (double?)1.0, (object)1L, (object)1L)));
    }

    [Test]
    public void Sequence_frames_outside_a_small_vocabulary_are_reported()
    {
        FeatureSpec spec = SpecLoader.Parse("spec: 1\nfeatures:\n  - {name: label, dtype: int64, role: label}\n  - {name: clicks, dtype: string, shape: seq, role: history, domain: [a, b]}\n");
        var validator = new DatasetValidator(ValidationRules.FromSpec(spec));
        var encoder = new SequenceExampleEncoder();
        validator.BeginFile("mem");
        for (int i = 0; i < 4; i++)
        {
            encoder.Clear();
            encoder.AddInt64List(new FeatureKey("label"), [0]);
            encoder.BeginFeatureList(new FeatureKey("clicks"));
            encoder.AddStringFrame(["a"]);
            encoder.AddStringFrame([i == 2 ? "z" : "b"]);
            encoder.EndFeatureList();
            validator.Add(encoder.GetPayload());
        }

        FeatureSummary clicks = validator.GetReport().Features.Single(f => f.Name == "clicks");

        Anomaly outside = clicks.Anomalies.Single();
        Assert.That((outside.Type, outside.Count, outside.First), Is.EqualTo(("ENUM_TYPE_UNEXPECTED_STRING_VALUES", 1L, (RecordRef?)new RecordRef("mem", 2))));
        Assert.That(outside.Description, Does.Contain("\"z\""));
        Assert.That(clicks.DistinctApprox, Is.EqualTo(3));
    }
}
