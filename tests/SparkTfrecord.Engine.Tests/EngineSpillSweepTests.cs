using System.Diagnostics;
using SparkTfrecord.Engine.Engines;

namespace SparkTfrecord.Engine.Tests;

/// <summary>
/// The engine spills in a folder of its own and sweeps those of ended processes (a process is started and ended to
/// have the id of one).
/// </summary>
[TestFixture]
[Category("Process")]
[NonParallelizable]
public sealed class EngineSpillSweepTests
{
    private string _parent = "";

    [SetUp]
    public void MakeParent() => _parent = Directory.CreateTempSubdirectory("sparktf-engine-spill-").FullName;

    [TearDown]
    public void RemoveParent() => Directory.Delete(_parent, recursive: true);

    [Test]
    public void The_engine_spills_in_its_own_folder_removes_it_and_sweeps_those_of_ended_processes()
    {
        using var ended = Process.Start("true")!;
        ended.WaitForExit();
        string stale = Path.Combine(_parent, $"{DuckDbEngine.SpillPrefix}{ended.Id}-0123456789abcdef");
        string live = Path.Combine(_parent, $"{DuckDbEngine.SpillPrefix}{Environment.ProcessId}-0123456789abcdef");
        Directory.CreateDirectory(stale);
        Directory.CreateDirectory(live);

        string[] during;
        using (new DuckDbEngine(new DuckDbEngineOptions { Threads = 1, SpillDirectory = _parent }))
        {
            during = Directory.GetDirectories(_parent).Select(Path.GetFileName).ToArray()!;
        }

        Assert.That(Directory.Exists(stale), Is.False, "an ended process's spill folder is swept");
        Assert.That(during.Count(d => d.StartsWith($"{DuckDbEngine.SpillPrefix}{Environment.ProcessId}-", StringComparison.Ordinal)), Is.EqualTo(2), "its own folder, beside the live one");
        Assert.That(Directory.GetDirectories(_parent).Select(Path.GetFileName), Is.EqualTo(new[] { Path.GetFileName(live) }), "its own folder is removed; a live one is kept");
    }
}
