namespace SparkTfrecord.Jobs.Tests;

/// <summary>
/// gen-logs --history-impressions-per-day: accepted with days whose impressions are not written (fewer history clicks,
/// the written days unchanged, a line per day on stderr), refused with exit 2 and what to give when it is negative or
/// has no day to apply to; a refused run writes nothing.
/// </summary>
[TestFixture]
[Category("Fast")]
[NonParallelizable]
public sealed class GenLogsHistoryOptionTests
{
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("sparktf-genlogs-history-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    private string[] GenLogs(string name, params string[] more) =>
        ["gen-logs", "--output", Path.Combine(_root, name), "--date", "2024-01-15", "--days", "5", "--impressions-per-day", "3000", "--users", "200", "--items", "100", "--seed", "3", .. more];

    [Test]
    public void The_history_days_are_drawn_from_fewer_impressions_and_the_written_days_are_unchanged()
    {
        var thin = InProcess.Run(GenLogs("thin", "--impression-days", "2", "--history-impressions-per-day", "300"));
        var full = InProcess.Run(GenLogs("full", "--impression-days", "2"));

        Assert.That(thin.ExitCode, Is.Zero, thin.Stderr);
        Assert.That(full.ExitCode, Is.Zero, full.Stderr);
        Assert.That(thin.Stderr, Does.Contain("sparktf: gen-logs: wrote 2024-01-11").And.Contain("sparktf: gen-logs: wrote 2024-01-15")
            .And.Contain("writing the clicks' partitions"), "a line per day, and what the last wait is");

        // History days 01-11 .. 01-13: about 4.2 clicks per 100 impressions, so ~38 at 300 a day, ~380 at 3,000.
        long thinHistory = HistoryClicks("thin");
        long fullHistory = HistoryClicks("full");
        Assert.That(thinHistory, Is.InRange(15, 70));
        Assert.That(fullHistory, Is.InRange(300, 460));
        Assert.That(Directory.GetDirectories(Path.Combine(_root, "thin", "impressions")).Select(d => Path.GetFileName(d)!),
            Has.All.Matches<string>(d => string.CompareOrdinal(d, "dt=2024-01-14") >= 0), "impressions of the written days only");
    }

    [TestCase("-1", "2", TestName = "A negative history rate is refused")]
    [TestCase("100", null, TestName = "A history rate without --impression-days is refused")]
    [TestCase("100", "5", TestName = "A history rate with every day's impressions written is refused")]
    public void A_history_rate_that_cannot_apply_is_a_usage_error(string history, string? impressionDays)
    {
        string[] more = impressionDays is null
            ? ["--history-impressions-per-day", history]
            : ["--history-impressions-per-day", history, "--impression-days", impressionDays];

        var result = InProcess.Run(GenLogs("refused", more));

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Stderr);
        Assert.That(result.Stderr, Does.Contain($"--history-impressions-per-day {history}").And.Contain("--impression-days from 1 to 4"));
        Assert.That(result.Stderr, Does.Not.Contain("   at "), "a stack trace reached the user");
        Assert.That(Directory.Exists(Path.Combine(_root, "refused")), Is.False, "nothing written");
    }

    // Clicks drawn on 01-11 .. 01-13 (the request id names the day), whichever partition they fell into.
    private long HistoryClicks(string name)
    {
        using var db = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:");
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM read_parquet('{Path.Combine(_root, name)}/clicks/*/*.parquet') " +
            "WHERE request_id SIMILAR TO '(r2024011[123]|x2024-01-1[123])-.*'";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
