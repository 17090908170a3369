using DuckDB.NET.Data;
using SparkTfrecord.Engine.Generation;

using static SparkTfrecord.Engine.Tests.InMemoryDuckDb;

namespace SparkTfrecord.Engine.Tests;

/// <summary>
/// <see cref="LogGeneratorOptions.HistoryImpressionsPerDay"/>: the days whose impressions are not written are drawn from
/// that many impressions (their clicks, counted by the day in their request id, scale with it), the written days keep
/// <see cref="LogGeneratorOptions.ImpressionsPerDay"/>, the files are the same for a seed, and the option at the run
/// day's rate changes nothing.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class GeneratedHistoryTests
{
    private const int PerDay = 20_000;
    private const int HistoryPerDay = 2_000;
    private const int Days = 6;
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("sparktf-history-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    // Days 2024-01-11 .. 2024-01-16; impressions written for 01-15 and 01-16, the four days before are the history.
    private LogGeneratorOptions Options(string name, int? history, int seed = 3) => new()
    {
        Output = Path.Combine(_root, name),
        Date = new DateOnly(2024, 1, 16),
        Days = Days,
        ImpressionDays = 2,
        ImpressionsPerDay = PerDay,
        HistoryImpressionsPerDay = history,
        Users = 500,
        Items = 300,
        Seed = seed,
    };

    [Test]
    public void The_history_days_clicks_scale_with_the_history_rate_and_the_written_days_keep_theirs()
    {
        var thin = Options("thin", HistoryPerDay);
        var full = Options("full", null);
        LogGenerator.Generate(thin);
        LogGenerator.Generate(full);

        // A click's request id names the day it was drawn on (r20240112-.. or x2024-01-12-..), whichever partition a late
        // click fell into.
        var thinClicks = ClicksByDrawnDay(thin.Output);
        var fullClicks = ClicksByDrawnDay(full.Output);
        string[] history = ["20240111", "20240112", "20240113", "20240114"];
        string[] written = ["20240115", "20240116"];
        long thinHistory = history.Sum(d => thinClicks.GetValueOrDefault(d));
        long fullHistory = history.Sum(d => fullClicks.GetValueOrDefault(d));
        using var db = Open();
        long thinImpressions = Scalar(db, $"SELECT count(*) FROM read_parquet('{thin.Output}/impressions/*/*.parquet')");

        Assert.Multiple(() =>
        {
            // About 4.2 clicks per 100 impressions (4% clicked, 0.2% clicks with no impression): 4 x 2,000 x 0.042 = 336.
            Assert.That(thinHistory, Is.InRange(250, 430), "the history days' clicks at 2,000 impressions a day");
            Assert.That(fullHistory, Is.InRange(3_000, 3_750), "the same days at 20,000 impressions a day");
            Assert.That((double)thinHistory / fullHistory, Is.InRange(0.07, 0.13), "a tenth of the impressions, a tenth of the clicks");
            foreach (string day in written)
            {
                Assert.That(thinClicks.GetValueOrDefault(day), Is.InRange(700, 980), $"{day}: a written day's clicks at 20,000 impressions");
            }

            // The written days' impressions: 20,000 each, 1% logged twice.
            Assert.That(thinImpressions, Is.InRange(2 * PerDay, 2 * PerDay * 1.02));
            var impressionDays = Directory.GetDirectories(Path.Combine(thin.Output, "impressions")).Select(d => Path.GetFileName(d)!).ToList();
            Assert.That(impressionDays, Is.SupersetOf(new[] { "dt=2024-01-15", "dt=2024-01-16" }));
            Assert.That(impressionDays, Has.All.Matches<string>(d => string.CompareOrdinal(d, "dt=2024-01-15") >= 0), "no history day's impressions written");
            Assert.That(Scalar(db, $"SELECT count(DISTINCT user_id) FROM read_parquet('{thin.Output}/clicks/*/*.parquet') WHERE request_id LIKE 'r2024011_-%' AND request_id < 'r20240115'"),
                Is.GreaterThan(100), "the history's clicks come from many of the same 500 users");
        });
    }

    [Test]
    public void The_same_seed_writes_the_same_files_and_another_seed_other_ones()
    {
        LogGenerator.Generate(Options("a", HistoryPerDay));
        LogGenerator.Generate(Options("b", HistoryPerDay));
        LogGenerator.Generate(Options("c", HistoryPerDay, seed: 4));

        var a = Files("a");
        Assert.That(a.Keys, Has.Some.StartsWith("clicks/dt=2024-01-11"));
        Assert.That(Files("b"), Is.EqualTo(a), "seed 3 twice");
        Assert.That(Files("c")["clicks/dt=2024-01-12/part-00000.parquet"], Is.Not.EqualTo(a["clicks/dt=2024-01-12/part-00000.parquet"]), "seed 4");
    }

    [Test]
    public void The_history_rate_equal_to_the_run_days_writes_what_no_history_rate_writes()
    {
        LogGenerator.Generate(Options("same", PerDay));
        LogGenerator.Generate(Options("none", null));

        Assert.That(Files("same"), Is.EqualTo(Files("none")));
    }

    [TestCase(-1, 2)]
    [TestCase(100, 0)]
    public void A_negative_rate_or_one_without_unwritten_days_is_refused(int history, int impressionDays)
    {
        var options = new LogGeneratorOptions
        {
            Output = Path.Combine(_root, "refused"),
            Date = new DateOnly(2024, 1, 16),
            Days = 3,
            ImpressionDays = impressionDays,
            HistoryImpressionsPerDay = history,
        };

        var e = Assert.Throws<ArgumentException>(() => LogGenerator.Generate(options));
        Assert.That(e!.Message, Does.Contain("HistoryImpressionsPerDay").And.Contain("ImpressionDays"));
        Assert.That(Directory.Exists(options.Output), Is.False, "nothing written");
    }

    // Relative path -> contents, for every file under a generated folder.
    private SortedDictionary<string, byte[]> Files(string name)
    {
        string folder = Path.Combine(_root, name);
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (string file in Directory.GetFiles(folder, "*", SearchOption.AllDirectories))
        {
            files[Path.GetRelativePath(folder, file).Replace('\\', '/')] = File.ReadAllBytes(file);
        }

        return files;
    }

    // Clicks per day they were drawn on (yyyyMMdd), from the request ids: r20240112-1f3 or x2024-01-12-1f3.
    private static Dictionary<string, long> ClicksByDrawnDay(string logs)
    {
        using var db = Open();
        using var command = db.CreateCommand();
        command.CommandText = $"SELECT replace(substr(request_id, 2, CASE WHEN request_id LIKE 'x%' THEN 10 ELSE 8 END), '-', '') AS day, count(*) " +
            $"FROM read_parquet('{logs}/clicks/*/*.parquet') GROUP BY ALL";
        using var reader = command.ExecuteReader();
        var counts = new Dictionary<string, long>();
        while (reader.Read())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }
}
