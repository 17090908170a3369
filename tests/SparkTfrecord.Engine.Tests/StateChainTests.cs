using System.Globalization;
using DuckDB.NET.Data;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Generation;
using SparkTfrecord.Engine.Jobs;

namespace SparkTfrecord.Engine.Tests;

/// <summary>
/// The acceptance property of the incremental state (issue 12, docs/state.md): over generated logs (several seeds)
/// with late events, duplicate copies, same-instant events, heavy users, events exactly at the window's edge, events
/// stamped after their partition's day, and a partition restated in the middle of the chain, every day's output with
/// <c>--state</c> is the full recompute's, byte for byte; a run with a usable snapshot reads at most two partitions of
/// the history's source; the restated partition is detected and the chain recovers the next day.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class StateChainTests
{
    private static readonly DateOnly First = new(2024, 1, 10);
    private const int ChainDays = 12;
    private static readonly DateOnly Restated = new(2024, 1, 16);
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private string _root = "";

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("sparktf-state-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void EveryDayOfAChainWithStateIsTheFullRecomputeByteForByte(int seed)
    {
        string logs = Path.Combine(_root, "logs");
        LogGenerator.Generate(new LogGeneratorOptions
        {
            Output = logs,
            Date = First.AddDays(ChainDays + 5),
            Days = 35,
            ImpressionsPerDay = 800,
            Users = 60,
            Items = 40,
            Seed = seed,
        });
        AddHostileEvents(logs);
        var definition = JobDefinition.Load(Path.Combine(RepositoryRoot(), "conf", "din.yaml"));
        string state = Path.Combine(_root, "state");
        for (int i = 0; i < ChainDays; i++)
        {
            var day = First.AddDays(i);
            if (day == Restated)
            {
                // A partition the previous snapshot covers gets another file: the snapshot is no longer the inputs'.
                Sql($"COPY (SELECT request_id || '-restated' AS request_id, user_id, item_id, ts + 1000 AS ts FROM read_parquet({Lit(Partition(logs, day.AddDays(-4)) + "/part-00000.parquet")}) ORDER BY ts, request_id LIMIT 30) " +
                    $"TO {Lit(Partition(logs, day.AddDays(-4)) + "/part-restated.parquet")} (FORMAT parquet)");
            }

            var full = Run(definition, logs, Path.Combine(_root, "full", Dt(day)), day, null);
            var incremental = Run(definition, logs, Path.Combine(_root, "state-out", Dt(day)), day, state);

            AssertSameFiles(Path.Combine(_root, "full", Dt(day)), Path.Combine(_root, "state-out", Dt(day)));
            Assert.That(incremental.Counts, Is.EquivalentTo(full.Counts), $"{day}: counts");
            Assert.That(incremental.State!.Written, Is.EqualTo(day), $"{day}: {incremental.State.Reason}");
            if (i == 0)
            {
                Assert.That(incremental.State.Used, Is.Null);
                Assert.That(incremental.State.Reason, Does.StartWith("no snapshot before"));
            }
            else if (day == Restated)
            {
                Assert.That(incremental.State.Used, Is.Null);
                Assert.That(incremental.State.Reason, Does.Contain("was restated: file ").And.Contain("part-restated.parquet is new"));
            }
            else
            {
                Assert.That(incremental.State.Used, Is.EqualTo(day.AddDays(-1)), incremental.State.Reason);
                int uncovered = Directory.EnumerateFiles(Partition(logs, day)).Count() + Directory.EnumerateFiles(Partition(logs, day.AddDays(1))).Count();
                Assert.That(incremental.FilesRead!["clicks"], Is.EqualTo(uncovered), $"{day}: only the run day's and the next day's partitions");
                Assert.That(full.Counts["read.clicks"], Is.GreaterThan(0));
            }
        }
    }

    [Test]
    public void TheJobsStateFolderChainsDaysWithoutTheOption()
    {
        string logs = Path.Combine(_root, "logs");
        LogGenerator.Generate(new LogGeneratorOptions { Output = logs, Date = First.AddDays(2), Days = 19, ImpressionsPerDay = 300, Users = 30, Items = 20, Seed = 5 });
        string spec = Path.Combine(_root, "spec.yaml");
        string yaml = File.ReadAllText(Path.Combine(RepositoryRoot(), "conf", "din.yaml"));
        File.WriteAllText(spec, yaml.Replace("  timezone: Asia/Shanghai\n", "  timezone: Asia/Shanghai\n  state: \"{input}/../state\"\n", StringComparison.Ordinal));
        var definition = JobDefinition.Load(spec);

        var first = Run(definition, logs, Path.Combine(_root, "out", Dt(First)), First, null);
        var second = Run(definition, logs, Path.Combine(_root, "out", Dt(First.AddDays(1))), First.AddDays(1), null);

        Assert.That(first.State, Is.EqualTo(new State.StateOutcome(null, First, $"no snapshot before 2024-01-10 in {Path.Combine(_root, "state")}")));
        Assert.That(second.State!.Used, Is.EqualTo(First));
        Assert.That(File.Exists(Path.Combine(_root, "state", Dt(First.AddDays(1)), "_SUCCESS")), Is.True);
    }

    [Test]
    public void ASnapshotKilledWhileBeingWrittenIsClearedByALaterOne()
    {
        string logs = Path.Combine(_root, "logs");
        LogGenerator.Generate(new LogGeneratorOptions { Output = logs, Date = First.AddDays(2), Days = 19, ImpressionsPerDay = 300, Users = 30, Items = 20, Seed = 6 });
        var definition = JobDefinition.Load(Path.Combine(RepositoryRoot(), "conf", "din.yaml"));
        string state = Path.Combine(_root, "state");

        // The day before was run and its samples committed, then the run was killed while writing its snapshot: its
        // lock file and hidden work folder are what is left (hours ago).
        string killed = Path.Combine(state, $".{Dt(First.AddDays(-1))}.tmp-4242-0123abcd");
        Directory.CreateDirectory(killed);
        File.WriteAllText(Path.Combine(killed, "events_clicked_items_15d.parquet"), "half a snapshot");
        File.WriteAllText(Path.Combine(state, $".{Dt(First.AddDays(-1))}.lock"), "pid 4242");
        Directory.SetLastWriteTimeUtc(killed, DateTime.UtcNow - TimeSpan.FromHours(5));

        var summary = Run(definition, logs, Path.Combine(_root, "out", Dt(First)), First, state);

        Assert.That(summary.State!.Written, Is.EqualTo(First));
        Assert.That(Directory.Exists(killed), Is.False, "the killed snapshot's work folder is gone");
        Assert.That(Directory.EnumerateDirectories(state).Select(Path.GetFileName), Is.EqualTo(new[] { Dt(First) }));
    }

    [Test]
    public void AStateFolderNamingADayIsAConfigError()
    {
        string spec = Path.Combine(_root, "spec.yaml");
        string yaml = File.ReadAllText(Path.Combine(RepositoryRoot(), "conf", "din.yaml"));
        File.WriteAllText(spec, yaml.Replace("  timezone: Asia/Shanghai\n", "  timezone: Asia/Shanghai\n  state: \"{input}/state/dt={date}\"\n", StringComparison.Ordinal));
        var e = Assert.Throws<JobConfigException>(() => JobDefinition.Load(spec));
        Assert.That(e!.Message, Does.Contain("names a day").And.Contain("spec.yaml:"));
    }

    private static SamplesSummary Run(JobDefinition definition, string logs, string output, DateOnly day, string? state) =>
        SamplesJob.Run(definition, new SamplesJobOptions
        {
            Date = day,
            Input = logs,
            Output = output,
            Engine = new Engines.DuckDbEngineOptions { Threads = 2, MemoryLimit = "512MB" },
            State = state,
        });

    private static void AssertSameFiles(string expected, string actual)
    {
        var want = Directory.EnumerateFiles(expected, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(expected, f)).Order(StringComparer.Ordinal).ToList();
        var got = Directory.EnumerateFiles(actual, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(actual, f)).Order(StringComparer.Ordinal).ToList();
        Assert.That(got, Is.EqualTo(want), "the same files");
        foreach (string f in want)
        {
            Assert.That(File.ReadAllBytes(Path.Combine(actual, f)), Is.EqualTo(File.ReadAllBytes(Path.Combine(expected, f))), f);
        }
    }

    // Events the generator does not make, in extra files of the click partitions (clicks have no dedup in din.yaml,
    // so every copy is an event; the impressions' copies are de-duplicated, as the generator already exercises).
    private void AddHostileEvents(string logs)
    {
        for (var day = First.AddDays(-16); day <= First.AddDays(ChainDays + 1); day = day.AddDays(1))
        {
            string p = Partition(logs, day);
            string source = Lit(p + "/part-00000.parquet");
            string imps = Lit(Path.Combine(logs, "impressions", Dt(day)) + "/part-00000.parquet");
            long start = StartMs(day);
            long fifteen = 15L * 86_400_000;
            var files = new List<(DateOnly Partition, string Query)>
            {
                // Late events: the day's first clicks again, arriving three days later (distinct requests).
                (day.AddDays(3), $"SELECT request_id || '-late' AS request_id, user_id, item_id, ts FROM read_parquet({source}) ORDER BY ts, request_id LIMIT 20"),

                // Duplicate copies: the same clicks in the next day's partition too.
                (day.AddDays(1), $"SELECT request_id, user_id, item_id, ts FROM read_parquet({source}) ORDER BY ts DESC, request_id LIMIT 20"),

                // A heavy user (the day's first impression's): 120 clicks over the day before, more than max_length (50),
                // with runs of same-instant clicks (different items, and identical ones).
                (day.AddDays(-1), $"SELECT 'heavy-' || CAST(k AS VARCHAR) AS request_id, u.user_id, 'item-h-' || CAST(k % 7 AS VARCHAR) AS item_id, " +
                    $"{start - 86_400_000} + (k // 4) * 600000 AS ts FROM range(120) r(k), (SELECT user_id FROM read_parquet({imps}) WHERE ts IS NOT NULL AND user_id IS NOT NULL ORDER BY ts, request_id LIMIT 1) u"),

                // The window's edges: a click exactly 15 days before the day's first impression (visible), one a
                // millisecond earlier (not), one at the impression's own instant (never history); and a click exactly
                // at the day's start less 15 days for the user of an impression at exactly the day's start (below).
                (day.AddDays(-15), $"SELECT 'edge-' || request_id AS request_id, user_id, 'item-edge' AS item_id, ts - {fifteen} AS ts FROM (SELECT * FROM read_parquet({imps}) WHERE ts IS NOT NULL AND user_id IS NOT NULL ORDER BY ts, request_id LIMIT 1) " +
                    $"UNION ALL SELECT 'edge2-' || request_id, user_id, 'item-edge2', ts - {fifteen} - 1 FROM (SELECT * FROM read_parquet({imps}) WHERE ts IS NOT NULL AND user_id IS NOT NULL ORDER BY ts, request_id LIMIT 1) " +
                    $"UNION ALL SELECT 'midnight-edge', 'user-midnight', 'item-midnight', {start - fifteen}"),
                (day, $"SELECT 'same-' || request_id AS request_id, user_id, 'item-same' AS item_id, ts FROM (SELECT * FROM read_parquet({imps}) WHERE ts IS NOT NULL AND user_id IS NOT NULL ORDER BY ts, request_id LIMIT 1)"),

                // Events stamped after their partition's day (clock skew): carried by the snapshot.
                (day.AddDays(-2), $"SELECT 'future-' || request_id AS request_id, user_id, item_id, ts + 2 * 86400000 AS ts FROM read_parquet({source}) ORDER BY ts, request_id LIMIT 5"),
            };
            foreach (var (partition, query) in files.Select((f, n) => (f.Partition, $"COPY ({f.Query}) TO {Lit(Partition(logs, f.Partition) + $"/part-extra-{Dt(day)}-{n}.parquet")} (FORMAT parquet)")))
            {
                if (Directory.Exists(Partition(logs, partition)) && File.Exists(p + "/part-00000.parquet") && File.Exists(Path.Combine(logs, "impressions", Dt(day), "part-00000.parquet")))
                {
                    Sql(query);
                }
            }

            // The suffix rule: partition X holds more than max_length clicks of one user stamped early on X+1 (clock
            // skew), partition X+1 an older click of the same user. While both partitions are covered, the older click
            // is not among the user's newest 50; once X leaves the path window (the run of X+16) it is, and that day's
            // impression must see it.
            if (day == First.AddDays(-5))
            {
                long next = StartMs(day.AddDays(1));
                Sql($"COPY (SELECT 'skew-' || CAST(k AS VARCHAR) AS request_id, 'user-skew' AS user_id, 'item-s-' || CAST(k AS VARCHAR) AS item_id, {next + 3_600_000} + k * 60000 AS ts FROM range(60) r(k)) " +
                    $"TO {Lit(p + "/part-skew.parquet")} (FORMAT parquet)");
                Sql($"COPY (SELECT 'skew-old' AS request_id, 'user-skew' AS user_id, 'item-s-old' AS item_id, CAST({next + 1_800_000} AS BIGINT) AS ts) " +
                    $"TO {Lit(Partition(logs, day.AddDays(1)) + "/part-skew.parquet")} (FORMAT parquet)");
                Sql($"COPY (SELECT 'req-skew' AS request_id, 'user-skew' AS user_id, 'item-s-new' AS item_id, CAST({StartMs(day.AddDays(16)) + 600_000} AS BIGINT) AS ts, 'pixel' AS device, 'home' AS page) " +
                    $"TO {Lit(Path.Combine(logs, "impressions", Dt(day.AddDays(16))) + "/part-skew.parquet")} (FORMAT parquet)");
            }

            // An impression at exactly the day's start, of the user with the click exactly 15 days before it.
            string impFolder = Path.Combine(logs, "impressions", Dt(day));
            if (Directory.Exists(impFolder))
            {
                Sql($"COPY (SELECT 'req-midnight-{Dt(day)}' AS request_id, 'user-midnight' AS user_id, 'item-midnight' AS item_id, CAST({start} AS BIGINT) AS ts, 'pixel' AS device, 'home' AS page) " +
                    $"TO {Lit(impFolder + "/part-midnight.parquet")} (FORMAT parquet)");
            }
        }
    }

    private static long StartMs(DateOnly day) =>
        (long)(TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue), Zone) - DateTime.UnixEpoch).TotalMilliseconds;

    private static string Partition(string logs, DateOnly day) => Path.Combine(logs, "clicks", Dt(day));

    private static string Dt(DateOnly day) => "dt=" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Lit(string path) => "'" + path.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static void Sql(string sql)
    {
        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "conf", "din.yaml")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (with conf/din.yaml) is not above the test directory");
    }
}
