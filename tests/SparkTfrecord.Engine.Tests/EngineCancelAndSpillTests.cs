using System.Diagnostics;
using SparkTfrecord.Engine.Engines;

namespace SparkTfrecord.Engine.Tests;

/// <summary>
/// The engine's promises to the job: a cancelled statement ends as OperationCanceledException on every path (never
/// DuckDB's interrupt error), a setting DuckDB refuses is an EngineSetupException that leaves no spill folder, and spill
/// folders of ended processes are swept (<see cref="EngineSpillSweepTests"/>, which starts a process).
/// </summary>
[TestFixture]
[Category("Fast")]
[NonParallelizable]
public sealed class EngineCancelAndSpillTests
{
    // A statement that runs for many seconds unless interrupted.
    private const string Long = "SELECT count(*) FROM range(100000000000) a WHERE hash(a.range) % 7 = 3";

    private string _parent = "";

    [SetUp]
    public void MakeParent() => _parent = Directory.CreateTempSubdirectory("sparktf-engine-spill-").FullName;

    [TearDown]
    public void RemoveParent() => Directory.Delete(_parent, recursive: true);

    [TestCase("Execute")]
    [TestCase("Scalar")]
    [TestCase("Query")]
    [TestCase("Row")]
    public void Cancelling_a_running_statement_throws_OperationCanceledException(string method)
    {
        using var engine = new DuckDbEngine(new DuckDbEngineOptions { Threads = 1, SpillDirectory = _parent });
        Action run = method switch
        {
            "Execute" => () => engine.Execute($"CREATE TEMP TABLE t AS {Long}"),
            "Scalar" => () => engine.Scalar(Long),
            "Query" => () => engine.Query(Long, r => r.Read()),
            _ => () => engine.Row(Long),
        };
        var clock = Stopwatch.StartNew();
        using var timer = new Timer(_ => engine.Cancel(), null, 300, Timeout.Infinite);

        Assert.That(() => run(), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), "the statement was interrupted, not finished");
    }

    [TestCase("Execute")]
    [TestCase("Scalar")]
    [TestCase("Row")]
    public void A_cancel_between_statements_also_ends_as_OperationCanceledException(string method)
    {
        // The race a signal just after the write phase met: the interrupt lands while a short statement is being
        // started or has just finished, and DuckDB reports it as its own "INTERRUPT Error" on that statement.
        var random = new Random(5);
        for (int i = 0; i < 40; i++)
        {
            using var engine = new DuckDbEngine(new DuckDbEngineOptions { Threads = 1, SpillDirectory = _parent });
            Action once = method switch
            {
                "Execute" => () => engine.Execute("CREATE OR REPLACE TEMP TABLE t AS SELECT 42 AS x"),
                "Scalar" => () => engine.Scalar("SELECT 42"),
                _ => () => engine.Row("SELECT 42 AS x"),
            };
            var loop = Task.Run(() =>
            {
                while (true)
                {
                    once();
                }
            });
            Thread.Sleep(random.Next(0, 4));
            engine.Cancel();

            var thrown = Assert.Throws<AggregateException>(() => loop.Wait(TimeSpan.FromSeconds(20)))!.InnerException;
            Assert.That(thrown, Is.InstanceOf<OperationCanceledException>(), $"try {i}: {thrown}");
        }
    }

    [Test]
    public void A_refused_setting_is_an_engine_setup_exception_and_leaves_no_spill_folder()
    {
        Assert.That(() => new DuckDbEngine(new DuckDbEngineOptions { MemoryLimit = "lots", SpillDirectory = _parent }),
            Throws.TypeOf<EngineSetupException>().With.Message.Contains("memory_limit")
                .And.Property(nameof(EngineSetupException.Problem)).EqualTo(EngineSetupProblem.EngineSetting)
                .And.InnerException.TypeOf<DuckDB.NET.Data.DuckDBException>());
        Assert.That(Directory.EnumerateFileSystemEntries(_parent), Is.Empty);
    }
}
