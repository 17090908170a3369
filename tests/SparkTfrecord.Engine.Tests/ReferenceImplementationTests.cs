using System.Globalization;

namespace SparkTfrecord.Engine.Tests;

/// <summary>
/// The engine against a plain in-memory implementation of the point-in-time rules (docs/job.md, "The point-in-time
/// rules") written only for this test, on random logs whose times are drawn from a small grid around each impression
/// (the same instant, 1 ms apart, exactly 15 days and 30 minutes apart, midnight), so that every boundary and tie is
/// hit often.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class ReferenceImplementationTests
{
    private static readonly DateOnly s_day = new(2024, 1, 15);
    private static readonly TimeZoneInfo s_zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private sealed record Imp(string Request, string User, string Item, long Ts, string Device);

    private sealed record Click(string Request, string User, string Item, long Ts);

    [TestCase(1, "[request_id, item_id]")]
    [TestCase(2, "[request_id, item_id]")]
    [TestCase(3, "[user_id, item_id]")]
    [TestCase(4, "[user_id, item_id]")]
    [TestCase(5, "[request_id, item_id]")]
    [TestCase(6, "[user_id, item_id]")]
    [TestCase(7, "[request_id, item_id]")]
    [TestCase(8, "[user_id, item_id]")]
    public void Every_sample_equals_the_reference_implementations(int seed, string match)
    {
        var random = new Random(seed);
        var users = new Dictionary<string, (long Age, string Gender)>();
        var items = new Dictionary<string, string>();
        using var logs = new TestLogs();
        for (int u = 0; u < 5; u++)
        {
            if (random.Next(5) > 0)
            {
                users[$"u{u}"] = (20 + u, u % 3 == 0 ? "未知" : (u % 2).ToString(CultureInfo.InvariantCulture));
                logs.User($"u{u}", users[$"u{u}"].Age, users[$"u{u}"].Gender);
            }
        }

        for (int i = 0; i < 6; i++)
        {
            if (random.Next(6) > 0)
            {
                items[$"i{i}"] = $"c{i % 3}";
                logs.Item($"i{i}", items[$"i{i}"]);
            }
        }

        long dayStart = Micros(s_day.ToDateTime(TimeOnly.MinValue));
        long dayEnd = Micros(s_day.AddDays(1).ToDateTime(TimeOnly.MinValue));
        const long Ms = 1000;
        const long Minute = 60_000_000;
        const long Day = 1440 * Minute;

        var imps = new List<Imp>();
        var anchors = new List<long>();
        for (int n = 0; n < 40; n++)
        {
            // Mostly in the day, some just outside it, some sharing instants.
            long ts = random.Next(10) switch
            {
                0 => dayStart - (random.Next(3) * Ms),
                1 => dayEnd - (random.Next(3) * Ms),
                2 when anchors.Count > 0 => anchors[random.Next(anchors.Count)],
                _ => dayStart + (random.NextInt64(Day / Minute) * Minute) + (random.Next(3) * Ms),
            };
            anchors.Add(ts);
            var imp = new Imp($"r{random.Next(25)}", $"u{random.Next(5)}", $"i{random.Next(6)}", ts, $"d{random.Next(3)}");
            imps.Add(imp);
            if (random.Next(8) == 0)
            {
                imps.Add(imp with { Ts = ts + (random.Next(2) * Ms), Device = $"d{random.Next(3)}" }); // a duplicate copy
            }
        }

        var clicks = new List<Click>();
        long[] offsets = [0, Ms, -Ms, 30 * Minute, (30 * Minute) + Ms, 29 * Minute, -15 * Day, (-15 * Day) - Ms, (-15 * Day) + Ms, -3 * Day, 5 * Minute];
        for (int n = 0; n < 70; n++)
        {
            var near = imps[random.Next(imps.Count)];
            long ts = near.Ts + offsets[random.Next(offsets.Length)];
            bool own = random.Next(2) == 0;
            clicks.Add(new Click(own ? near.Request : $"x{random.Next(3)}", own || random.Next(2) == 0 ? near.User : $"u{random.Next(5)}", own || random.Next(3) > 0 ? near.Item : $"i{random.Next(6)}", ts));
        }

        foreach (var imp in imps)
        {
            logs.Imp(imp.Request, imp.User, imp.Item, Local(imp.Ts), imp.Device);
        }

        foreach (var c in clicks)
        {
            logs.Click(c.Request, c.User, c.Item, Local(c.Ts));
        }

        var result = logs.Run(Specs.Din(match: match, maxLength: 4), "2024-01-15");
        var expected = Reference(imps, clicks, users, items, dayStart, dayEnd, match.Contains("request_id", StringComparison.Ordinal), 4);

        var actual = result.Samples.ToDictionary(s => (s.Str("request_id"), s.Str("item_id")));
        Assert.That(actual.Keys, Is.EquivalentTo(expected.Keys));
        foreach (var (key, e) in expected)
        {
            var a = actual[key];
            string where = $"sample {key} (seed {seed})";
            Assert.Multiple(() =>
            {
                Assert.That(a.Int("label"), Is.EqualTo(e.Label), where + " label");
                Assert.That(a.Str("user_id"), Is.EqualTo(e.User), where + " user");
                Assert.That(a.Str("device"), Is.EqualTo(e.Device), where + " device");
                Assert.That(a.Int("age"), Is.EqualTo(e.Age), where + " age");
                Assert.That(a.Str("gender"), Is.EqualTo(e.Gender), where + " gender");
                Assert.That(a.Str("category"), Is.EqualTo(e.Category), where + " category");
                Assert.That(a.Int("hour"), Is.EqualTo(e.Hour), where + " hour");
                Assert.That(a.List("clicked_items"), Is.EqualTo(e.History), where + " history");
                Assert.That(a.List("clicked_categories"), Is.EqualTo(e.Categories), where + " category history");
            });
        }
    }

    private sealed record Expected(long Label, string User, string Device, long Age, string Gender, string Category, long Hour, List<string> History, List<string> Categories);

    private static Dictionary<(string, string), Expected> Reference(
        List<Imp> raw, List<Click> clicks, Dictionary<string, (long Age, string Gender)> users, Dictionary<string, string> items,
        long dayStart, long dayEnd, bool byRequest, int cap)
    {
        const long Window = 15L * 1440 * 60_000_000;
        const long Within = 30L * 60_000_000;

        // The job reads the impressions of the run day's and the next day's partitions (cut by local date), as its config says.
        // Rule 4 (clause dedup-first-copy): one copy per (request, item), the earliest; of copies at the same instant,
        // the smallest by the columns in the order the job reads them (request_id, item_id, user_id, device; text by
        // ordinal), then by file name (same-instant copies share a partition's file); never the line order.
        var imps = raw
            .Where(imp => Local(imp.Ts)[..10] is "2024-01-15" or "2024-01-16")
            .GroupBy(imp => (imp.Request, imp.Item))
            .Select(g => g.OrderBy(i => i.Ts).ThenBy(i => i.User, StringComparer.Ordinal).ThenBy(i => i.Device, StringComparer.Ordinal).First())
            .Where(i => i.Ts >= dayStart && i.Ts < dayEnd + Within)
            .ToList();

        // Rule 3: each click labels the latest impression at or before it, at most 30 minutes earlier, with the same
        // match columns (clause label-ties: the impression that sorts last by time, then its columns in the order the
        // job reads them: request, item, user, device).
        var positives = new HashSet<Imp>();
        foreach (var c in clicks)
        {
            var target = imps
                .Where(i => (byRequest ? i.Request == c.Request && i.Item == c.Item : i.User == c.User && i.Item == c.Item) && c.Ts >= i.Ts && c.Ts <= i.Ts + Within)
                .OrderByDescending(i => i.Ts)
                .ThenByDescending(i => i.Request, StringComparer.Ordinal)
                .ThenByDescending(i => i.Item, StringComparer.Ordinal)
                .ThenByDescending(i => i.User, StringComparer.Ordinal)
                .ThenByDescending(i => i.Device, StringComparer.Ordinal)
                .FirstOrDefault();
            if (target is not null)
            {
                positives.Add(target);
            }
        }

        var result = new Dictionary<(string, string), Expected>();
        foreach (var i in imps.Where(i => i.Ts < dayEnd))
        {
            // Rules 1 and 2: clicks strictly before, at most 15 days before; newest first, ties by value; capped.
            var past = clicks.Where(c => c.User == i.User && c.Ts < i.Ts && c.Ts >= i.Ts - Window).ToList();
            var history = past.OrderByDescending(c => c.Ts).ThenBy(c => c.Item, StringComparer.Ordinal).Take(cap).Select(c => c.Item).ToList();
            var categories = past.Select(c => (c.Ts, Cat: items.GetValueOrDefault(c.Item, "unknown")))
                .OrderByDescending(c => c.Ts).ThenBy(c => c.Cat, StringComparer.Ordinal).Take(cap).Select(c => c.Cat).ToList();

            // Rule 5: defaults for missing profiles.
            var profile = users.TryGetValue(i.User, out var p) ? p : (0, "未知");
            long hour = TimeZoneInfo.ConvertTimeFromUtc(DateTime.UnixEpoch.AddTicks(i.Ts * 10), s_zone).Hour;
            result[(i.Request, i.Item)] = new Expected(positives.Contains(i) ? 1 : 0, i.User, i.Device, profile.Item1, profile.Item2,
                items.GetValueOrDefault(i.Item, "unknown"), hour, history, categories);
        }

        return result;
    }

    private static long Micros(DateTime local) => (TimeZoneInfo.ConvertTimeToUtc(local, s_zone).Ticks - DateTime.UnixEpoch.Ticks) / 10;

    private static string Local(long micros) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.UnixEpoch.AddTicks(micros * 10), s_zone).ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
}
