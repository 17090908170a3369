using System.Text.Json;
using SparkTfrecord.Engine.Generation;
using SparkTfrecord.Engine.Hashing;

namespace SparkTfrecord.Engine.Tests;

/// <summary>
/// Issue 13's acceptance over a generated log whose clicks say what they led to (<c>behavior</c>: click, cart, buy):
/// a three-label job gives each label exactly what that label's rule gives when it is the job's only label; the sample
/// weight is 1 / negative_rate on every kept negative and 1 on every positive; the time split puts exactly the samples
/// at or after the cut in eval/.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class SeveralLabelsTests
{
    private const string Day = "2024-06-01";

    // The rules of conf/multitask.yaml's labels.
    private static readonly Dictionary<string, string> s_rules = new()
    {
        ["click"] = "{events: clicks, match: [request_id, item_id], within: 30m}",
        ["cart"] = "{events: clicks, match: [request_id, item_id], within: 30m, filter: {behavior: [cart, buy]}}",
        ["buy"] = "{events: clicks, match: [request_id, item_id], within: 30m, filter: {behavior: [buy]}}",
    };

    private TestLogs _logs = null!;
    private string _generated = "";

    [OneTimeSetUp]
    public void Generate()
    {
        _logs = new TestLogs();
        _generated = Path.Combine(_logs.Root, "generated");
        LogGenerator.Generate(new LogGeneratorOptions
        {
            Output = _generated,
            Date = new DateOnly(2024, 6, 2),
            Days = 3,
            ImpressionDays = 2,
            ImpressionsPerDay = 4000,
            Users = 120,
            Items = 60,
            Seed = 7,
        });
    }

    [OneTimeTearDown]
    public void Remove() => _logs.Dispose();

    [Test]
    public void Each_of_three_labels_is_what_its_rule_gives_alone()
    {
        var together = Run(Spec(["click", "cart", "buy"], "labels:\n    primary: click\n" + string.Concat(s_rules.Select(r => $"    {r.Key}: {r.Value}\n"))), "together");

        Assert.That(together.Samples, Has.Count.GreaterThan(3000));
        foreach (string label in s_rules.Keys)
        {
            string single = s_rules[label].Replace("{events", $"{{feature: {label}, events", StringComparison.Ordinal);
            var alone = Run(Spec([label], $"label: {single}"), label);
            var byKey = alone.Samples.ToDictionary(Key, s => s.Int(label));
            Assert.That(together.Samples.Select(Key), Is.EquivalentTo(byKey.Keys), $"{label}: the same samples");
            Assert.That(together.Samples.Count(s => s.Int(label) != byKey[Key(s)]), Is.Zero, $"{label}: the same value for every sample");
            Assert.That(together.Count("positives." + label), Is.EqualTo(byKey.Values.Count(v => v == 1)), $"positives.{label}");
        }

        // The rules differ: a funnel, click ⊇ cart ⊇ buy, with each smaller and none empty (so the comparison means something).
        int clicks = together.Samples.Count(s => s.Int("click") == 1);
        int carts = together.Samples.Count(s => s.Int("cart") == 1);
        int buys = together.Samples.Count(s => s.Int("buy") == 1);
        Assert.That(new[] { clicks, carts, buys }, Is.Ordered.Descending.And.All.GreaterThan(0));
        Assert.That(clicks, Is.GreaterThan(carts));
        Assert.That(carts, Is.GreaterThan(buys));
        Assert.That(together.Samples.Where(s => s.Int("buy") == 1), Has.All.Matches<Sample>(s => s.Int("cart") == 1 && s.Int("click") == 1));
        Assert.That(together.Count("positives"), Is.EqualTo(clicks), "positives: the primary label's");
    }

    [Test]
    public void Weights_undo_the_down_sampling_of_the_primary_label()
    {
        var all = Run(Spec(["click", "cart", "buy"], Labels(), sampling: "{negative_rate: 1, key: [request_id, item_id]}"), "all");
        var weighted = Run(Spec(["click", "cart", "buy"], Labels(), weight: true,
            sampling: "{negative_rate: 0.25, key: [request_id, item_id], salt: w1, weight: sample_weight}"), "weighted");

        // The kept negatives are those the project hash keeps (docs/job.md), every positive is kept.
        var expectedKeys = all.Samples.Where(s => s.Int("click") == 1 || ProjectHash.KeepNegative("w1", Key(s), 0.25)).Select(Key);
        Assert.That(weighted.Samples.Select(Key), Is.EquivalentTo(expectedKeys));
        Assert.That(weighted.Samples.Count(s => s.Int("click") == 0), Is.GreaterThan(100));
        Assert.That(weighted.Samples.Where(s => s.Int("click") == 0).Select(s => Weight(s)), Has.All.EqualTo(4.0f), "1 / 0.25 on kept negatives");
        Assert.That(weighted.Samples.Where(s => s.Int("click") == 1).Select(s => Weight(s)), Has.All.EqualTo(1.0f), "1 on positives");

        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(weighted.Summary.Output, "_manifest.json")));
        var weight = manifest.RootElement.GetProperty("sampling").GetProperty("weight");
        Assert.That(weight.GetProperty("feature").GetString(), Is.EqualTo("sample_weight"));
        Assert.That(weight.GetProperty("negative").GetDouble(), Is.EqualTo(4.0));
    }

    [TestCase("{by: time, eval_from: \"18:00\"}")]
    [TestCase("{by: time, eval_last: 6h}")]
    public void The_time_split_puts_exactly_the_samples_at_or_after_the_cut_in_eval(string split)
    {
        var result = Run(Spec(["click"], "label: {feature: click, events: clicks, match: [request_id, item_id], within: 30m}",
            sampling: $"{{split: {split}}}"), "split");

        // 18:00 in Asia/Shanghai (UTC+8, no daylight saving) on the run day, and 6 hours before its end: the same instant.
        long cut = new DateTimeOffset(2024, 6, 1, 18, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds() * 1000;
        string output = result.Summary.Output;
        var eval = TestLogs.ReadSamples(Path.Combine(output, "eval"));
        var train = TestLogs.ReadSamples(Path.Combine(output, "train"));
        Assert.That(eval, Has.Count.GreaterThan(100));
        Assert.That(train, Has.Count.GreaterThan(100));
        Assert.That(eval.Select(s => s.Int("ts")), Has.All.GreaterThanOrEqualTo(cut));
        Assert.That(train.Select(s => s.Int("ts")), Has.All.LessThan(cut));
        Assert.That(result.Count("eval"), Is.EqualTo(eval.Count));
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "_manifest.json")));
        Assert.That(manifest.RootElement.GetProperty("sampling").GetProperty("split").GetProperty("by").GetString(), Is.EqualTo("time"));
    }

    private static string Labels() => "labels:\n    primary: click\n" + string.Concat(s_rules.Select(r => $"    {r.Key}: {r.Value}\n"));

    private static string Key(Sample s) => ProjectHash.Key(s.Str("request_id"), s.Str("item_id"));

    private static float Weight(Sample s) => s.Example.Features.Feature["sample_weight"].FloatList.Value.Single();

    private JobResult Run(string yaml, string name) =>
        _logs.Run(yaml.Replace("{input}", _generated, StringComparison.Ordinal), Day, output: Path.Combine(_logs.Root, "out-" + name));

    private static string Spec(IEnumerable<string> labels, string labelRules, string? sampling = null, bool weight = false)
    {
        var lines = new List<string> { "spec: 1", "name: several_labels", "features:" };
        lines.AddRange(labels.Select(l => $"  - {{name: {l}, dtype: int64, role: label}}"));
        if (weight)
        {
            lines.Add("  - {name: sample_weight, dtype: float}");
        }

        lines.AddRange(
        [
            "  - {name: request_id, dtype: string, role: key}",
            "  - {name: item_id, dtype: string, role: item}",
            "  - {name: ts, dtype: int64, role: context}",
            "job:",
            "  sources:",
            "    impressions: {path: \"{input}/impressions/dt={date..date+1d}\", format: parquet, time: {column: ts, unit: ms}, dedup: [request_id, item_id]}",
            "    clicks: {path: \"{input}/clicks/dt={date..date+1d}\", format: parquet, time: {column: ts, unit: ms}}",
            "  timezone: Asia/Shanghai",
            "  " + labelRules.TrimEnd(),
            "  columns: {request_id: impressions.request_id, item_id: impressions.item_id, ts: impressions.ts}",
            "  output: {shards: 2, shard_key: [request_id]}",
        ]);
        if (sampling is not null)
        {
            lines.Add("  sampling: " + sampling);
        }

        return string.Join('\n', lines) + "\n";
    }
}
