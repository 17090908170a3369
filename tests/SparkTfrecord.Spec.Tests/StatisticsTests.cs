using SparkTfrecord.Spec.Statistics;
using SparkTfrecord.Spec.Validation;
using SparkTfrecord.Tfrecord.Example;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Spec.Tests;

/// <summary>
/// The statistics the report draws and comparisons use, against values computed by hand for five records; the
/// TFDV distances against hand-computed values (including empty and single-value cases); the JSON round trip; the
/// spec's drift:/skew: keys.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class StatisticsTests
{
    /// <summary>The five records' spec: num int64, f a float list (optional), s a string, h a history (string list).</summary>
    public const string SmallSpec = """
        spec: 1
        name: small
        features:
          - {name: num, dtype: int64, role: label, drift: {jensen_shannon_divergence: 0.1}}
          - {name: f, dtype: float, shape: var, required: false}
          - {name: s, dtype: string, drift: {infinity_norm: 0.1}}
          - {name: h, dtype: string, shape: var, role: history, skew: {infinity_norm: 0.2, jensen_shannon_divergence: 0.3}}
        """;

    private string _temp = null!;

    [SetUp]
    public void SetUp() => _temp = Directory.CreateTempSubdirectory("sparktf-stats-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_temp, recursive: true);

    /// <summary>Writes the five records: num = 0 2 2 7 10; f = [1.5] [0, NaN] [] [3] (missing); s = a b a a c;
    /// h = [] [x] [x y] [x y z] [y].</summary>
    public static void WriteSmall(string path)
    {
        long[] n = [0, 2, 2, 7, 10];
        float[]?[] f = [[1.5f], [0f, float.NaN], [], [3f], null];
        string[] s = ["a", "b", "a", "a", "c"];
        string[][] h = [[], ["x"], ["x", "y"], ["x", "y", "z"], ["y"]];
        using TfRecordWriter writer = TfRecordWriter.Create(path);
        var e = new ExampleEncoder();
        for (int i = 0; i < 5; i++)
        {
            e.Clear();
            e.AddInt64(new FeatureKey("num"), n[i]);
            if (f[i] is { } floats)
            {
                e.AddFloatList(new FeatureKey("f"), floats);
            }

            e.AddString(new FeatureKey("s"), s[i]);
            e.AddStringList(new FeatureKey("h"), h[i]);
            writer.WriteFramed(e.GetRecord());
        }
    }

    private (DatasetStatistics Statistics, ValidationRules Rules) Small()
    {
        string spec = Path.Combine(_temp, "small.yaml");
        File.WriteAllText(spec, SmallSpec);
        string data = Path.Combine(_temp, "part-00000.tfrecord");
        WriteSmall(data);
        var rules = ValidationRules.FromSpec(SpecLoader.Load(spec));
        var validator = new DatasetValidator(rules, statistics: true);
        validator.AddFile(data);
        var report = validator.GetReport();
        Assert.That(report.Features.SelectMany(x => x.Anomalies.Select(a => (x.Name, a.Type))), Is.EqualTo(new[] { ("f", "FLOAT_TYPE_HAS_NAN") }), "the planted NaN is the one anomaly");
        return (DatasetStatistics.Of(report, data, null, DateTimeOffset.UnixEpoch), rules);
    }

    [Test]
    public void The_statistics_of_five_records_equal_hand_computed_values()
    {
        var stats = Small().Statistics;

        var n = stats.Find("num")!.Numbers!;
        Assert.That((n.Count, n.Min, n.Max, n.Mean, n.Zeros, n.NaN), Is.EqualTo((5L, 0.0, 10.0, 4.2, 1L, 0L)));
        // Nearest rank over 0 2 2 7 10: the q-quantile is the ceil(5q)-th smallest (the 1st for q = 0).
        Assert.That(n.Quantiles, Is.EqualTo(new[] { 0.0, 0, 0, 2, 2, 2, 2, 7, 7, 10, 10 }));
        // Ten buckets of width 1 over [0, 10]: 0 in the first, 2 2 in the third, 7 in the eighth, 10 in the last.
        Assert.That(n.Histogram.Select(b => b.Count), Is.EqualTo(new[] { 1.0, 0, 2, 0, 0, 0, 0, 1, 0, 1 }));
        Assert.That(n.Histogram.Select(b => b.Low), Is.EqualTo(Enumerable.Range(0, 10).Select(i => (double)i)));

        var f = stats.Find("f")!;
        Assert.That(f.Present, Is.EqualTo(4));
        Assert.That((f.ValuesPerRecord.Min, f.ValuesPerRecord.Mean, f.ValuesPerRecord.Max), Is.EqualTo((0.0, 1.0, 2.0)));
        Assert.That((f.Numbers!.Count, f.Numbers.Min, f.Numbers.Max, f.Numbers.Mean, f.Numbers.Zeros, f.Numbers.NaN), Is.EqualTo((3L, 0.0, 3.0, 1.5, 1L, 1L)));

        var s = stats.Find("s")!;
        Assert.That(s.Strings!.Top, Is.EqualTo(new[] { new ValueCount("a", 3), new ValueCount("b", 1), new ValueCount("c", 1) }));
        Assert.That((s.Strings.TotalValues, s.DistinctApprox), Is.EqualTo((5L, (long?)3)));

        var h = stats.Find("h")!;
        Assert.That(h.IsList, Is.True);
        Assert.That((h.ValuesPerRecord.Min, h.ValuesPerRecord.Mean, h.ValuesPerRecord.Max), Is.EqualTo((0.0, 1.4, 3.0)).Using<(double, double, double)>((a, b) => Math.Abs(a.Item2 - b.Item2) < 1e-12 && a.Item1 == b.Item1 && a.Item3 == b.Item3));
        // Lengths 0 1 2 3 1 in ten buckets of width 0.3 over [0, 3].
        Assert.That(h.ValuesPerRecord.Histogram.Select(b => b.Count), Is.EqualTo(new[] { 1.0, 0, 0, 2, 0, 0, 1, 0, 0, 1 }));
        Assert.That(h.Strings!.Top, Is.EqualTo(new[] { new ValueCount("x", 3), new ValueCount("y", 3), new ValueCount("z", 1) }));
    }

    [Test]
    public void Saved_statistics_read_back_equal()
    {
        var stats = Small().Statistics;
        string file = Path.Combine(_temp, "stats.json");

        StatisticsJson.WriteFile(file, stats);
        var back = StatisticsJson.Read(file);

        Assert.That(back with { Features = [] }, Is.EqualTo(stats with { Features = [] }));
        for (int i = 0; i < stats.Features.Count; i++)
        {
            var (a, b) = (stats.Features[i], back.Features[i]);
            Assert.That((b.Name, b.Kind, b.IsList, b.Present, b.DistinctApprox), Is.EqualTo((a.Name, a.Kind, a.IsList, a.Present, a.DistinctApprox)));
            AssertSame(a.ValuesPerRecord, b.ValuesPerRecord);
            if (a.Numbers is not null)
            {
                AssertSame(a.Numbers, b.Numbers!);
            }

            Assert.That(b.Strings?.Top, Is.EqualTo(a.Strings?.Top));
        }
    }

    private static void AssertSame(Distribution a, Distribution b)
    {
        Assert.That((b.Count, b.Min, b.Max, b.Mean, b.Zeros, b.NaN, b.Infinities), Is.EqualTo((a.Count, a.Min, a.Max, a.Mean, a.Zeros, a.NaN, a.Infinities)));
        Assert.That(b.Quantiles, Is.EqualTo(a.Quantiles));
        Assert.That(b.Histogram, Is.EqualTo(a.Histogram));
    }

    [Test]
    public void Statistics_of_another_version_or_form_are_refused_with_the_file_named()
    {
        string file = Path.Combine(_temp, "old.json");
        File.WriteAllText(file, """{"format": "sparktf-statistics", "version": 99, "features": []}""");
        Assert.That(() => StatisticsJson.Read(file), Throws.TypeOf<FormatException>().With.Message.Contains(file).And.Message.Contains("version 99"));
        File.WriteAllText(file, """{"records": 3}""");
        Assert.That(() => StatisticsJson.Read(file), Throws.TypeOf<FormatException>().With.Message.Contains("not sparktf statistics"));
        File.WriteAllText(file, """{"format": "sparktf-statistics", "version": 1}""");
        Assert.That(() => StatisticsJson.Read(file), Throws.TypeOf<FormatException>().With.Message.Contains("damaged"));
    }

    private static IReadOnlyList<ValueCount> Counts(params (string Value, long Count)[] counts) => [.. counts.Select(c => new ValueCount(c.Value, c.Count))];

    [Test]
    public void L_infinity_distances_equal_hand_computed_values()
    {
        // p = (a .75, b .25), q = (a .25, b .25, c .5): |differences| .5, 0, .5; the last of equals (c) is named.
        Assert.That(StatisticsComparison.InfinityNorm(Counts(("a", 3), ("b", 1)), Counts(("a", 1), ("b", 1), ("c", 2)), out string? value), Is.EqualTo(0.5));
        Assert.That(value, Is.EqualTo("c"));
        Assert.That(StatisticsComparison.InfinityNorm([], [], out value), Is.Zero);
        Assert.That(value, Is.Null);
        Assert.That(StatisticsComparison.InfinityNorm([], Counts(("a", 2)), out value), Is.EqualTo(1.0));
        Assert.That(StatisticsComparison.InfinityNorm(Counts(("a", 5)), Counts(("a", 1)), out _), Is.Zero, "one value on both sides");
        Assert.That(StatisticsComparison.InfinityNorm(Counts(("a", 5)), Counts(("b", 1)), out _), Is.EqualTo(1.0), "a different single value");
    }

    private static Distribution Histogram(long nan = 0, params (double Low, double High, double Count)[] buckets) =>
        new((long)buckets.Sum(b => b.Count), 0, 0, 0, 0, nan, 0, [], [.. buckets.Select(b => new HistogramBucket(b.Low, b.High, b.Count))]);

    [Test]
    public void Jensen_Shannon_divergences_equal_hand_computed_values()
    {
        // P = (.5, .5), Q = (1, 0), M = (.75, .25): KL(P||M) = .5 log2(2/3) + .5 log2 2, KL(Q||M) = log2(4/3).
        double expected = ((0.5 * Math.Log2(0.5 / 0.75)) + 0.5 + Math.Log2(1 / 0.75)) / 2;
        Assert.That(expected, Is.EqualTo(0.3112781244591328).Within(1e-15));
        Assert.That(StatisticsComparison.JensenShannonDivergence(Histogram(0, (0, 1, 2), (1, 2, 2)), Histogram(0, (0, 1, 4), (1, 2, 0))), Is.EqualTo(0.3112781244591328).Within(1e-12));

        // TFDV's alignment spreads a bucket evenly over the union of bounds: [0,2) with 4 is [0,1) 2 and [1,2) 2.
        Assert.That(StatisticsComparison.JensenShannonDivergence(Histogram(0, (0, 2, 4)), Histogram(0, (0, 1, 2), (1, 2, 2))), Is.Zero);
        // [0,2) 4 against [1,3) 4: (2, 2, 0) and (0, 2, 2) over [0,1) [1,2) [2,3); M = (.25, .5, .25); each KL is .5.
        Assert.That(StatisticsComparison.JensenShannonDivergence(Histogram(0, (0, 2, 4)), Histogram(0, (1, 3, 4))), Is.EqualTo(0.5).Within(1e-12));

        // Single values (point buckets): the same value is 0 apart, different values 1.
        Assert.That(StatisticsComparison.JensenShannonDivergence(Histogram(0, (5, 5, 3)), Histogram(0, (5, 5, 10))), Is.Zero);
        Assert.That(StatisticsComparison.JensenShannonDivergence(Histogram(0, (5, 5, 3)), Histogram(0, (6, 6, 3))), Is.EqualTo(1.0));

        // Empty: two empty sides are 0 apart, an empty side is 1 from any other.
        Assert.That(StatisticsComparison.JensenShannonDivergence(Histogram(), Histogram()), Is.Zero);
        Assert.That(StatisticsComparison.JensenShannonDivergence(Histogram(), Histogram(0, (0, 1, 1))), Is.EqualTo(1.0));

        // NaN is one bucket both sides share: the same NaN share is 0 apart; NaN alone against numbers alone is 1.
        Assert.That(StatisticsComparison.JensenShannonDivergence(Histogram(1, (0, 1, 1)), Histogram(2, (0, 1, 2))), Is.Zero);
        Assert.That(StatisticsComparison.JensenShannonDivergence(Histogram(3), Histogram(0, (0, 1, 2))), Is.EqualTo(1.0));
    }

    [Test]
    public void Compare_applies_the_drift_or_skew_thresholds_of_the_spec()
    {
        var (stats, rules) = Small();
        var shifted = stats with
        {
            Features = [.. stats.Features.Select(f => f.Name == "s" ? f with { Strings = new StringValues(5, Counts(("c", 5))) } : f)],
        };

        var drift = StatisticsComparison.Compare(shifted, stats, rules, ComparisonMode.Drift);
        Assert.That(drift.Select(c => (c.Feature, c.Metric)), Is.EqualTo(new[] { ("num", "jensen_shannon_divergence"), ("s", "infinity_norm") }));
        // s: p(c) = 1 against .2, p(a) = 0 against .6: the L-infinity distance is .8, at c.
        var s = drift.Single(c => c.Feature == "s");
        Assert.That((s.Distance, s.MostChanged, s.Exceeded), Is.EqualTo((0.8, "c", true)).Using<(double, string?, bool)>((a, b) => Math.Abs(a.Item1 - b.Item1) < 1e-12 && a.Item2 == b.Item2 && a.Item3 == b.Item3));
        Assert.That(drift.Single(c => c.Feature == "num").Exceeded, Is.False);

        var skew = StatisticsComparison.Compare(stats, stats, rules, ComparisonMode.Skew);
        Assert.That(skew.Select(c => (c.Feature, c.Metric, c.Of, c.Distance)), Is.EqualTo(new[] { ("h", "infinity_norm", "values", 0.0), ("h", "jensen_shannon_divergence", "values per record", 0.0) }));
    }

    [TestCase("drift: {infinity_norm: 1.5}", "outside 0..1")]
    [TestCase("drift: {l2: 0.1}", "l2")]
    [TestCase("drift: {}", "sets no threshold")]
    [TestCase("skew: 0.1", "not a mapping")]
    public void The_spec_refuses_bad_thresholds(string keys, string message)
    {
        string spec = Path.Combine(_temp, "bad.yaml");
        File.WriteAllText(spec, $"spec: 1\nname: bad\nfeatures:\n  - {{name: s, dtype: string, {keys}}}\n");
        Assert.That(() => SpecLoader.Load(spec), Throws.InstanceOf<SpecException>().With.Message.Contains(message));
    }

    [TestCase("int64", "infinity_norm", "int64 feature has none")]
    [TestCase("float", "infinity_norm", "float feature has none")]
    [TestCase("string", "jensen_shannon_divergence", "scalar string feature has none")]
    public void The_spec_refuses_a_metric_the_dtype_has_no_distribution_for(string dtype, string metric, string message)
    {
        string spec = Path.Combine(_temp, "bad.yaml");
        File.WriteAllText(spec, $"spec: 1\nname: bad\nfeatures:\n  - {{name: x, dtype: {dtype}, drift: {{{metric}: 0.1}}}}\n");
        Assert.That(() => SpecLoader.Load(spec), Throws.InstanceOf<SpecException>().With.Message.Contains(message));
    }

    [Test]
    public void The_shipped_specs_declare_drift_thresholds()
    {
        foreach (string name in new[] { "din.yaml", "wide_deep.yaml" })
        {
            var spec = SpecLoader.Load(Repo.Conf(name));
            Assert.That(spec.Features.Single(f => f.Name == "item_id").Drift?.InfinityNorm, Is.EqualTo(0.1), name);
            Assert.That(spec.Features.Single(f => f.Name == "clicked_items_15d").Drift, Is.EqualTo(new ComparatorThresholds(0.1, 0.1)), name);
        }
    }
}
