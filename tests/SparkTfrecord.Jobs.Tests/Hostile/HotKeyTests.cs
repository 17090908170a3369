using System.Globalization;
using System.Text.Json;
using DuckDB.NET.Data;

namespace SparkTfrecord.Jobs.Tests.Hostile;

/// <summary>
/// A hot key: one user with a million clicks in the history window. The job's memory must stay within its limit
/// whatever the skew (a window over the user's whole event list ran out of memory at 640k clicks with 1 GB); and the
/// user's histories must still be exactly the newest events before each impression.
/// </summary>
[TestFixture]
[Category("Process")]
[NonParallelizable]
public sealed class HotKeyTests
{
    private const string Date = "2024-01-15";
    private const long Clicks = 1_000_000;
    private const long Hour = 3_600_000;

    // 2024-01-15 00:00 in Asia/Shanghai (UTC+8), epoch ms.
    private const long DayStart = 1_705_248_000_000;

    // Click i of the hot user is at ClickStart + i seconds, of item "i{i}": 1M seconds is 11.6 days, so the clicks run
    // from 11 days before the run day to 13.8 hours into it.
    private const long ClickStart = DayStart - (11 * 24 * Hour);

    [Test]
    public void One_user_with_a_million_clicks_runs_within_a_small_memory_limit_and_gets_the_newest_50()
    {
        using var sandbox = Sandbox.Create("hotkey");
        string logs = sandbox.Path("logs");
        Generate(logs);
        var before = sandbox.Snapshot();
        string output = sandbox.Path("out");

        var result = sandbox.Run(null, "samples", "--conf", Path.Combine(Sparktf.RepoRoot, "conf", "din.yaml"), "--date", Date,
            "--input", logs, "--output", output, "--compression", "none", "--memory-limit", "256MB", "--threads", "2");

        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        var inspect = sandbox.Run(null, "inspect", output);
        Assert.That(inspect.ExitCode, Is.Zero, inspect.Stderr);
        var histories = new Dictionary<string, string[]>();
        foreach (string line in inspect.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var record = JsonDocument.Parse(line);
            var root = record.RootElement;
            if (root.GetProperty("user_id").GetProperty("bytes")[0].GetString() == "hot")
            {
                string item = root.GetProperty("item_id").GetProperty("bytes")[0].GetString()!;
                histories[item] = root.GetProperty("clicked_items_15d").GetProperty("bytes").EnumerateArray().Select(v => v.GetString()!).ToArray();
            }
        }

        Assert.That(histories.Keys, Is.EquivalentTo(Enumerable.Range(0, 20).Select(k => "x" + k)));
        for (int k = 0; k < 20; k++)
        {
            // Impression k is at DayStart + k hours (+ 0 ms for even k: at the instant of a click, which it must not
            // see; + 500 ms for odd k). Its history: the clicks strictly before it, newest first, at most 50.
            long ts = ImpressionTs(k);
            long newest = Math.Min(Clicks - 1, (ts - ClickStart - 1) / 1000);
            var expected = Enumerable.Range(0, 50).Select(j => newest - j).Where(i => i >= 0).Select(i => "i" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
            Assert.That(histories["x" + k], Is.EqualTo(expected), $"impression at {ts}");
        }

        sandbox.AssertUntouchedOutside(before, output);
        sandbox.AssertNoLeftovers();
    }

    private static long ImpressionTs(int k) => DayStart + (k * Hour) + (k % 2 == 0 ? 0 : 500);

    private static void Generate(string logs)
    {
        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        string Q(string relative) => Path.Combine(logs, relative).Replace("'", "''", StringComparison.Ordinal);
        Directory.CreateDirectory(Path.Combine(logs, "users"));
        Directory.CreateDirectory(Path.Combine(logs, "items"));

        // Shanghai is UTC+8: a click's partition is the UTC date of its instant plus 8 hours.
        const string Dt = "strftime(make_timestamp((ts + 28800000) * 1000), '%Y-%m-%d')";
        string impressions = string.Join(" UNION ALL ", Enumerable.Range(0, 20).Select(k =>
            $"SELECT 'r{k}' AS request_id, 'hot' AS user_id, 'x{k}' AS item_id, CAST({ImpressionTs(k)} AS BIGINT) AS ts, 'pixel 6' AS device, 'home' AS page"));
        Exec(db, $"SET threads = 2; SET TimeZone = 'UTC'; " +
            $"COPY (SELECT 'c' || i AS request_id, 'hot' AS user_id, 'i' || i AS item_id, CAST({ClickStart} + i * 1000 AS BIGINT) AS ts, {Dt} AS dt FROM range({Clicks}) t(i)) " +
            $"TO '{Q("clicks")}' (FORMAT parquet, PARTITION_BY (dt)); " +
            $"COPY (SELECT *, {Dt} AS dt FROM ({impressions}) i UNION ALL SELECT 'r-other', 'cold', 'x-other', CAST({DayStart + 7} AS BIGINT), 'pixel 6', 'home', '{Date}') " +
            $"TO '{Q("impressions")}' (FORMAT parquet, PARTITION_BY (dt)); " +
            $"COPY (SELECT 'hot' AS user_id, CAST(30 AS BIGINT) AS age, '1' AS gender, CAST(0 AS BIGINT) AS updated_at) TO '{Q("users/part-00000.parquet")}' (FORMAT parquet); " +
            $"COPY (SELECT 'x0' AS item_id, 'c1' AS category, CAST(1 AS DOUBLE) AS price, CAST(0 AS BIGINT) AS updated_at) TO '{Q("items/part-00000.parquet")}' (FORMAT parquet)");
    }

    private static void Exec(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
