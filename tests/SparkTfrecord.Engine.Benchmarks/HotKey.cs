using System.Globalization;
using DuckDB.NET.Data;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Planning;

/// <summary>
/// The hot-key benchmark: the same number of clicks in the 16-day window, once all of one user's ("hot") and once
/// spread over 10,001 users (the hot user among them), with the same impressions on the run day (the hot user has
/// some of them); each runs <c>sparktf samples</c> with the default memory limit as a child process. The histories of
/// the hot user's impressions hold the full 50 items in both; only the skew differs.
/// </summary>
internal static class HotKey
{
    private const int SpreadUsers = 10_000;

    /// <summary>Generates (once, kept in <paramref name="work"/>) and measures.</summary>
    /// <param name="clicks">Clicks in the window.</param>
    /// <param name="impressions">Impressions on the run day.</param>
    /// <param name="hotImpressions">How many of them are the hot user's.</param>
    /// <param name="repeat">Runs of each.</param>
    /// <param name="work">Folder for logs and outputs.</param>
    /// <param name="sparktf">The sparktf assembly.</param>
    /// <param name="spec">The spec (conf/din.yaml).</param>
    /// <param name="date">The run day.</param>
    /// <returns>The process's exit code.</returns>
    public static int Run(long clicks, long impressions, long hotImpressions, int repeat, string work, string sparktf, string spec, string date)
    {
        var results = new Dictionary<string, (double Seconds, long PeakKb)>();
        var failed = new HashSet<string>();
        for (int r = 0; r < repeat; r++)
        {
            foreach (string mode in new[] { "hot", "spread" }.Where(m => !failed.Contains(m)))
            {
                string logs = Path.Combine(work, $"hotkey-{mode}-{clicks}");
                string key = LogsKey(mode == "hot", clicks, impressions, hotImpressions);
                if (!LogsCache.TryReuse(logs, key))
                {
                    Console.Error.WriteLine($"generating {mode} logs in {logs} ...");
                    Generate(logs, mode == "hot", clicks, impressions, hotImpressions, DateOnly.Parse(date, CultureInfo.InvariantCulture));
                }

                string output = Path.Combine(work, $"out-hotkey-{mode}");
                string[] command = [sparktf, "samples", "--conf", spec, "--date", date, "--input", logs, "--output", output, "--compression", "none", "--summary", output + ".json"];
                try
                {
                    var (seconds, peak) = ChildProcess.Measure(command);
                    Console.Error.WriteLine($"  {mode}: {seconds:F2} s, peak {peak / 1024} MiB");
                    if (!results.TryGetValue(mode, out var b) || seconds < b.Seconds)
                    {
                        results[mode] = (seconds, Math.Max(peak, results.GetValueOrDefault(mode).PeakKb));
                    }
                    else
                    {
                        results[mode] = (b.Seconds, Math.Max(peak, b.PeakKb));
                    }
                }
                catch (InvalidOperationException e)
                {
                    // Reported, and the other shape still measured: a failure of one is itself the comparison.
                    Console.Error.WriteLine($"  {mode}: FAILED: {e.Message}");
                    failed.Add(mode);
                }
            }
        }

        string Cell(string mode) => failed.Contains(mode) ? "failed" : $"{results[mode].Seconds:F1} s / {results[mode].PeakKb / 1024} MiB";
        string ratio = failed.Count > 0 ? "-" : $"{results["hot"].Seconds / results["spread"].Seconds:F2}x";
        Console.WriteLine($"| clicks in the window | one hot user (time / peak RSS) | spread over {SpreadUsers + 1:N0} users | hot / spread time |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| {clicks:N0} | {Cell("hot")} | {Cell("spread")} | {ratio} |");
        return failed.Count > 0 ? 1 : 0;
    }

    // Written with DuckDB straight to Parquet, partitioned by local date as conf/din.yaml reads it. Clicks fall at
    // pseudo-random instants over the 15 days before the run day and the run day itself; click i belongs to the hot
    // user, or (spread) to user i mod 10,001 (the last of them being the hot user).
    private static void Generate(string logs, bool hot, long clicks, long impressions, long hotImpressions, DateOnly date)
    {
        if (Directory.Exists(logs))
        {
            Directory.Delete(logs, true);
        }

        Directory.CreateDirectory(logs);
        JobConfigParser.TryFindZone("Asia/Shanghai", out var zone);
        long dayStart = JobPlan.LocalMidnightMicros(date, zone) / 1000;
        const long Day = 86_400_000;
        long windowStart = dayStart - (15 * Day);
        long span = 16 * Day;

        // Asia/Shanghai has kept UTC+8 since 1991: a local date is the UTC date of the instant plus 8 hours.
        const string Dt = "strftime(make_timestamp((ts + 28800000) * 1000), '%Y-%m-%d')";
        string user = hot ? "'hot'" : $"CASE WHEN i % {SpreadUsers + 1} = {SpreadUsers} THEN 'hot' ELSE 'u' || (i % {SpreadUsers + 1}) END";
        string Path(string name) => System.IO.Path.Combine(logs, name).Replace("'", "''", StringComparison.Ordinal);
        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        Exec(db, "SET threads = 2; SET TimeZone = 'UTC'");
        Exec(db,
            $"COPY (SELECT request_id, user_id, item_id, ts, {Dt} AS dt FROM (" +
            $"SELECT 'c' || i AS request_id, {user} AS user_id, 'i' || (hash(i, 7) % 50000) AS item_id, " +
            $"{windowStart} + CAST(hash(i) % {span} AS BIGINT) AS ts FROM range({clicks}) t(i))) " +
            $"TO '{Path("clicks")}' (FORMAT parquet, PARTITION_BY (dt))");
        Exec(db,
            $"COPY (SELECT request_id, user_id, item_id, ts, device, page, {Dt} AS dt FROM (" +
            $"SELECT 'r' || j AS request_id, CASE WHEN j < {hotImpressions} THEN 'hot' ELSE 'u' || (j % {SpreadUsers}) END AS user_id, " +
            $"'i' || (hash(j, 11) % 50000) AS item_id, {dayStart} + CAST(hash(j, 3) % {Day} AS BIGINT) AS ts, 'pixel 6' AS device, 'home' AS page " +
            $"FROM range({impressions}) t(j))) TO '{Path("impressions")}' (FORMAT parquet, PARTITION_BY (dt))");
        Directory.CreateDirectory(Path("users"));
        Directory.CreateDirectory(Path("items"));
        Exec(db, $"COPY (SELECT 'u' || k AS user_id, CAST(16 + k % 60 AS BIGINT) AS age, CAST(k % 2 AS VARCHAR) AS gender FROM range({SpreadUsers}) t(k)) TO '{Path("users/part-00000.parquet")}' (FORMAT parquet)");
        Exec(db, $"COPY (SELECT 'i' || k AS item_id, 'c' || (k % 40) AS category, CAST(k % 500 AS DOUBLE) AS price FROM range(50000) t(k)) TO '{Path("items/part-00000.parquet")}' (FORMAT parquet)");
        LogsCache.Done(logs, LogsKey(hot, clicks, impressions, hotImpressions), "");
    }

    // What the logs below are made of (their cache key, LogsCache): raise the version with any change to Generate.
    private static string LogsKey(bool hot, long clicks, long impressions, long hotImpressions) =>
        $"HotKey v1: {(hot ? "hot" : "spread")} {clicks} clicks, {impressions} impressions ({hotImpressions} of the hot user)";

    private static void Exec(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
