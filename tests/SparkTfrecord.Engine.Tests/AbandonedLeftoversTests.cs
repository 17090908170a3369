using SparkTfrecord.Engine.Output;

namespace SparkTfrecord.Engine.Tests;

/// <summary>
/// <see cref="OutputCommitter.RemoveAbandoned"/>: a killed run's hidden work folder and set-aside old output beside
/// another leaf go once nobody holds that leaf's lock and they are old enough; a live run's, a young one, the leaf
/// being written and folders that are not the protocol's stay.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class AbandonedLeftoversTests
{
    private string _parent = "";

    [SetUp]
    public void SetUp() => _parent = Directory.CreateTempSubdirectory("sparktf-abandoned-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_parent, recursive: true);

    [Test]
    public void A_killed_runs_folders_go_when_its_lock_is_free_and_they_are_old()
    {
        string work = Leftover("dt=2024-01-14", ".tmp-4242-0123abcd", withLock: true, age: TimeSpan.FromHours(3));
        string old = Leftover("dt=2024-01-14", ".old-4242-0123abcd", withLock: true, age: TimeSpan.FromHours(3));
        string output = Path.Combine(_parent, "dt=2024-01-14");
        Directory.CreateDirectory(output);

        var removed = OutputCommitter.RemoveAbandoned(_parent, except: "dt=2024-01-15");

        Assert.That(removed, Is.EquivalentTo(new[] { work, old }));
        Assert.That(Directory.Exists(work) || Directory.Exists(old), Is.False);
        Assert.That(Directory.Exists(output), "the committed folder itself stays");
        Assert.That(File.Exists(Path.Combine(_parent, ".dt=2024-01-14.lock")), "the lock file stays, as a killed run leaves it");
    }

    [Test]
    public void A_live_runs_folder_stays()
    {
        string work = Leftover("dt=2024-01-14", ".tmp-4242-0123abcd", withLock: true, age: TimeSpan.FromHours(3));
        using (new FileStream(Path.Combine(_parent, ".dt=2024-01-14.lock"), FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            Assert.That(OutputCommitter.RemoveAbandoned(_parent, except: "dt=2024-01-15"), Is.Empty);
        }

        Assert.That(Directory.Exists(work));
    }

    [Test]
    public void Young_leftovers_the_leaf_being_written_and_folders_without_a_lock_stay()
    {
        string young = Leftover("dt=2024-01-13", ".tmp-1-aa", withLock: true, age: TimeSpan.FromMinutes(5));
        string current = Leftover("dt=2024-01-15", ".tmp-2-bb", withLock: true, age: TimeSpan.FromHours(3));
        string foreign = Leftover("dt=2024-01-12", ".tmp-3-cc", withLock: false, age: TimeSpan.FromHours(3));
        string hidden = Path.Combine(_parent, ".cache");
        Directory.CreateDirectory(hidden);

        Assert.That(OutputCommitter.RemoveAbandoned(_parent, except: "dt=2024-01-15"), Is.Empty);
        Assert.That(new[] { young, current, foreign, hidden }.All(Directory.Exists));
    }

    [Test]
    public void A_previous_output_a_killed_run_set_aside_is_put_back_by_the_next_run_of_its_leaf()
    {
        // Killed between the fallback commit's two renames: no output, the previous one set aside.
        string setAside = Leftover("dt=2024-01-14", ".old-4242-0123abcd", withLock: true, age: TimeSpan.Zero);
        string output = Path.Combine(_parent, "dt=2024-01-14");

        using (OutputCommitter.Begin(output, new OutputCommitOptions { Force = true }))
        {
            Assert.That(File.ReadAllText(Path.Combine(output, "events.parquet")), Is.EqualTo("half a snapshot"), "put back before the run writes");
        }

        // The run failed (disposed without committing): the previous output is where it was.
        Assert.That(File.Exists(Path.Combine(output, "events.parquet")));
        Assert.That(Directory.Exists(setAside), Is.False);

        // And a run with --no-clobber finds it there.
        Leftover("dt=2024-01-14", ".old-4243-4567cdef", withLock: true, age: TimeSpan.Zero);
        Directory.Delete(output, recursive: true);
        var refused = Assert.Throws<OutputRefusedException>(() => OutputCommitter.Begin(output, new OutputCommitOptions { NoClobber = true }));
        Assert.That(refused!.Reason, Is.EqualTo(OutputRefusal.Exists));
        Assert.That(Directory.Exists(output));
    }

    [Test]
    public void A_previous_output_set_aside_beside_another_leaf_is_put_back_not_removed()
    {
        string setAside = Leftover("dt=2024-01-14", ".old-4242-0123abcd", withLock: true, age: TimeSpan.FromHours(3));
        string work = Leftover("dt=2024-01-14", ".tmp-4242-89abcdef", withLock: true, age: TimeSpan.FromHours(3));

        var removed = OutputCommitter.RemoveAbandoned(_parent, except: "dt=2024-01-15");

        Assert.That(removed, Is.EqualTo(new[] { work }));
        Assert.That(File.Exists(Path.Combine(_parent, "dt=2024-01-14", "events.parquet")));
        Assert.That(Directory.Exists(setAside), Is.False);
    }

    // A hidden folder ".<leaf><suffix>" holding a file, last written `age` ago, with the leaf's lock file if asked.
    private string Leftover(string leaf, string suffix, bool withLock, TimeSpan age)
    {
        string folder = Path.Combine(_parent, "." + leaf + suffix);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "events.parquet"), "half a snapshot");
        Directory.SetLastWriteTimeUtc(folder, DateTime.UtcNow - age);
        if (withLock)
        {
            File.WriteAllText(Path.Combine(_parent, $".{leaf}.lock"), "pid 4242");
        }

        return folder;
    }
}
