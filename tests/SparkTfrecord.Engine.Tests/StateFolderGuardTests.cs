using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Generation;
using SparkTfrecord.Engine.Jobs;
using SparkTfrecord.Engine.Output;
using SparkTfrecord.TestSupport;

namespace SparkTfrecord.Engine.Tests;

/// <summary>
/// A state folder that overlaps the inputs or the samples output is refused before the run writes anything
/// (OutputGuard.CheckStateFolder). Each day's snapshot dt=DATE/ is committed like an output, replacing the folder of
/// that name: before the guard, `--state logs/clicks` replaced the clicks of the run day with a snapshot and exited 0,
/// and `--state out` (the samples going to out/dt=DATE) replaced the committed samples with the snapshot.
/// </summary>
[TestFixture]
[Category("Process")]
public sealed class StateFolderGuardTests
{
    private static readonly DateOnly Day = new(2024, 1, 15);

    private string _root = "";
    private string _logs = "";
    private string _pristine = "";

    private string Output => Path.Combine(_root, "out", "dt=2024-01-15");

    [OneTimeSetUp]
    public void GenerateLogs()
    {
        _pristine = Directory.CreateTempSubdirectory("sparktf-stateguard-logs-").FullName;
        LogGenerator.Generate(new LogGeneratorOptions { Output = _pristine, Date = Day.AddDays(1), Days = 17, ImpressionsPerDay = 300, Users = 30, Items = 20, Seed = 8 });
    }

    [OneTimeTearDown]
    public void DeleteLogs() => Directory.Delete(_pristine, recursive: true);

    [SetUp]
    public void SetUp()
    {
        _root = Directory.CreateTempSubdirectory("sparktf-stateguard-").FullName;
        _logs = Path.Combine(_root, "logs");
        Folders.Copy(_pristine, _logs);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [TestCase("logs", "is the input")]
    [TestCase("logs/clicks", "is inside the input")]
    [TestCase("logs/state", "is inside the input")]
    [TestCase(".", "holds the input")]
    public void A_state_folder_among_the_inputs_is_refused_and_the_inputs_are_untouched(string state, string problem)
    {
        var e = Assert.Throws<OutputRefusedException>(() => Run(Path.Combine(_root, state)));
        Assert.That(e!.Reason, Is.EqualTo(OutputRefusal.StateFolder));
        Assert.That(e.Message, Does.Contain(problem).And.Contain("--state"));
        AssertLogsUnchanged();
        Assert.That(Directory.Exists(Output), Is.False, "nothing was written");
    }

    [Test]
    public void A_link_to_an_input_folder_is_refused_as_the_folder_it_names()
    {
        string link = Path.Combine(_root, "state-link");
        Directory.CreateSymbolicLink(link, Path.Combine(_logs, "clicks"));
        var e = Assert.Throws<OutputRefusedException>(() => Run(link));
        Assert.That(e!.Message, Does.Contain("is inside the input"));
        AssertLogsUnchanged();
    }

    [TestCase("out/dt=2024-01-15", "is the samples output")]
    [TestCase("out", "holds the samples output")]
    [TestCase("out/dt=2024-01-15/state", "is inside the samples output")]
    public void A_state_folder_overlapping_the_samples_output_is_refused_and_a_previous_output_stays(string state, string problem)
    {
        Run(null);
        var before = Files(Output);
        var e = Assert.Throws<OutputRefusedException>(() => Run(Path.Combine(_root, state)));
        Assert.That(e!.Reason, Is.EqualTo(OutputRefusal.StateFolder));
        Assert.That(e.Message, Does.Contain(problem));
        Assert.That(Files(Output), Is.EqualTo(before), "the previous samples are as they were");
    }

    [Test]
    public void A_folder_that_is_not_a_snapshot_where_the_days_snapshot_goes_is_kept_unless_forced()
    {
        string state = Path.Combine(_root, "state");
        string mine = Path.Combine(state, "dt=2024-01-15", "mine.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(mine)!);
        File.WriteAllText(mine, "not a snapshot");

        var e = Assert.Throws<OutputRefusedException>(() => Run(state));
        Assert.That(e!.Reason, Is.EqualTo(OutputRefusal.StateFolder));
        Assert.That(e.Message, Does.Contain("is not a sparktf state snapshot").And.Contain("--force"));
        Assert.That(File.ReadAllText(mine), Is.EqualTo("not a snapshot"));

        var summary = Run(state, force: true);
        Assert.That(summary.State!.Written, Is.EqualTo(Day));
        Assert.That(File.Exists(mine), Is.False);
    }

    [Test]
    public void A_state_folder_beside_the_samples_is_used_and_its_own_snapshot_is_replaced_by_a_rerun()
    {
        string state = Path.Combine(_root, "out", "_state");
        Assert.That(Run(state).State!.Written, Is.EqualTo(Day));
        Assert.That(Run(state).State!.Written, Is.EqualTo(Day), "the day's own snapshot is a snapshot: a rerun replaces it");
        AssertLogsUnchanged();
    }

    private SamplesSummary Run(string? state, bool force = false) =>
        SamplesJob.Run(JobDefinition.Load(Repo.Conf("din.yaml")), new SamplesJobOptions
        {
            Date = Day,
            Input = _logs,
            Output = Output,
            Engine = new Engines.DuckDbEngineOptions { Threads = 2, MemoryLimit = "512MB" },
            State = state,
            Force = force,
        });

    private void AssertLogsUnchanged() => Assert.That(Files(_logs), Is.EqualTo(Files(_pristine)));

    // Each file below the folder, relative, with its bytes.
    private static Dictionary<string, byte[]> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllBytes);
}
