using System.Globalization;
using System.Text.RegularExpressions;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Engines;
using SparkTfrecord.Engine.Hashing;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Engine.Spark;
using SparkTfrecord.Engine.Sql;

namespace SparkTfrecord.Engine.Tests;

/// <summary>
/// The contract between the SQL plan and its readers: every technical column's name comes from
/// <see cref="TechnicalColumns"/>, so renaming them all in that one place changes nothing a user sees; the shard of a
/// record is one formula in SQL and C#.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed partial class PlanContractTests
{
    private const string Day = "2024-01-15";

    // Another prefix for every technical name: a test that it is the only thing that changes.
    private static readonly TechnicalColumns s_renamed = TechnicalColumns.WithPrefix("__zq");

    private static readonly string[] s_formats = ["jsonl", "csv", "parquet"];

    [Test]
    public void Every_technical_name_in_the_rendered_sql_comes_from_the_contract([ValueSource(nameof(s_formats))] string format)
    {
        string yaml = Specs.Din(format: format, extraJob: "  sampling: {negative_rate: 0.5, eval_fraction: 0.25, salt: s1, key: [request_id, item_id]}\n  checks: {max_outside_day_fraction: 0.5}");
        using var folder = new TempSpec(yaml);
        var definition = JobDefinition.Load(folder.Spec);
        var date = DateOnly.Parse(Day, CultureInfo.InvariantCulture);
        var plain = WithCsvColumns(JobPlan.Create(definition, date, "/in", resolveFiles: false));
        var renamed = WithCsvColumns(JobPlan.Create(definition, date, "/in", resolveFiles: false, s_renamed));

        foreach (SqlDialect d in new SqlDialect[] { DuckDbDialect.Instance, SparkDialect.Modern, SparkDialect.Legacy })
        {
            string before = Everything(PlanRenderer.Render(plain, d));
            string after = Everything(PlanRenderer.Render(renamed, d));

            // Every technical name of the renamed SQL has the new prefix: none is spelled anywhere but the contract.
            var stray = TechnicalName().Matches(after).Select(m => m.Value).Where(n => !n.StartsWith(s_renamed.Prefix, StringComparison.Ordinal)).Distinct().ToList();
            Assert.That(stray, Is.Empty, $"{d.Name}: technical names not made by the contract");
            Assert.That(after, Does.Contain(s_renamed.Hash).And.Contain(s_renamed.Split).And.Contain(s_renamed.File), d.Name);

            // And the prefix is all that changed.
            Assert.That(after.Replace(s_renamed.Prefix, TechnicalColumns.Default.Prefix, StringComparison.Ordinal), Is.EqualTo(before), d.Name);
        }

        foreach (var writer in new[] { SparkWriter.Connector, SparkWriter.Native })
        {
            var options = new SparkScriptOptions { Target = "/out", Writer = writer };
            string before = SparkScript.Render(plain, options).Text();
            string after = SparkScript.Render(renamed, options).Text();
            var stray = TechnicalName().Matches(after).Select(m => m.Value).Where(n => !n.StartsWith(s_renamed.Prefix, StringComparison.Ordinal)).Distinct().ToList();
            Assert.That(stray, Is.Empty, $"Spark script, {writer} writer");
            Assert.That(after.Replace(s_renamed.Prefix, TechnicalColumns.Default.Prefix, StringComparison.Ordinal), Is.EqualTo(before), $"Spark script, {writer} writer");
        }
    }

    [Test]
    public void A_samples_job_with_every_technical_column_renamed_writes_the_same_shards_manifest_and_quarantine()
    {
        using var logs = new TestLogs().User("u1", 30, "1").Item("A", "shoes");
        for (int i = 0; i < 120; i++)
        {
            logs.Imp($"r{i}", $"u{i % 7}", i % 3 == 0 ? "A" : $"I{i % 11}", $"2024-01-15 {8 + (i % 12):D2}:{i % 60:D2}:00");
            if (i % 4 == 0)
            {
                logs.Click($"r{i}", $"u{i % 7}", i % 3 == 0 ? "A" : $"I{i % 11}", $"2024-01-15 {8 + (i % 12):D2}:{i % 60:D2}:30");
            }
        }

        // A bad row, for the quarantine (its key is null).
        logs.Add("impressions", "2024-01-15", new() { ["request_id"] = null, ["user_id"] = "u1", ["item_id"] = "A", ["ts"] = "2024-01-15 09:00:00", ["device"] = "pixel" });
        string yaml = Specs.Din(extraJob: "  sampling: {negative_rate: 0.5, eval_fraction: 0.25, salt: s1, key: [request_id, item_id]}\n  quarantine: {max_bad_fraction: 0.1}");

        // Several passes, so the pass filter (the SQL shard formula) is used too.
        var plain = logs.Run(yaml, Day, output: Path.Combine(logs.Root, "plain"), samplesPerPass: 20);
        var renamed = logs.Run(yaml, Day, output: Path.Combine(logs.Root, "renamed"), samplesPerPass: 20, names: s_renamed);

        var files = Directory.GetFiles(plain.Summary.Output, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(plain.Summary.Output, f)).Order(StringComparer.Ordinal).ToList();
        Assert.That(files, Has.Some.StartsWith("train" + Path.DirectorySeparatorChar));
        Assert.That(files, Has.Some.StartsWith("eval" + Path.DirectorySeparatorChar));
        Assert.That(files, Has.Member("_manifest.json"));
        Assert.That(files, Has.Some.StartsWith("_quarantine"));
        Assert.That(plain.Samples, Is.Not.Empty);
        Assert.That(Directory.GetFiles(renamed.Summary.Output, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(renamed.Summary.Output, f)).Order(StringComparer.Ordinal), Is.EqualTo(files));
        foreach (string file in files)
        {
            Assert.That(File.ReadAllBytes(Path.Combine(renamed.Summary.Output, file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(plain.Summary.Output, file))), file);
        }

        Assert.That(renamed.Summary.Counts, Is.EquivalentTo(plain.Summary.Counts));
        Assert.That(plain.Summary.Counts[RunCounts.Read("impressions")], Is.EqualTo(121));
        Assert.That(plain.Summary.Counts[RunCounts.Quarantined("impressions")], Is.EqualTo(1));
    }

    [Test]
    public void The_shard_of_a_hash_is_the_same_in_sql_and_in_csharp()
    {
        var hashes = Enumerable.Range(0, 5000).Select(i => ProjectHash.Of("key" + i.ToString(CultureInfo.InvariantCulture)))
            .Concat([0L, 1L, (1L << 60) - 1, (1L << 60) - 2, 99_999L, 100_000L]).ToList();
        int[] counts = [1, 2, 3, 7, 16, 1000, 99_991, 100_000];
        using var engine = new DuckDbEngine(new DuckDbEngineOptions { Threads = 1 });
        var d = DuckDbDialect.Instance;
        string values = string.Join(", ", hashes.Select(h => $"({d.BigInt(h)})"));
        foreach (int shards in counts)
        {
            var fromSql = new List<(long Hash, long Shard)>();
            engine.Query($"SELECT h, {Sharding.ShardSql("h", shards, d)} FROM (VALUES {values}) t(h) ORDER BY h", r =>
            {
                while (r.Read())
                {
                    fromSql.Add((r.GetInt64(0), r.GetInt64(1)));
                }
            });
            Assert.That(fromSql, Has.Count.EqualTo(hashes.Count));
            Assert.That(fromSql.Select(x => (int)x.Shard), Is.EqualTo(fromSql.Select(x => Sharding.ShardOf(x.Hash, shards))), $"{shards} shards");
            Assert.That(fromSql.Select(x => x.Shard), Is.All.InRange(0, shards - 1));
        }
    }

    [Test]
    public void The_overrides_replace_only_what_the_command_line_gave()
    {
        using var folder = new TempSpec(Specs.Din(extraJob: "  quarantine: {max_bad_fraction: 0.25}"));
        var definition = JobDefinition.Load(folder.Spec);

        var none = JobOverrides.None.Apply(definition).Job;
        var all = new JobOverrides(Shards: 9, Compression: Tfrecord.Framing.TfRecordCompression.Gzip, MaxBadFraction: 0.5).Apply(definition).Job;

        Assert.That((none.Output.Shards, none.Output.Compression, none.MaxBadFraction), Is.EqualTo((3, Tfrecord.Framing.TfRecordCompression.None, 0.25)));
        Assert.That((all.Output.Shards, all.Output.Compression, all.MaxBadFraction), Is.EqualTo((9, Tfrecord.Framing.TfRecordCompression.Gzip, 0.5)));
        Assert.That(all.Output.ShardKey, Is.EqualTo(none.Output.ShardKey));
    }

    // Every query and statement of a rendered job.
    private static string Everything(RenderedJob r) =>
        string.Join("\n;\n", r.Statements.Select(s => s.Sql).Concat(r.QuarantineStatements.Select(s => s.Sql))
            .Concat([r.OutputQuery, r.OutputPasses.Pass(1, 3), r.SortableOutputQuery, r.AuditQuery, r.StatsQuery, r.QuarantineQuery]));

    [GeneratedRegex(@"__\w+")]
    private static partial Regex TechnicalName();

    private sealed class TempSpec : IDisposable
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("sparktf-contract-").FullName;

        public TempSpec(string yaml)
        {
            Spec = Path.Combine(_folder, "spec.yaml");
            File.WriteAllText(Spec, yaml);
        }

        public string Spec { get; }

        public void Dispose() => Directory.Delete(_folder, recursive: true);
    }

    // The Spark engine reads a CSV source with a header only with its columns known (from the files' headers, which
    // are not there): here, the columns the job reads, as a header would give them.
    private static JobPlan WithCsvColumns(JobPlan plan) => plan.WithSources(plan.Sources.ToDictionary(
        s => s.Key,
        s => s.Value.Config.Format != SourceFormat.Csv ? s.Value : s.Value with
        {
            CsvColumns = s.Value.Config.Columns.Concat(s.Value.Config.Time is { } t ? [t.Column] : []).Select(c => s.Value.Config.Rename.TryGetValue(c, out var p) ? p : c).Distinct().ToList(),
        }));
}
