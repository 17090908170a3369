using System.Globalization;
using DuckDB.NET.Data;
using SparkTfrecord.Engine.Generation;

using static SparkTfrecord.Engine.Tests.InMemoryDuckDb;

namespace SparkTfrecord.Engine.Tests;

/// <summary>
/// The generated logs' versioned profiles (issue 13), and the job's as-of join on them against an independent
/// reference: DuckDB's own <c>ASOF LEFT JOIN</c> over the generated files (a different algorithm from the plan's two
/// row_numbers; the generated versions never share an instant, where the two could differ).
/// </summary>
[TestFixture]
[Category("Fast")]
[Parallelizable(ParallelScope.None)]
public sealed class GeneratedVersionsTests
{
    private const string Day = "2024-01-15";
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("sparktf-versions-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    private static LogGeneratorOptions Options(string output, int seed = 3) => new()
    {
        Output = output,
        Date = new DateOnly(2024, 1, 16),
        Days = 4,
        ImpressionDays = 2,
        ImpressionsPerDay = 4000,
        Users = 300,
        Items = 200,
        Seed = seed,
    };

    [Test]
    public void Some_users_and_items_change_during_the_window_and_the_same_seed_writes_the_same_versions()
    {
        string a = Path.Combine(_root, "a");
        string b = Path.Combine(_root, "b");
        LogGenerator.Generate(Options(a));
        LogGenerator.Generate(Options(b));
        LogGenerator.Generate(Options(Path.Combine(_root, "c"), seed: 4));

        using var db = Open();
        long windowStart = new DateTimeOffset(2024, 1, 12, 16, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(); // 01-13 00:00 in Shanghai
        long changedUsers = Scalar(db, $"SELECT count(DISTINCT user_id) FROM read_parquet('{a}/users/*.parquet') WHERE updated_at >= {windowStart}");
        long versionedUsers = Scalar(db, $"SELECT count(*) FROM (SELECT user_id FROM read_parquet('{a}/users/*.parquet') GROUP BY user_id HAVING count(*) > 1)");
        long changedItems = Scalar(db, $"SELECT count(*) FROM (SELECT item_id FROM read_parquet('{a}/items/*.parquet') GROUP BY item_id HAVING count(DISTINCT category) > 1)");
        long sameInstant = Scalar(db, $"SELECT count(*) FROM (SELECT user_id, updated_at FROM read_parquet('{a}/users/*.parquet') GROUP BY ALL HAVING count(*) > 1)");

        Assert.Multiple(() =>
        {
            Assert.That(versionedUsers, Is.InRange(20, 80), "about 15% of ~285 users change");
            Assert.That(changedUsers, Is.GreaterThan(versionedUsers), "the changes, and the 2% who sign up, fall in the window");
            Assert.That(changedItems, Is.InRange(8, 40), "about 10% of ~194 items are recategorised");
            Assert.That(sameInstant, Is.Zero);
            Assert.That(File.ReadAllBytes(Path.Combine(a, "users", "part-00000.parquet")), Is.EqualTo(File.ReadAllBytes(Path.Combine(b, "users", "part-00000.parquet"))));
            Assert.That(File.ReadAllBytes(Path.Combine(a, "items", "part-00000.parquet")), Is.EqualTo(File.ReadAllBytes(Path.Combine(b, "items", "part-00000.parquet"))));
            Assert.That(File.ReadAllBytes(Path.Combine(a, "users", "part-00000.parquet")), Is.Not.EqualTo(File.ReadAllBytes(Path.Combine(_root, "c", "users", "part-00000.parquet"))));
        });
    }

    [Test]
    public void Every_samples_profile_and_category_equal_duckdbs_asof_join_of_the_generated_files()
    {
        string input = Path.Combine(_root, "logs");
        LogGenerator.Generate(Options(input));
        string spec = Specs.Din(format: "parquet", unit: "ms")
            .Replace("key: user_id}", "key: user_id, as_of: {column: updated_at, unit: ms}}", StringComparison.Ordinal)
            .Replace("key: item_id}", "key: item_id, as_of: {column: updated_at, unit: ms}}", StringComparison.Ordinal);
        var result = RunJob(spec, input);

        // The reference: the earliest copy of each impression of the day (copies are always later, so no ties), then
        // DuckDB's ASOF LEFT JOIN on the user and the item (the latest version with updated_at <= ts).
        long dayStart = new DateTimeOffset(2024, 1, 14, 16, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        long dayEnd = dayStart + 86_400_000L;
        string impressions = $"['{input}/impressions/dt=2024-01-15/part-00000.parquet', '{input}/impressions/dt=2024-01-16/part-00000.parquet']";
        string sql =
            $"WITH imp AS (SELECT request_id, item_id, user_id, ts FROM read_parquet({impressions}) WHERE user_id IS NOT NULL AND ts IS NOT NULL " +
            $"  QUALIFY row_number() OVER (PARTITION BY request_id, item_id ORDER BY ts) = 1), " +
            $"day AS (SELECT * FROM imp WHERE ts >= {dayStart} AND ts < {dayEnd}), " +
            $"withUser AS (SELECT d.*, u.age, u.gender, u.updated_at IS NOT NULL AS has_user FROM day d ASOF LEFT JOIN read_parquet('{input}/users/*.parquet') u ON d.user_id = u.user_id AND d.ts >= u.updated_at) " +
            $"SELECT w.request_id, w.item_id, w.age, w.gender, i.category, w.has_user, " +
            $"  (SELECT last(age ORDER BY updated_at) FROM read_parquet('{input}/users/*.parquet') l WHERE l.user_id = w.user_id) AS age_now " +
            $"FROM withUser w ASOF LEFT JOIN read_parquet('{input}/items/*.parquet') i ON w.item_id = i.item_id AND w.ts >= i.updated_at";
        using var db = Open();
        var expected = new Dictionary<(string, string), (long Age, string Gender, string Category, bool HasUser, long? AgeNow)>();
        using (var command = db.CreateCommand())
        {
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                expected[(reader.GetString(0), reader.GetString(1))] = (
                    reader.IsDBNull(2) ? 0 : reader.GetInt64(2),
                    reader.IsDBNull(3) ? "未知" : reader.GetString(3),
                    reader.IsDBNull(4) ? "unknown" : reader.GetString(4),
                    reader.GetBoolean(5),
                    reader.IsDBNull(6) ? null : reader.GetInt64(6));
            }
        }

        var actual = result.Samples.ToDictionary(s => (s.Str("request_id"), s.Str("item_id")));
        Assert.That(actual.Keys, Is.EquivalentTo(expected.Keys));
        var wrong = expected.Where(e =>
            actual[e.Key].Int("age") != e.Value.Age || actual[e.Key].Str("gender") != e.Value.Gender || actual[e.Key].Str("category") != e.Value.Category).Select(e => e.Key).Take(5).ToList();
        Assert.That(wrong, Is.Empty, "samples whose profile or category is not the as-of version");
        Assert.That(result.Count("missing.users"), Is.EqualTo(expected.Values.Count(v => !v.HasUser)));
        Assert.That(expected.Values.Count(v => v.HasUser && v.AgeNow != v.Age && v.AgeNow is not null), Is.GreaterThan(0),
            "some samples see an older age than the user's latest version, so the logs exercise the as-of join");
    }

    private JobResult RunJob(string yaml, string input)
    {
        string spec = Path.Combine(_root, "spec.yaml");
        File.WriteAllText(spec, yaml);
        string output = Path.Combine(_root, "out");
        var summary = Jobs.SamplesJob.Run(Config.JobDefinition.Load(spec), new Jobs.SamplesJobOptions
        {
            Date = DateOnly.Parse(Day, CultureInfo.InvariantCulture),
            Input = input,
            Output = output,
            Engine = new Engines.DuckDbEngineOptions { Threads = 2, MemoryLimit = "512MB" },
        });
        return new JobResult(summary, TestLogs.ReadSamples(output));
    }
}
