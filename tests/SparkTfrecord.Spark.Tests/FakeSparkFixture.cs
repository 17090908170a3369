using System.Globalization;
using System.Text.Json;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Engines;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Engine.Sql;

namespace SparkTfrecord.Spark.Tests;

/// <summary>
/// What the launcher tests against the fake Spark (fake-spark/) share: a temporary folder with generated logs, numbered
/// outputs and call records in it, the fake's environment for a run that succeeds, and a Spark home per launch
/// (<see cref="FakeSparkHome"/>) that sets that environment for the fake's programs. One per fixture: made in its
/// <c>[OneTimeSetUp]</c>, disposed in its <c>[OneTimeTearDown]</c>.
/// </summary>
internal sealed class FakeSparkFixture : IDisposable
{
    /// <summary>The job the launcher tests run (conf/din.yaml).</summary>
    public static readonly string Spec = Processes.InRepo("conf", "din.yaml");

    /// <summary>The fake's installation in the repository, for sparktf run as a process (<c>SPARK_HOME</c>).</summary>
    public static readonly string Home = Processes.InRepo("tests", "SparkTfrecord.Spark.Tests", "fake-spark");

    private int _n;

    private FakeSparkFixture(string prefix)
    {
        Temp = new TempFolder(prefix);
        Logs = Temp["logs"];
    }

    /// <summary>The temporary folder, deleted with the fixture.</summary>
    public TempFolder Temp { get; }

    /// <summary>The generated logs (<c>--input</c>).</summary>
    public string Logs { get; }

    /// <summary>A fixture with the Spark tests' logs (<see cref="InProcess.GenerateLogs"/>) of the given size.</summary>
    public static FakeSparkFixture WithLogs(string prefix, int impressionsPerDay, int users, int items)
    {
        var fixture = new FakeSparkFixture(prefix);
        InProcess.GenerateLogs(fixture.Logs, impressionsPerDay, users, items);
        return fixture;
    }

    /// <summary>A fixture whose logs the caller generates into <see cref="Logs"/>.</summary>
    public static FakeSparkFixture Empty(string prefix) => new(prefix);

    /// <summary>A new number, for names that must not collide between tests.</summary>
    public int Next() => Interlocked.Increment(ref _n);

    /// <summary>A new output folder (<c>out{n}/dt=2024-05-01</c>) and a call record file beside it.</summary>
    public (string Output, string Record) Fresh()
    {
        int n = Next();
        return (Temp[$"out{n}/dt=2024-05-01"], Temp[$"record{n}.jsonl"]);
    }

    /// <summary>
    /// The fake's environment for a run that succeeds: the output the script writes (<c>auto</c>), 42 samples, reported
    /// with a header row as the real shell prints it; the calls recorded in <paramref name="record"/> when given; then
    /// <paramref name="extra"/> (a null value unsets a variable).
    /// </summary>
    public static Dictionary<string, string?> Environment(string? record, params (string Key, string? Value)[] extra)
    {
        var environment = new Dictionary<string, string?>
        {
            ["FAKE_SPARK_OUTPUT"] = "auto",
            ["FAKE_SPARK_SAMPLES"] = "42",
            ["FAKE_SPARK_SAMPLES_FORMAT"] = "header",
        };
        if (record is not null)
        {
            environment["FAKE_SPARK_RECORD"] = record;
        }

        foreach (var (key, value) in extra)
        {
            environment[key] = value;
        }

        return environment;
    }

    /// <summary>The environment of sparktf run as a process against the fake: <see cref="Environment"/> with the
    /// fake's installation as <c>SPARK_HOME</c> and no <c>HADOOP_HOME</c>.</summary>
    public static Dictionary<string, string?> ProcessEnvironment(string? record, params (string Key, string? Value)[] extra)
    {
        var environment = Environment(record, extra);
        environment.TryAdd("SPARK_HOME", Home);
        environment.TryAdd("HADOOP_HOME", null);
        return environment;
    }

    /// <summary>A new Spark home whose programs run the fake with <paramref name="environment"/> (for <c>--spark-home</c>).</summary>
    public string SparkHome(IReadOnlyDictionary<string, string?> environment) => FakeSparkHome.Create(Temp[$"spark-home{Next()}"], environment);

    /// <summary>The signals the fake recorded in <paramref name="record"/>, one entry per line (null for a run's line).</summary>
    public static List<string?> Events(string record) =>
        File.ReadAllLines(record).Select(l => JsonDocument.Parse(l).RootElement).Select(r => r.TryGetProperty("event", out var e) ? e.GetString() : null).ToList();

    /// <summary>The Parquet that Spark's native writer would leave for <see cref="Logs"/> (one file, rows in a scrambled
    /// order), made with DuckDB; returns the number of samples.</summary>
    public long NativeParquet(string file)
    {
        var plan = JobPlan.Create(JobDefinition.Load(Spec), new DateOnly(2024, 5, 1), Logs);
        var sql = PlanRenderer.Render(plan, DuckDbDialect.Instance);
        using var engine = new DuckDbEngine(new DuckDbEngineOptions { Threads = 2 });
        foreach (var s in sql.Statements)
        {
            engine.Execute(s.Sql);
        }

        string columns = string.Join(", ", plan.Columns.Sortable.Select(DuckDbDialect.Instance.Identifier));
        engine.Execute($"COPY (SELECT {columns} FROM ({sql.SortableOutputQuery}) q ORDER BY md5(__k || CAST(__ts AS VARCHAR))) TO '{file}' (FORMAT parquet)");
        return Convert.ToInt64(engine.Scalar("SELECT count(*) FROM samples WHERE __kept"), CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public void Dispose() => Temp.Dispose();
}
