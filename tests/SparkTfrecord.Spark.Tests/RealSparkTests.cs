using System.Globalization;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Engines;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Engine.Spark;
using SparkTfrecord.Engine.Sql;
using SparkTfrecord.Spark.Tests.Conformance;

namespace SparkTfrecord.Spark.Tests;

/// <summary>
/// The rendered script on a real Spark (<c>local[2]</c>), when <c>SPARK_HOME</c> points at a Spark 3.3+ installation:
/// Spark's samples equal the embedded engine's row for row on generated logs, with ANSI mode off and on, and the
/// native writer's shards equal the embedded job's byte for byte. Without Spark every test here is reported as skipped
/// (Assert.Ignore), never as passed: no Spark can be installed on the development machines or in CI. The conformance
/// cases (tests/conformance, <see cref="ConformanceTests"/> on the embedded engine) run here on Spark too, one test per
/// case folder, with the same comparisons (bad rows without their lines: Spark's readers have none). The incremental
/// state's cross-engine claim (docs/state.md, "The Spark side") is run here too: 3-day chains with <c>--state</c>,
/// alternating engines and on Spark alone, equal the full recomputes of each day byte for byte.
/// </summary>
[TestFixture]
[Category("External")]
public sealed class RealSparkTests
{
    private static readonly string s_spec = Processes.InRepo("conf", "din.yaml");
    private TempFolder _temp = null!;
    private string _home = null!;

    [OneTimeSetUp]
    public void FindSparkAndGenerateLogs()
    {
        string? home = Environment.GetEnvironmentVariable("SPARK_HOME");
        if (home is null || !File.Exists(Path.Combine(home, "bin", "spark-sql")) || home.Contains("fake-spark", StringComparison.Ordinal))
        {
            Assert.Ignore("no real Spark: set SPARK_HOME to a Spark 3.3+ installation (with bin/spark-sql) to run the rendered script on local[2]; skipped, not passed.");
        }

        _home = home;
        _temp = new TempFolder("sparktf-real-spark-");
        var gen = Sparktf.Run("gen-logs", "--output", _temp["logs"], "--date", "2024-05-01", "--days", "16", "--impressions-per-day", "3000", "--users", "300", "--items", "200", "--seed", "3");
        Assert.That(gen.ExitCode, Is.Zero, gen.Output);
    }

    [OneTimeTearDown]
    public void TearDown() => _temp?.Dispose();

    [TestCase("false")]
    [TestCase("true")]
    public void Sparks_samples_equal_the_embedded_engines_row_for_row(string ansi)
    {
        var definition = JobDefinition.Load(s_spec);
        string parquet = _temp[$"spark-parquet-ansi-{ansi}"];
        var setup = SparkSetup.Create(definition, new SparkRunOptions
        {
            Date = new DateOnly(2024, 5, 1),
            Input = _temp["logs"],
            Output = _temp[$"unused-{ansi}"],
            Master = "local[2]",
            Writer = SparkWriter.Native,
        });
        string script = _temp.Write($"job-{ansi}.sql", setup.Script(parquet).Text());
        var run = Processes.Run(Path.Combine(_home, "bin", "spark-sql"),
            ["--master", "local[2]", "--conf", "spark.sql.ansi.enabled=" + ansi, "--conf", "spark.sql.shuffle.partitions=4", "-f", script], timeoutSeconds: 600);
        Assert.That(run.ExitCode, Is.Zero, run.Output);

        var plan = JobPlan.Create(definition, new DateOnly(2024, 5, 1), _temp["logs"]);
        var sql = PlanRenderer.Render(plan, DuckDbDialect.Instance);
        using var engine = new DuckDbEngine(new DuckDbEngineOptions { Threads = 2 });
        foreach (var s in sql.Statements)
        {
            engine.Execute(s.Sql);
        }

        string columns = string.Join(", ", plan.Columns.Sortable.Select(DuckDbDialect.Instance.Identifier));
        string spark = $"SELECT {columns} FROM read_parquet('{parquet}/*.parquet')";
        string duck = $"SELECT {columns} FROM ({sql.SortableOutputQuery}) q";
        long onlyDuck = Count(engine, $"SELECT count(*) FROM ({duck} EXCEPT ALL {spark}) x");
        long onlySpark = Count(engine, $"SELECT count(*) FROM ({spark} EXCEPT ALL {duck}) x");
        long total = Count(engine, $"SELECT count(*) FROM ({duck}) x");

        TestContext.Out.WriteLine($"{total} samples; only in DuckDB: {onlyDuck}; only in Spark: {onlySpark}");
        Assert.Multiple(() =>
        {
            Assert.That(total, Is.GreaterThan(1000));
            Assert.That(onlyDuck, Is.Zero);
            Assert.That(onlySpark, Is.Zero);
        });
    }

    [Test]
    public void The_native_writer_on_spark_writes_the_embedded_jobs_shards_byte_for_byte()
    {
        var embedded = Sparktf.Run("samples", "--conf", s_spec, "--date", "2024-05-01", "--input", _temp["logs"], "--output", _temp["embedded"]);
        Assert.That(embedded.ExitCode, Is.Zero, embedded.Output);
        var spark = Sparktf.RunWith(new Dictionary<string, string?> { ["SPARK_HOME"] = _home },
            "samples", "--engine", "spark", "--master", "local[2]", "--writer", "native", "--spark-conf", "spark.sql.shuffle.partitions=4",
            "--conf", s_spec, "--date", "2024-05-01", "--input", _temp["logs"], "--output", _temp["spark"]);
        Assert.That(spark.ExitCode, Is.Zero, spark.Output);

        var expected = Directory.GetFiles(_temp["embedded"], "part-*").Order(StringComparer.Ordinal).ToList();
        var actual = Directory.GetFiles(_temp["spark"], "part-*").Order(StringComparer.Ordinal).ToList();
        Assert.That(actual.Select(Path.GetFileName), Is.EqualTo(expected.Select(Path.GetFileName)));
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.That(File.ReadAllBytes(actual[i]), Is.EqualTo(File.ReadAllBytes(expected[i])), Path.GetFileName(actual[i]));
        }
    }

    public static IEnumerable<TestCaseData> ConformanceCases() => ConformanceRun.CaseNames().Select(name => new TestCaseData(name).SetName(name));

    // The native writer: Spark computes the samples, and the shards are written here as the embedded engine writes
    // them, so every comparison (the part files too) applies, and no connector jar has to be downloaded.
    [TestCaseSource(nameof(ConformanceCases))]
    public void Conformance_case_on_spark(string name)
    {
        var c = ConformanceRun.Load(name);
        if (c.DuckDbRefuses is not null && c.SparkRefuses is null)
        {
            Assert.Ignore($"the embedded engine refuses case {name} ({c.DuckDbRefuses}); what Spark gives there is not guaranteed (docs/engine-semantics.md)");
        }

        string output = _temp[$"conformance-{name}"];
        var run = Sparktf.RunWith(new Dictionary<string, string?> { ["SPARK_HOME"] = _home },
            ConformanceRun.SamplesArgs(c, output, "--engine", "spark", "--master", "local[2]", "--writer", "native", "--spark-conf", "spark.sql.shuffle.partitions=4"));
        if (c.SparkRefuses is not null)
        {
            Assert.That(run.ExitCode, Is.Not.Zero, run.Output);
            Assert.That(run.Stderr, Does.Contain(c.SparkRefuses));
            return;
        }

        var problems = ConformanceRun.OutputProblems(c, run, output, linesKnown: false).Concat(ConformanceRun.ScriptProblems(c, output)).ToList();
        Assert.That(problems, Is.Empty, $"case {name} on Spark (clause {c.Clause}: {c.Says}):\n" + string.Join("\n", problems));
    }

    // ---- Incremental state on Spark (docs/state.md, "The Spark side") ----

    private static readonly string[] s_chainDays = ["2024-05-01", "2024-05-02", "2024-05-03"];
    private readonly Dictionary<(string Engine, string Day), string> _fullRuns = [];
    private string? _stateLogs;

    // Logs for the chain: every day's full window (16 days of clicks before 2024-05-03, and the day after each).
    private string StateLogs()
    {
        if (_stateLogs is null)
        {
            string logs = _temp["state-logs"];
            var gen = Sparktf.Run("gen-logs", "--output", logs, "--date", "2024-05-04", "--days", "20", "--impressions-per-day", "2000", "--users", "200",
                "--items", "150", "--seed", "5");
            Assert.That(gen.ExitCode, Is.Zero, gen.Output);
            _stateLogs = logs;
        }

        return _stateLogs;
    }

    private ProcessResult Samples(string engine, string day, string output, string? state)
    {
        string[] args = ["samples", "--conf", s_spec, "--date", day, "--input", StateLogs(), "--output", output];
        if (engine == "spark")
        {
            args = [.. args, "--engine", "spark", "--master", "local[2]", "--writer", "native", "--spark-conf", "spark.sql.shuffle.partitions=4"];
        }

        if (state is not null)
        {
            args = [.. args, "--state", state];
        }

        var run = Processes.Run("dotnet", ["exec", Sparktf.Dll, .. args], environment: new Dictionary<string, string?> { ["SPARK_HOME"] = _home }, timeoutSeconds: 900);
        Assert.That(run.ExitCode, Is.Zero, $"{engine} {day}{(state is null ? "" : " --state")}:\n{run.Output}");
        return run;
    }

    // The day's output without state, on the engine (computed once per engine and day).
    private string Full(string engine, string day)
    {
        if (!_fullRuns.TryGetValue((engine, day), out string? output))
        {
            output = _temp[$"full-{engine}-{day}"];
            Samples(engine, day, output, state: null);
            _fullRuns[(engine, day)] = output;
        }

        return output;
    }

    // Every file of the output (shards and _manifest.json; _SUCCESS is empty on both) equal byte for byte.
    private static void AssertSameOutput(string actual, string expected, string what)
    {
        static List<string> Files(string folder) =>
            Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f)).Order(StringComparer.Ordinal).ToList();
        var names = Files(expected);
        Assert.That(Files(actual), Is.EqualTo(names), what);
        Assert.That(names, Has.Some.StartsWith("part-"), what);
        foreach (string name in names)
        {
            Assert.That(File.ReadAllBytes(Path.Combine(actual, name)), Is.EqualTo(File.ReadAllBytes(Path.Combine(expected, name))), $"{what}: {name}");
        }
    }

    private static void AssertStateUsed(ProcessResult run, string day, string? used)
    {
        var state = System.Text.Json.JsonDocument.Parse(run.Stdout).RootElement.GetProperty("state");
        Assert.Multiple(() =>
        {
            Assert.That(state.GetProperty("used").ValueKind == System.Text.Json.JsonValueKind.Null ? null : state.GetProperty("used").GetString(), Is.EqualTo(used), run.Output);
            Assert.That(state.GetProperty("written").GetString(), Is.EqualTo(day), run.Output);
        });
    }

    [Test]
    public void A_state_chain_alternating_engines_equals_the_full_recompute_of_every_day()
    {
        // Embedded day 1 (no snapshot yet), Spark day 2 on the embedded snapshot, embedded day 3 on Spark's.
        string state = _temp["chain-alternating-state"];
        string[] engines = ["embedded", "spark", "embedded"];
        for (int i = 0; i < s_chainDays.Length; i++)
        {
            string day = s_chainDays[i];
            string output = _temp[$"chain-alternating-{day}"];
            var run = Samples(engines[i], day, output, state);
            AssertStateUsed(run, day, i == 0 ? null : s_chainDays[i - 1]);
            AssertSameOutput(output, Full(engines[i], day), $"{engines[i]} {day} with state");
        }

        // The engines' full recomputes agree too (the native writer's claim), so the chain is the same on either.
        AssertSameShards(Full("spark", s_chainDays[1]), Full("embedded", s_chainDays[1]));
    }

    [Test]
    public void A_state_chain_on_spark_alone_equals_the_full_recompute_of_every_day()
    {
        string state = _temp["chain-spark-state"];
        for (int i = 0; i < s_chainDays.Length; i++)
        {
            string day = s_chainDays[i];
            string output = _temp[$"chain-spark-{day}"];
            var run = Samples("spark", day, output, state);
            AssertStateUsed(run, day, i == 0 ? null : s_chainDays[i - 1]);
            AssertSameOutput(output, Full("spark", day), $"spark {day} with state");
        }
    }

    private static void AssertSameShards(string actual, string expected)
    {
        var a = Directory.GetFiles(actual, "part-*").Order(StringComparer.Ordinal).ToList();
        var e = Directory.GetFiles(expected, "part-*").Order(StringComparer.Ordinal).ToList();
        Assert.That(a.Select(Path.GetFileName), Is.EqualTo(e.Select(Path.GetFileName)));
        for (int i = 0; i < e.Count; i++)
        {
            Assert.That(File.ReadAllBytes(a[i]), Is.EqualTo(File.ReadAllBytes(e[i])), Path.GetFileName(a[i]));
        }
    }

    private static long Count(DuckDbEngine engine, string sql) => Convert.ToInt64(engine.Scalar(sql), CultureInfo.InvariantCulture);
}
