using SparkTfrecord.Engine.Engines;
using SparkTfrecord.Engine.Sql;

namespace SparkTfrecord.Engine.Tests;

/// <summary>
/// Clauses <c>time-text-format</c> and <c>time-dst</c> on the embedded engine: only the forms of
/// <see cref="TimestampText"/> are times, and a wall-clock time is read by Java's rule (what Spark's
/// <c>to_utc_timestamp</c> does: <c>convertTz</c> in DateTimeUtils / SparkDateTimeUtils, <c>LocalDateTime.atZone</c>):
/// a repeated time is the earlier instant, a time in a gap moves forward by the gap. The expected instants are computed
/// by hand from the zones' offsets.
/// </summary>
[TestFixture]
[Category("Fast")]
[NonParallelizable]
public sealed class TimeTextTests
{
    private string _spill = "";
    private DuckDbEngine? _engine;

    [OneTimeSetUp]
    public void Open()
    {
        _spill = Directory.CreateTempSubdirectory("sparktf-timetext-").FullName;
        _engine = new DuckDbEngine(new DuckDbEngineOptions { Threads = 1, SpillDirectory = _spill });
    }

    [OneTimeTearDown]
    public void Close()
    {
        _engine?.Dispose();
        Directory.Delete(_spill, recursive: true);
    }

    private long? Micros(string text, string zone)
    {
        string sql = $"SELECT {DuckDbDialect.Instance.TextToEpochMicros(DuckDbDialect.Instance.String(text), zone)}";
        object? value = _engine!.Scalar(sql);
        return value is null or DBNull ? null : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    // 2024-01-01T00:00Z is 1704067200 s; Berlin is +01:00 in winter.
    [TestCase("2024-01-01", "Europe/Berlin", 1704063600_000000L)]
    [TestCase("2024-01-01 10:00", "Europe/Berlin", 1704099600_000000L)]
    [TestCase("2024-01-01T10:00:05", "Europe/Berlin", 1704099605_000000L)]
    [TestCase("2024-01-01T10:00:05.123456Z", "Europe/Berlin", 1704103205_123456L)]
    [TestCase("2024-01-01 10:00:05.5", "UTC", 1704103205_500000L)]
    [TestCase("2024-01-01 10:00Z", "Europe/Berlin", 1704103200_000000L)]
    [TestCase("2024-01-01 10:00+01", "UTC", 1704099600_000000L)]
    [TestCase("2024-01-01 10:00:00+0130", "UTC", 1704097800_000000L)]
    [TestCase("2024-01-01 10:00:00-01:30", "UTC", 1704108600_000000L)]
    [TestCase("2024-01-01T10:00:00+05:45", "Europe/Berlin", 1704082500_000000L)]
    public void AnAcceptedFormIsItsInstant(string text, string zone, long expected) =>
        Assert.That(Micros(text, zone), Is.EqualTo(expected));

    [TestCase("2024")]
    [TestCase("2024-01")]
    [TestCase("2024-1-01")]
    [TestCase(" 2024-01-01")]
    [TestCase("2024-01-01 ")]
    [TestCase("2024-01-01\n")]
    [TestCase("2024-01-01 24:00:00")]
    [TestCase("2024-01-01 23:59:60")]
    [TestCase("2024-01-01 10:00:00.1234567")]
    [TestCase("2024-01-01 10:00:00.")]
    [TestCase("2024-01-01 10:00:00 Europe/Berlin")]
    [TestCase("2024-01-01 10:00:00 +01:00")]
    [TestCase("2024-01-01 10:00:00+1")]
    [TestCase("2024-01-01 10:00:00+01:3")]
    [TestCase("2024-01-01 10:00:00+19")]
    [TestCase("2024-01-01 10:00:00+01:30:15")]
    [TestCase("2024-01-01 1:00")]
    [TestCase("T10:00:00")]
    [TestCase("2024-02-30")]
    [TestCase("2024-02-30 10:00:00Z")]
    [TestCase("1704067200")]
    public void AnyOtherTextIsNoTime(string text)
    {
        Assert.That(TimestampText.IsAccepted(text), Is.EqualTo(text.StartsWith("2024-02-30", StringComparison.Ordinal)),
            "the pattern's own answer (a date that does not exist matches the form but is no time)");
        Assert.That(Micros(text, "Europe/Berlin"), Is.Null);
    }

    // Europe/Berlin 2024-10-27: 03:00 CEST (+02) becomes 02:00 CET (+01) at 01:00Z, so 02:30 happens at 00:30Z and at
    // 01:30Z: the earlier. America/New_York 2024-11-03 01:30 is 05:30Z (EDT, -04) and 06:30Z (EST). Australia/Lord_Howe
    // 2024-04-07 01:45 is 14:45Z (+11) and 15:15Z (+10:30) the day before.
    [TestCase("2024-10-27 02:30:00", "Europe/Berlin", 1729989000_000000L)]
    [TestCase("2024-10-27 02:00:00", "Europe/Berlin", 1729987200_000000L)]
    [TestCase("2024-10-27 02:59:59.999999", "Europe/Berlin", 1729990799_999999L)]
    [TestCase("2024-11-03 01:30", "America/New_York", 1730611800_000000L)]
    [TestCase("2024-04-07 01:45", "Australia/Lord_Howe", 1712414700_000000L)]
    public void ATimeThatOccursTwiceIsTheEarlierInstant(string text, string zone, long expected) =>
        Assert.That(Micros(text, zone), Is.EqualTo(expected));

    // Europe/Berlin 2024-03-31: 02:00 CET becomes 03:00 CEST at 01:00Z; 02:30 does not exist and is read as 03:30 CEST
    // (01:30Z). America/New_York 2024-03-10 02:30 -> 03:30 EDT (07:30Z). Australia/Lord_Howe 2024-10-06 02:15 (a
    // 30-minute gap) -> 02:45 +11:00 (15:45Z the day before).
    [TestCase("2024-03-31 02:30:00", "Europe/Berlin", 1711848600_000000L)]
    [TestCase("2024-03-31 02:00:00", "Europe/Berlin", 1711846800_000000L)]
    [TestCase("2024-03-10 02:30", "America/New_York", 1710055800_000000L)]
    [TestCase("2024-10-06 02:15", "Australia/Lord_Howe", 1728143100_000000L)]
    public void ATimeInAGapMovesForwardByTheGap(string text, string zone, long expected) =>
        Assert.That(Micros(text, zone), Is.EqualTo(expected));

    // Around the changes, where the offset a day earlier differs but the time is not repeated.
    [TestCase("2024-10-27 03:30:00", "Europe/Berlin", 1729996200_000000L)]
    [TestCase("2024-10-27 01:59:59", "Europe/Berlin", 1729987199_000000L)]
    [TestCase("2024-10-28 02:30:00", "Europe/Berlin", 1730079000_000000L)]
    [TestCase("2024-03-31 03:30:00", "Europe/Berlin", 1711848600_000000L)]
    [TestCase("2024-04-01 02:30:00", "Europe/Berlin", 1711931400_000000L)]
    public void ATimeNearAChangeIsItsOnlyInstant(string text, string zone, long expected) =>
        Assert.That(Micros(text, zone), Is.EqualTo(expected));

    /// <summary>Every wall-clock minute around every change of a few zones, against .NET's zone rules: a valid time
    /// has one instant (or the earlier of two), a time in a gap is read with the offset before the gap. (Not
    /// Europe/Dublin: .NET takes its negative summer saving's gap for valid times, so it is no reference there.)</summary>
    [TestCase("Europe/Berlin")]
    [TestCase("America/Sao_Paulo")]
    [TestCase("Asia/Tehran")]
    [TestCase("Pacific/Chatham")]
    [TestCase("America/New_York")]
    public void EveryMinuteAroundTheChangesFollowsJavasRule(string zoneId)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var texts = new List<string>();
        var expected = new List<long>();
        for (var day = new DateTime(2015, 1, 1); day < new DateTime(2025, 1, 1); day = day.AddDays(1))
        {
            if (zone.GetUtcOffset(day) == zone.GetUtcOffset(day.AddDays(1)) && !zone.IsInvalidTime(day.AddHours(12)))
            {
                continue;
            }

            for (var local = day.AddHours(-2); local < day.AddDays(1).AddHours(2); local = local.AddMinutes(15))
            {
                texts.Add(local.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture));
                expected.Add(JavaRule(local, zone));
            }
        }

        Assert.That(texts, Is.Not.Empty, "the zone changes its offset in these years");
        var d = DuckDbDialect.Instance;
        string values = string.Join(", ", texts.Select((t, i) => $"({i}, {d.String(t)})"));
        var actual = new List<long>();
        _engine!.Query($"SELECT {d.TextToEpochMicros("t", zoneId)} FROM (VALUES {values}) v(i, t) ORDER BY i", r =>
        {
            while (r.Read())
            {
                actual.Add(r.GetInt64(0));
            }
        });
        Assert.That(actual, Is.EqualTo(expected));
    }

    // Java's ZonedDateTime.ofLocal without a preferred offset, from .NET's rules: the earlier of two instants; in a gap,
    // the offset in force just before the gap (the offset a gap's length earlier than the local time read as standard).
    private static long JavaRule(DateTime local, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        TimeSpan offset;
        if (zone.IsAmbiguousTime(unspecified))
        {
            offset = zone.GetAmbiguousTimeOffsets(unspecified).Max();
        }
        else if (zone.IsInvalidTime(unspecified))
        {
            // The last valid minute before the gap shows the offset before it.
            var before = unspecified;
            while (zone.IsInvalidTime(before))
            {
                before = before.AddMinutes(-1);
            }

            offset = zone.GetUtcOffset(before);
        }
        else
        {
            offset = zone.GetUtcOffset(unspecified);
        }

        return (unspecified.Ticks - offset.Ticks - DateTime.UnixEpoch.Ticks) / 10;
    }
}
