using System.Text.Json;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Hashing;
using SparkTfrecord.Engine.Jobs;

namespace SparkTfrecord.Engine.Tests;

/// <summary>Sharding, sampling, the split, the quarantine, text formats and config errors, on small hand-written logs.</summary>
[TestFixture]
[Category("Fast")]
public sealed class JobFeaturesTests
{
    private const string Day = "2024-01-15";
    private TestLogs _logs = null!;

    [SetUp]
    public void SetUp()
    {
        _logs = new TestLogs().User("u1", 30, "1").Item("A", "shoes");
        for (int i = 0; i < 200; i++)
        {
            _logs.Imp($"r{i}", $"u{i % 7}", i % 3 == 0 ? "A" : $"I{i % 11}", $"2024-01-15 {8 + (i % 12):D2}:{i % 60:D2}:00");
            if (i % 5 == 0)
            {
                _logs.Click($"r{i}", $"u{i % 7}", i % 3 == 0 ? "A" : $"I{i % 11}", $"2024-01-15 {8 + (i % 12):D2}:{i % 60:D2}:30");
            }
        }
    }

    [TearDown]
    public void TearDown() => _logs.Dispose();

    [Test]
    public void Each_record_goes_to_the_shard_of_its_keys_hash_and_shards_are_ordered_by_that_hash()
    {
        var result = _logs.Run(Specs.Din(), Day);

        Assert.That(result.Samples, Has.Count.EqualTo(200));
        foreach (var group in result.Samples.GroupBy(s => s.File))
        {
            var hashes = group.Select(s => ProjectHash.Of(ProjectHash.Key(s.Str("request_id"), s.Str("item_id")))).ToList();
            int shard = int.Parse(group.Key.AsSpan(5, 5), System.Globalization.CultureInfo.InvariantCulture);
            Assert.That(hashes.Select(h => (int)(h % 3)), Is.All.EqualTo(shard), group.Key);
            Assert.That(hashes, Is.Ordered, group.Key);
        }
    }

    [Test]
    public void Writing_in_several_passes_gives_the_same_files()
    {
        var one = _logs.Run(Specs.Din(), Day, output: Path.Combine(_logs.Root, "one-pass"));
        var three = _logs.Run(Specs.Din(), Day, output: Path.Combine(_logs.Root, "three-passes"), samplesPerPass: 70);

        foreach (string file in Directory.GetFiles(one.Summary.Output).Select(f => Path.GetFileName(f)))
        {
            Assert.That(File.ReadAllBytes(Path.Combine(three.Summary.Output, file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(one.Summary.Output, file))), file);
        }
    }

    [Test]
    public void Negatives_are_down_sampled_and_the_split_decided_by_the_project_hash()
    {
        string spec = Specs.Din(extraJob: "  sampling: {negative_rate: 0.5, eval_fraction: 0.25, salt: s1, key: [request_id, item_id]}");

        var result = _logs.Run(spec, Day);

        var all = new TestLogs();
        Assert.Multiple(() =>
        {
            foreach (var s in result.Samples)
            {
                string key = ProjectHash.Key(s.Str("request_id"), s.Str("item_id"));
                if (s.Int("label") == 0)
                {
                    Assert.That(ProjectHash.KeepNegative("s1", key, 0.5), Is.True, key);
                }

                bool eval = s.File.Contains("eval", StringComparison.Ordinal) || Path.GetDirectoryName(s.File) == "eval";
                _ = eval;
            }
        });
        all.Dispose();
        int positives = result.Samples.Count(s => s.Int("label") == 1);
        Assert.That(positives, Is.EqualTo(40), "every positive is kept");
        int expectedNegatives = Enumerable.Range(0, 200).Where(i => i % 5 != 0)
            .Count(i => ProjectHash.KeepNegative("s1", ProjectHash.Key($"r{i}", i % 3 == 0 ? "A" : $"I{i % 11}"), 0.5));
        Assert.That(result.Samples.Count - positives, Is.EqualTo(expectedNegatives));
        Assert.That(result.Count("negatives_dropped"), Is.EqualTo(160 - expectedNegatives));
        string output = result.Summary.Output;
        var evalKeys = TestLogs.ReadSamples(Path.Combine(output, "eval")).Select(s => ProjectHash.Key(s.Str("request_id"), s.Str("item_id"))).ToList();
        var trainKeys = TestLogs.ReadSamples(Path.Combine(output, "train")).Select(s => ProjectHash.Key(s.Str("request_id"), s.Str("item_id"))).ToList();
        Assert.That(evalKeys, Is.Not.Empty);
        Assert.That(evalKeys, Has.All.Matches<string>(k => ProjectHash.IsEval("s1", k, 0.25)));
        Assert.That(trainKeys, Has.None.Matches<string>(k => ProjectHash.IsEval("s1", k, 0.25)));
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "_manifest.json")));
        Assert.That(manifest.RootElement.GetProperty("sampling").GetProperty("negative_rate").GetDouble(), Is.EqualTo(0.5));
        Assert.That(manifest.RootElement.GetProperty("sampling").GetProperty("eval_fraction").GetDouble(), Is.EqualTo(0.25));
    }

    [Test]
    public void Bad_rows_go_to_the_quarantine_with_file_and_reason_and_a_threshold_fails_the_job()
    {
        _logs.Add("impressions", Day, new() { ["request_id"] = "bad1", ["user_id"] = null, ["item_id"] = "A", ["ts"] = "2024-01-15 10:00:00", ["device"] = "x" })
             .Add("impressions", Day, new() { ["request_id"] = "bad2", ["user_id"] = "u1", ["item_id"] = "A", ["ts"] = "not a time", ["device"] = "x" });

        var result = _logs.Run(Specs.Din(extraJob: "  quarantine: {max_bad_fraction: 0.05}"), Day);

        Assert.That(result.Samples, Has.Count.EqualTo(200));
        Assert.That(result.Count("quarantined.impressions"), Is.EqualTo(2));
        string[] lines = File.ReadAllLines(Path.Combine(result.Summary.Output, "_quarantine", "rows.jsonl"));
        Assert.That(lines, Has.Length.EqualTo(2));
        Assert.That(lines, Has.Some.Contains("key column 'user_id' is null").And.Some.Contains("time column 'ts' is null or not a valid timestamp text"));
        Assert.That(lines, Has.All.Contains("part-0.jsonl"));
        Assert.That(lines, Has.Some.Contains("\"row\":201,").And.Some.Contains("\"row\":202,"), "their lines, after the 200 good impressions");

        var failed = Assert.Throws<JobFailedException>(() => _logs.Run(Specs.Din(extraJob: "  quarantine: {max_bad_fraction: 0.001}"), Day, output: Path.Combine(_logs.Root, "strict")));
        Assert.That(failed!.Message, Does.Contain("2 of").And.Contain("max_bad_fraction"));
        Assert.That(Directory.Exists(Path.Combine(_logs.Root, "strict")), Is.False);
        Assert.That(File.Exists(Path.Combine(_logs.Root, "strict.quarantine.jsonl")), Is.True);
    }

    [Test]
    public void Csv_sources_without_a_header_and_with_another_delimiter_give_the_same_samples()
    {
        var json = _logs.Run(Specs.Din(), Day);
        string csvRoot = Path.Combine(_logs.Root, "csv");
        foreach (string table in new[] { "impressions", "clicks", "users", "items" })
        {
            foreach (string file in Directory.EnumerateFiles(Path.Combine(_logs.Input, table), "*.jsonl", SearchOption.AllDirectories))
            {
                string target = Path.Combine(csvRoot, Path.GetRelativePath(_logs.Input, file)).Replace(".jsonl", ".csv", StringComparison.Ordinal);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.WriteAllLines(target, File.ReadLines(file).Select(l => string.Join('|', JsonDocument.Parse(l).RootElement.EnumerateObject().Select(p => p.Value.ToString()))));
            }
        }

        string spec = Specs.Din().Replace("{input}/", csvRoot + "/", StringComparison.Ordinal)
            .Replace("format: jsonl, time", "format: csv, csv: {header: false, delimiter: '|', columns: [request_id, user_id, item_id, ts, device]}, time", StringComparison.Ordinal)
            .Replace("users\", format: jsonl", "users\", format: csv, csv: {header: false, delimiter: '|', columns: [user_id, age, gender]}", StringComparison.Ordinal)
            .Replace("items\", format: jsonl", "items\", format: csv, csv: {header: false, delimiter: '|', columns: [item_id, category]}", StringComparison.Ordinal)
            .Replace("clicks/dt={date-15d..date+1d}\", format: csv, csv: {header: false, delimiter: '|', columns: [request_id, user_id, item_id, ts, device]}", "clicks/dt={date-15d..date+1d}\", format: csv, csv: {header: false, delimiter: '|', columns: [request_id, user_id, item_id, ts]}", StringComparison.Ordinal);

        var csv = _logs.Run(spec, Day, output: Path.Combine(_logs.Root, "csv-out"));

        Assert.That(csv.Samples.Select(s => s.Example), Is.EqualTo(json.Samples.Select(s => s.Example)));

        // A malformed line is quarantined with its file and line; the rest is read as before.
        string impressions = Path.Combine(csvRoot, "impressions", "dt=" + Day, "part-0.csv");
        var lines = File.ReadAllLines(impressions).ToList();
        lines.Insert(100, "broken|line|with|far|too|many|fields|here");
        File.WriteAllLines(impressions, lines);
        var broken = _logs.Run(spec + "  quarantine: {max_bad_fraction: 0.5}\n", Day, output: Path.Combine(_logs.Root, "csv-broken"));
        Assert.That(broken.Samples.Select(s => s.Example), Is.EqualTo(json.Samples.Select(s => s.Example)));
        Assert.That(broken.Count("quarantined.impressions"), Is.EqualTo(1), File.ReadAllText(Path.Combine(broken.Summary.Output, "_quarantine", "rows.jsonl")));
        string quarantined = File.ReadAllText(Path.Combine(broken.Summary.Output, "_quarantine", "rows.jsonl"));
        Assert.That(quarantined, Does.Contain("\"row\":101").And.Contain("malformed CSV line").And.Contain("part-0.csv"));
    }

    [Test]
    public void An_unknown_key_in_the_job_section_is_reported_with_its_line_and_column()
    {
        string spec = Specs.Din().Replace("label: {events: clicks,", "label: {evnts: clicks,", StringComparison.Ordinal);

        var error = Assert.Throws<JobConfigException>(() => _logs.Run(spec, Day));

        Assert.That(error!.Message, Does.Match(@"spec\.yaml:\d+:\d+: unknown key 'evnts' in 'label'\. Did you mean 'events'\? Known keys: events, match, within, filter, feature\."));
    }
}
