using System.Globalization;
using DuckDB.NET.Data;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Planning;

namespace SparkTfrecord.Engine.Generation;

/// <summary>
/// Writes realistic click logs in the layout <c>conf/din.yaml</c> reads: <c>impressions/dt=YYYY-MM-DD/part-00000.EXT</c>
/// (request_id, user_id, item_id, ts in epoch ms, device, page), <c>clicks/dt=.../part-00000.EXT</c> (request_id,
/// user_id, item_id, ts), <c>users/part-00000.EXT</c> (user_id, age, gender, updated_at) and <c>items/part-00000.EXT</c>
/// (item_id, category, price, updated_at); partitions are cut by local date in the given zone. Items follow a Zipf
/// popularity, users a skewed activity; about 4% of impressions are clicked, mostly within a minute, some late (after
/// the label window, or past midnight); 1% of impressions are logged twice; some clicks have no impression; 5% of users
/// and 3% of items are missing from the profile tables; genders include "未知". The profile tables are versioned (one
/// row per version, <c>updated_at</c> in epoch ms, read with <c>as_of:</c>): every profile has a version from before
/// the logs' first day, except 2% of users who sign up during the window; 15% of users change during the window (a
/// birthday, an age filled in or corrected, a gender corrected) and 10% of items change category. Deterministic for a
/// seed.
/// </summary>
public static class LogGenerator
{
    /// <summary>
    /// The version of what the generator writes for given options: raise it with any change to the rows or files it
    /// writes, so that logs generated earlier and kept (the benchmarks keep theirs between runs, keyed by the options
    /// and this) are made again rather than measured as if they were the new ones.
    /// </summary>
    public const int Version = 1;

    private static readonly string[] s_devices = ["huawei p40pro max", "iphone 13", "xiaomi 11", "oppo reno6", "vivo x70", "honor 50", "pixel 6", "samsung s21"];
    private static readonly string[] s_pages = ["home", "search", "detail", "cart"];

    /// <summary>Generates the logs.</summary>
    /// <param name="options">Options.</param>
    /// <param name="progress">Called with each finished day.</param>
    /// <returns>Counts.</returns>
    public static GeneratedLogs Generate(LogGeneratorOptions options, Action<DateOnly>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.HistoryImpressionsPerDay is { } history && (history < 0 || options.ImpressionDays <= 0))
        {
            throw new ArgumentException($"HistoryImpressionsPerDay ({history}) must be at least 0 and needs ImpressionDays above 0 (the days it applies to are those whose impressions are not written).", nameof(options));
        }

        JobConfigParser.TryFindZone(options.TimeZone, out var zone);
        var random = new Random(options.Seed);
        var userPick = new ZipfSampler(options.Users, 0.9);
        var itemPick = new ZipfSampler(options.Items, 1.1);
        string extension = options.Format switch
        {
            SourceFormat.Csv => "csv",
            SourceFormat.JsonLines => "jsonl",
            _ => "parquet",
        };

        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        Exec(db, "SET threads = 2; SET preserve_insertion_order = true; SET TimeZone = 'UTC'");
        Exec(db, "CREATE TABLE impressions (dt VARCHAR, request_id VARCHAR, user_id VARCHAR, item_id VARCHAR, ts BIGINT, device VARCHAR, page VARCHAR)");
        Exec(db, "CREATE TABLE clicks (dt VARCHAR, request_id VARCHAR, user_id VARCHAR, item_id VARCHAR, ts BIGINT)");
        Exec(db, "CREATE TABLE users (user_id VARCHAR, age BIGINT, gender VARCHAR, updated_at BIGINT)");
        Exec(db, "CREATE TABLE items (item_id VARCHAR, category VARCHAR, price DOUBLE, updated_at BIGINT)");

        long impressionCount = 0;
        long clickCount = 0;
        long userCount = 0;
        long itemCount = 0;
        DateOnly first = options.Date.AddDays(1 - options.Days);

        // The profiles' versions come from their own random stream, so the impressions and clicks (drawn from `random`)
        // stay those the same seed always gave.
        var versions = new Random(unchecked((options.Seed * 7919) + 104729));
        long windowStart = JobPlan.LocalMidnightMicros(first, zone) / 1000;
        long windowEnd = JobPlan.LocalMidnightMicros(options.Date.AddDays(1), zone) / 1000;
        long InWindow() => windowStart + (long)(versions.NextDouble() * (windowEnd - windowStart));
        long BeforeWindow() => windowStart - 86_400_000L - (long)(versions.NextDouble() * 365 * 86_400_000L);
        using (var users = db.CreateAppender("users"))
        {
            void AppendUser(int u, long? age, string gender, long updatedAt)
            {
                var row = users.CreateRow().AppendValue(UserId(u));
                row = age is null ? row.AppendNullValue() : row.AppendValue(age);
                row.AppendValue(gender).AppendValue((long?)updatedAt).EndRow();
            }

            for (int u = 0; u < options.Users; u++)
            {
                if (random.NextDouble() < 0.05)
                {
                    continue; // missing from the profile table
                }

                double g = random.NextDouble();
                long? age = random.NextDouble() < 0.02 ? null : 16 + random.Next(60);
                string gender = g < 0.45 ? "0" : g < 0.9 ? "1" : "未知";
                long since = versions.NextDouble() < 0.02 ? InWindow() : BeforeWindow();
                AppendUser(u, age, gender, since);
                userCount++;
                if (versions.NextDouble() < 0.15)
                {
                    // A later version: a birthday, an age filled in or corrected, a gender filled in or corrected.
                    long changed = Math.Max(since + 1, InWindow());
                    age = age is null || versions.NextDouble() < 0.3 ? 16 + versions.Next(60) : age + 1;
                    gender = versions.NextDouble() < 0.5 ? gender : gender == "0" ? "1" : "0";
                    AppendUser(u, age, gender, changed);
                }
            }
        }

        using (var items = db.CreateAppender("items"))
        {
            for (int i = 0; i < options.Items; i++)
            {
                if (random.NextDouble() < 0.03)
                {
                    continue;
                }

                int category = random.Next(40);
                double price = Math.Round(1 + (random.NextDouble() * 500), 2);
                items.CreateRow().AppendValue(ItemId(i)).AppendValue($"c{category}").AppendValue((double?)price).AppendValue((long?)BeforeWindow()).EndRow();
                itemCount++;
                if (versions.NextDouble() < 0.10)
                {
                    // Recategorised during the window (another of the 40 categories).
                    items.CreateRow().AppendValue(ItemId(i)).AppendValue($"c{(category + 1 + versions.Next(39)) % 40}").AppendValue((double?)price)
                        .AppendValue((long?)InWindow()).EndRow();
                }
            }
        }

        for (var day = first; day <= options.Date; day = day.AddDays(1))
        {
            long start = JobPlan.LocalMidnightMicros(day, zone) / 1000;
            long end = JobPlan.LocalMidnightMicros(day.AddDays(1), zone) / 1000;
            string dt = PathTemplate.Format(day);
            bool writeImpressions = options.ImpressionDays <= 0 || day > options.Date.AddDays(-options.ImpressionDays);

            // A day whose impressions are not written is drawn for its clicks only, at the history's rate when one is given.
            int impressionsToday = writeImpressions ? options.ImpressionsPerDay : options.HistoryImpressionsPerDay ?? options.ImpressionsPerDay;
            using (var imps = db.CreateAppender("impressions"))
            using (var clicks = db.CreateAppender("clicks"))
            {
                int made = 0;
                long request = 0;
                while (made < impressionsToday)
                {
                    // A request shows a few items to one user at one moment.
                    request++;
                    string requestId = $"r{dt.Replace("-", "", StringComparison.Ordinal)}-{request:x}";
                    int user = userPick.Next(random);
                    long ts = start + (long)(random.NextDouble() * (end - start));
                    string device = s_devices[(user * 7 + (random.NextDouble() < 0.1 ? 1 : 0)) % s_devices.Length];
                    string page = s_pages[random.Next(s_pages.Length)];
                    int shown = Math.Min(1 + random.Next(4), impressionsToday - made);
                    for (int k = 0; k < shown; k++, made++)
                    {
                        string item = ItemId(itemPick.Next(random));
                        bool bad = options.BadRowFraction > 0 && random.NextDouble() < options.BadRowFraction;
                        int copies = random.NextDouble() < 0.01 ? 2 : 1;
                        for (int c = 0; c < copies && writeImpressions; c++)
                        {
                            long copyTs = ts + (c * random.Next(1, 3000));
                            var row = imps.CreateRow().AppendValue(copyTs < end ? dt : Partition(copyTs, zone)).AppendValue(requestId);
                            row = bad && random.NextDouble() < 0.5 ? row.AppendNullValue() : row.AppendValue(UserId(user));
                            row = row.AppendValue(item);
                            row = bad ? row.AppendNullValue() : row.AppendValue((long?)copyTs);
                            row.AppendValue(device).AppendValue(page).EndRow();
                            impressionCount++;
                        }

                        if (random.NextDouble() < options.ClickThroughRate)
                        {
                            // Most clicks come within a minute or two; some after the 30-minute label window.
                            double r = random.NextDouble();
                            long delay = r < 0.03 ? 1_800_001 + random.Next(7_200_000) : (long)(-Math.Log(1 - random.NextDouble()) * 40_000);
                            long clickTs = ts + delay;
                            clicks.CreateRow().AppendValue(clickTs < end ? dt : Partition(clickTs, zone)).AppendValue(requestId).AppendValue(UserId(user)).AppendValue(item).AppendValue((long?)clickTs).EndRow();
                            clickCount++;
                        }
                    }

                    if (random.NextDouble() < 0.002 * shown)
                    {
                        // A click with no impression in the logs (a lost impression, a deep link).
                        long clickTs = start + (long)(random.NextDouble() * (end - start));
                        clicks.CreateRow().AppendValue(Partition(clickTs, zone)).AppendValue($"x{dt}-{request:x}").AppendValue(UserId(userPick.Next(random)))
                            .AppendValue(ItemId(itemPick.Next(random))).AppendValue((long?)clickTs).EndRow();
                        clickCount++;
                    }
                }
            }

            // The day's impressions are complete: write them and free the memory.
            if (writeImpressions)
            {
                Copy(db, $"SELECT request_id, user_id, item_id, ts, device, page FROM impressions WHERE dt = '{dt}' ORDER BY ts NULLS LAST, request_id, item_id, user_id",
                    Path.Combine(options.Output, "impressions", "dt=" + dt), extension);
                Exec(db, $"DELETE FROM impressions WHERE dt = '{dt}'");
            }

            progress?.Invoke(day);
        }

        // Copies that fell into the next day's partition, then the clicks (up to the day after the last).
        foreach (string dt in Strings(db, "SELECT DISTINCT dt FROM impressions ORDER BY dt"))
        {
            Copy(db, $"SELECT request_id, user_id, item_id, ts, device, page FROM impressions WHERE dt = '{dt}' ORDER BY ts NULLS LAST, request_id, item_id, user_id",
                Path.Combine(options.Output, "impressions", "dt=" + dt), extension);
        }

        // Issue 13: each click's `behavior`, what it led to (conf/multitask.yaml's labels): 'buy' for about 5% of clicks,
        // 'cart' (added to the cart, not bought) for about 15%, else 'click'. Taken from the click's own content (MD5 of
        // request, item and time) rather than the seeded stream, so the other columns and rows stay as they were, and
        // the same for a seed.
        const string behavior = "CASE WHEN CAST('0x' || substr(md5(request_id || '|' || item_id || '|' || CAST(ts AS VARCHAR)), 1, 8) AS BIGINT) % 100 < 5 THEN 'buy' " +
            "WHEN CAST('0x' || substr(md5(request_id || '|' || item_id || '|' || CAST(ts AS VARCHAR)), 1, 8) AS BIGINT) % 100 < 20 THEN 'cart' ELSE 'click' END";
        foreach (string dt in Strings(db, "SELECT DISTINCT dt FROM clicks ORDER BY dt"))
        {
            Copy(db, $"SELECT request_id, user_id, item_id, ts, {behavior} AS behavior FROM clicks WHERE dt = '{dt}' ORDER BY ts, request_id, item_id, user_id",
                Path.Combine(options.Output, "clicks", "dt=" + dt), extension);
        }

        Copy(db, "SELECT * FROM users ORDER BY user_id, updated_at", Path.Combine(options.Output, "users"), extension);
        Copy(db, "SELECT * FROM items ORDER BY item_id, updated_at", Path.Combine(options.Output, "items"), extension);
        return new GeneratedLogs(impressionCount, clickCount, userCount, itemCount);
    }

    private static string UserId(int u) => "u" + u.ToString(CultureInfo.InvariantCulture);

    private static string ItemId(int i) => "i" + i.ToString(CultureInfo.InvariantCulture);

    private static string Partition(long epochMs, TimeZoneInfo zone) =>
        PathTemplate.Format(DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.UnixEpoch.AddMilliseconds(epochMs), zone)));

    private static void Copy(DuckDBConnection db, string query, string folder, string extension)
    {
        Directory.CreateDirectory(folder);
        string file = Path.Combine(folder, "part-00000." + extension).Replace("'", "''", StringComparison.Ordinal);
        string format = extension switch
        {
            "csv" => "FORMAT csv, HEADER true",
            "jsonl" => "FORMAT json",
            _ => "FORMAT parquet, COMPRESSION snappy",
        };
        Exec(db, $"COPY ({query}) TO '{file}' ({format})");
    }

    private static List<string> Strings(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var list = new List<string>();
        while (reader.Read())
        {
            list.Add(reader.GetString(0));
        }

        return list;
    }

    private static void Exec(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Draws 0..n-1 with probability proportional to 1/(k+1)^s, from a shuffled rank order.</summary>
    private sealed class ZipfSampler
    {
        private readonly double[] _cumulative;

        public ZipfSampler(int n, double s)
        {
            _cumulative = new double[n];
            double sum = 0;
            for (int k = 0; k < n; k++)
            {
                sum += 1.0 / Math.Pow(k + 1, s);
                _cumulative[k] = sum;
            }

            for (int k = 0; k < n; k++)
            {
                _cumulative[k] /= sum;
            }
        }

        public int Next(Random random)
        {
            int i = Array.BinarySearch(_cumulative, random.NextDouble());
            return Math.Min(i < 0 ? ~i : i, _cumulative.Length - 1);
        }
    }
}
