using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Engines;
using SparkTfrecord.Engine.Spark;
using SparkTfrecord.Tfrecord.Framing;
using SparkTfrecord.Tfrecord.Proto;

namespace SparkTfrecord.Engine.Tests;

/// <summary>
/// Sequence samples (issue 14): tests/spec-cases/sequence/din_seq.yaml (a history written as a SequenceExample feature
/// list, with a time-delta and a category companion) over hand-written logs; the expected lists are worked out by hand
/// in <see cref="SequenceLogs"/>. Records are parsed with Google.Protobuf's SequenceExample class.
/// </summary>
[TestFixture]
[Category("Fast")]
[Parallelizable(ParallelScope.None)]
public sealed class SequenceSamplesTests
{
    internal const string Day = "2024-01-15";

    internal static string SpecText => File.ReadAllText(Path.Combine(Repo.Root, "tests", "spec-cases", "sequence", "din_seq.yaml"));

    private TestLogs _logs = null!;

    [SetUp]
    public void SetUp() => _logs = SequenceLogs();

    [TearDown]
    public void TearDown() => _logs.Dispose();

    /// <summary>
    /// User u1 clicks A (shoes) the day before at 10:00, C (not in the items table) at 08:00, B (bags) at 09:00 (the
    /// click of impression r1) and A at 09:30. Impression r1 (09:00) sees C, A: the 09:00 click is not before it;
    /// r2 (10:00) sees A, B, C, the fourth (the day before's A) cut by max_length 3; u2's r3 sees nothing.
    /// </summary>
    internal static TestLogs SequenceLogs() => new TestLogs()
        .Item("A", "shoes").Item("B", "bags")
        .Click("c1", "u1", "A", "2024-01-14 10:00:00")
        .Click("c2", "u1", "C", "2024-01-15 08:00:00")
        .Click("r1", "u1", "B", "2024-01-15 09:00:00")
        .Click("c4", "u1", "A", "2024-01-15 09:30:00")
        .Imp("r1", "u1", "B", "2024-01-15 09:00:00")
        .Imp("r2", "u1", "A", "2024-01-15 10:00:00")
        .Imp("r3", "u2", "A", "2024-01-15 11:00:00");

    [Test]
    public void The_history_and_its_companions_are_aligned_feature_lists_and_the_rest_is_context()
    {
        _logs.Run(SpecText, Day);
        var records = Read(Path.Combine(_logs.Root, "out", Day));

        Assert.That(records.Keys, Is.EquivalentTo(new[] { "r1", "r2", "r3" }));
        var r1 = records["r1"];
        Assert.That(Strings(r1, "clicked_items"), Is.EqualTo(new[] { "C", "A" }));
        Assert.That(Ints(r1, "clicked_age_s"), Is.EqualTo(new long[] { 3600, 23 * 3600 }));
        Assert.That(Strings(r1, "clicked_categories"), Is.EqualTo(new[] { "unknown", "shoes" }), "C is not in the items table: the padding");
        Assert.That(r1.Context.Feature["label"].Int64List.Value, Is.EqualTo(new long[] { 1 }));
        Assert.That(r1.Context.Feature.Keys, Is.EquivalentTo(new[] { "label", "request_id", "user_id", "item_id" }));
        Assert.That(r1.FeatureLists.FeatureList.Keys, Is.EquivalentTo(new[] { "clicked_items", "clicked_age_s", "clicked_categories" }));

        var r2 = records["r2"];
        Assert.That(Strings(r2, "clicked_items"), Is.EqualTo(new[] { "A", "B", "C" }));
        Assert.That(Ints(r2, "clicked_age_s"), Is.EqualTo(new long[] { 1800, 3600, 7200 }));
        Assert.That(Strings(r2, "clicked_categories"), Is.EqualTo(new[] { "shoes", "bags", "unknown" }));
        Assert.That(r2.Context.Feature["label"].Int64List.Value, Is.EqualTo(new long[] { 0 }));

        var r3 = records["r3"];
        Assert.That(r3.FeatureLists.FeatureList.Keys, Is.EquivalentTo(new[] { "clicked_items", "clicked_age_s", "clicked_categories" }), "an empty history is three empty lists");
        Assert.That(r3.FeatureLists.FeatureList.Values.Select(l => l.Feature.Count), Is.All.Zero);
    }

    [Test]
    public void A_float_time_delta_keeps_the_fraction_of_a_second()
    {
        _logs.Click("c5", "u2", "B", "2024-01-15 10:59:59.250");
        string spec = SpecText.Replace("{name: clicked_age_s, dtype: int64,", "{name: clicked_age_s, dtype: float,", StringComparison.Ordinal);

        _logs.Run(spec, Day);
        var r3 = Read(Path.Combine(_logs.Root, "out", Day))["r3"];

        Assert.That(r3.FeatureLists.FeatureList["clicked_age_s"].Feature.Select(f => f.FloatList.Value.Single()), Is.EqualTo(new[] { 0.75f }));
    }

    [Test]
    public void A_companion_without_an_entry_in_history_is_refused_naming_it()
    {
        string spec = SpecText.Replace("    clicked_age_s: {time_delta: seconds}\n", "", StringComparison.Ordinal);
        string file = Path.Combine(_logs.Root, "spec.yaml");
        File.WriteAllText(file, spec);

        var e = Assert.Throws<JobConfigException>(() => JobDefinition.Load(file))!;

        Assert.That(e.Message, Does.Contain("feature 'clicked_age_s' (a step of 'clicked_items') has no rule: add it to history"));
    }

    [Test]
    public void A_companion_with_both_a_value_and_a_time_delta_is_refused_at_its_line()
    {
        string spec = SpecText.Replace("{time_delta: seconds}", "{time_delta: seconds, value: ts}", StringComparison.Ordinal);
        string file = Path.Combine(_logs.Root, "spec.yaml");
        File.WriteAllText(file, spec);
        int line = spec.Split('\n').ToList().FindIndex(l => l.Contains("clicked_age_s: {time_delta", StringComparison.Ordinal)) + 1;

        var e = Assert.Throws<JobConfigException>(() => JobDefinition.Load(file))!;

        Assert.That(e.Message, Does.StartWith($"{file}:{line}:"));
        Assert.That(e.Message, Does.Contain("give it either value:"));
    }

    [TestCase("{time_delta: seconds}", "{time_delta: minutes}", "time_delta 'minutes' is not supported: write time_delta: seconds.")]
    [TestCase("{time_delta: seconds}", "{}", "is a step of 'clicked_items': give it either value:")]
    [TestCase("{time_delta: seconds}", "{time_delta: seconds, window: 1d}", "unknown key 'window' in history 'clicked_age_s' (a step of 'clicked_items': its events, window and max_length are the history's)")]
    [TestCase("{value: items.category}", "{time_delta: seconds}", "'clicked_categories' is a string feature; a time_delta is a number")]
    [TestCase("{value: items.category}", "{value: impressions.device}", "'impressions.device': a step's value comes from the history's events (clicks) or from a table with a key")]
    public void A_wrong_companion_entry_is_refused_at_its_line(string entry, string wrong, string message)
    {
        string spec = SpecText.Replace(entry, wrong, StringComparison.Ordinal);
        string file = Path.Combine(_logs.Root, "spec.yaml");
        File.WriteAllText(file, spec);
        string companion = entry.Contains("time_delta", StringComparison.Ordinal) ? "clicked_age_s" : "clicked_categories";
        int line = spec.Split('\n').ToList().FindIndex(l => l.StartsWith($"    {companion}: {wrong}", StringComparison.Ordinal)) + 1;

        var e = Assert.Throws<JobConfigException>(() => JobDefinition.Load(file))!;

        Assert.That(line, Is.Positive);
        Assert.That(e.Message, Does.StartWith($"{file}:{line}:"));
        Assert.That(e.Message, Does.Contain(message));
    }

    [Test]
    public void A_companion_of_a_history_without_an_entry_is_refused_at_the_companions_line()
    {
        string spec = SpecText.Replace("    clicked_items: {events: clicks, value: item_id, window: 15d, max_length: 3}\n", "", StringComparison.Ordinal);
        string file = Path.Combine(_logs.Root, "spec.yaml");
        File.WriteAllText(file, spec);
        int line = spec.Split('\n').ToList().FindIndex(l => l.StartsWith("    clicked_age_s:", StringComparison.Ordinal)) + 1;

        var e = Assert.Throws<JobConfigException>(() => JobDefinition.Load(file))!;

        Assert.That(e.Message, Does.StartWith($"{file}:{line}:5: 'clicked_age_s' is a step of history 'clicked_items', which has no entry in history:"));
    }

    [Test]
    public void A_sequence_feature_given_a_column_is_refused_at_its_line()
    {
        // The history alone (no companions), its rule moved to columns.
        var lines = SpecText.Split('\n').Where(l => !l.Contains("clicked_age_s", StringComparison.Ordinal) && !l.Contains("clicked_categories", StringComparison.Ordinal)
            && !l.StartsWith("    clicked_items:", StringComparison.Ordinal) && !l.StartsWith("  history:", StringComparison.Ordinal)).ToList();
        string spec = string.Join('\n', lines).Replace("item_id: impressions.item_id}", "item_id: impressions.item_id, clicked_items: impressions.item_id}", StringComparison.Ordinal);
        string file = Path.Combine(_logs.Root, "spec.yaml");
        File.WriteAllText(file, spec);

        var e = Assert.Throws<JobConfigException>(() => JobDefinition.Load(file))!;

        Assert.That(e.Message, Does.Contain("feature 'clicked_items' is a sequence (shape: seq): its feature list comes from history:"));
    }

    [Test]
    public void The_spark_engine_refuses_a_sequence_spec_as_a_setup_problem()
    {
        string file = Path.Combine(_logs.Root, "spec.yaml");
        File.WriteAllText(file, SpecText);
        var definition = JobDefinition.Load(file);

        var e = Assert.Throws<EngineSetupException>(() => SparkSetup.Create(definition, new SparkRunOptions
        {
            Date = new DateOnly(2024, 1, 15),
            Input = _logs.Input,
            Output = Path.Combine(_logs.Root, "spark-out"),
        }, resolveLocalInputs: false))!;

        Assert.That(e.Problem, Is.EqualTo(EngineSetupProblem.SequenceOnSpark));
        Assert.That(e.Message, Does.Contain("feature 'clicked_items' is a sequence (shape: seq)"));
        Assert.That(e.Message, Does.Contain("--engine duckdb"));
    }

    internal static Dictionary<string, SequenceExample> Read(string output)
    {
        var records = new Dictionary<string, SequenceExample>(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(output, "part-*", SearchOption.AllDirectories))
        {
            using var reader = TfRecordReader.Open(file);
            while (reader.TryRead(out var payload))
            {
                var record = SequenceExample.Parser.ParseFrom(payload.ToArray());
                records.Add(record.Context.Feature["request_id"].BytesList.Value.Single().ToStringUtf8(), record);
            }
        }

        return records;
    }

    private static List<string> Strings(SequenceExample record, string list) =>
        record.FeatureLists.FeatureList[list].Feature.Select(f => f.BytesList.Value.Single().ToStringUtf8()).ToList();

    private static List<long> Ints(SequenceExample record, string list) =>
        record.FeatureLists.FeatureList[list].Feature.Select(f => f.Int64List.Value.Single()).ToList();
}
