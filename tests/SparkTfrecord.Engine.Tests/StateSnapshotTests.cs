using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.State;

namespace SparkTfrecord.Engine.Tests;

/// <summary>
/// Which snapshot a run may use (docs/state.md): the day before's, written for the same spec and input, every covered
/// file unchanged, no bad rows in the covered partitions; otherwise none, with the reason. And which jobs can carry
/// state at all.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class StateSnapshotTests
{
    private static readonly DateOnly Day = new(2024, 1, 20);
    private static readonly StatefulSource Clicks = new("clicks", "{input}/clicks/dt={date-15d..date+1d}", -15, 1);

    private string _root = "";

    private string Input => Path.Combine(_root, "in");

    private StateStore Store => new(Path.Combine(_root, "state"));

    [SetUp]
    public void SetUp()
    {
        _root = Directory.CreateTempSubdirectory("sparktf-snap-").FullName;
        for (var d = Day.AddDays(-20); d <= Day.AddDays(1); d = d.AddDays(1))
        {
            string folder = Clicks.PartitionPath(Input, d);
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "part-0.parquet"), "rows of " + d.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public void TheDayBeforesSnapshotWithItsFilesUnchangedIsUsed()
    {
        WriteSnapshot(Day.AddDays(-1));
        var (usable, reason) = Store.FindUsable(Day, "h1", [Clicks], Input);
        Assert.That(usable?.Date, Is.EqualTo(Day.AddDays(-1)), reason);
        Assert.That(usable!.Sources["clicks"].Covered, Is.EqualTo(Clicks.CoveredBy(Day.AddDays(-1))));
        Assert.That(Clicks.CoveredBy(Day.AddDays(-1)), Has.Count.EqualTo(15).And.Member(Day.AddDays(-1)).And.Member(Day.AddDays(-15)));
    }

    [Test]
    public void NoSnapshotIsNamedAsTheReason()
    {
        Assert.That(Store.FindUsable(Day, "h1", [Clicks], Input), Is.EqualTo(((StateManifest?)null, $"no snapshot before 2024-01-20 in {Store.Folder}")));
    }

    [Test]
    public void AGapOfDaysIsNotUsed()
    {
        WriteSnapshot(Day.AddDays(-2));
        Assert.That(Store.FindUsable(Day, "h1", [Clicks], Input).Reason, Does.Contain("dt=2024-01-18, is not of the day before 2024-01-20"));
    }

    [Test]
    public void ASnapshotWithoutSuccessIsNotASnapshot()
    {
        WriteSnapshot(Day.AddDays(-1));
        File.Delete(Path.Combine(Store.SnapshotFolder(Day.AddDays(-1)), "_SUCCESS"));
        Assert.That(Store.FindUsable(Day, "h1", [Clicks], Input).Reason, Does.StartWith("no snapshot before"));
    }

    [Test]
    public void AnotherSpecOrInputIsNotUsed()
    {
        WriteSnapshot(Day.AddDays(-1));
        Assert.That(Store.FindUsable(Day, "h2", [Clicks], Input).Reason, Does.Contain("state hash differs"));
    }

    [Test]
    public void ARestatedPartitionIsDetected()
    {
        WriteSnapshot(Day.AddDays(-1));
        string file = Path.Combine(Clicks.PartitionPath(Input, Day.AddDays(-5)), "part-0.parquet");
        File.AppendAllText(file, "more");
        Assert.That(Store.FindUsable(Day, "h1", [Clicks], Input).Reason, Does.Contain($"restated: file {file} changed (size"));
    }

    [Test]
    public void ARewriteOfTheSameSizeIsDetectedByItsTimeOrContent()
    {
        WriteSnapshot(Day.AddDays(-1));
        string file = Path.Combine(Clicks.PartitionPath(Input, Day.AddDays(-5)), "part-0.parquet");
        var time = File.GetLastWriteTimeUtc(file);
        File.WriteAllText(file, File.ReadAllText(file).ToUpperInvariant());
        Assert.That(Store.FindUsable(Day, "h1", [Clicks], Input).Reason, Does.Contain($"file {file} changed"));
        File.SetLastWriteTimeUtc(file, time);
        Assert.That(Store.FindUsable(Day, "h1", [Clicks], Input).Reason, Does.Contain($"file {file} changed (content hash)"));
    }

    [Test]
    public void AFileAddedToOrRemovedFromACoveredPartitionIsDetected()
    {
        WriteSnapshot(Day.AddDays(-1));
        string added = Path.Combine(Clicks.PartitionPath(Input, Day.AddDays(-3)), "part-1.parquet");
        File.WriteAllText(added, "late");
        Assert.That(Store.FindUsable(Day, "h1", [Clicks], Input).Reason, Does.Contain($"file {added} is new"));
        File.Delete(added);
        string removed = Path.Combine(Clicks.PartitionPath(Input, Day.AddDays(-3)), "part-0.parquet");
        File.Delete(removed);
        Assert.That(Store.FindUsable(Day, "h1", [Clicks], Input).Reason, Does.Contain($"file {removed} is gone"));
    }

    [Test]
    public void TheRunDaysOwnPartitionsAreNotCovered()
    {
        WriteSnapshot(Day.AddDays(-1));
        File.AppendAllText(Path.Combine(Clicks.PartitionPath(Input, Day), "part-0.parquet"), "arriving");
        File.WriteAllText(Path.Combine(Clicks.PartitionPath(Input, Day.AddDays(1)), "part-1.parquet"), "arriving");
        Assert.That(Store.FindUsable(Day, "h1", [Clicks], Input).Usable, Is.Not.Null);
    }

    [Test]
    public void BadRowsInTheCoveredPartitionsMakeTheRunReadTheWholeWindow()
    {
        WriteSnapshot(Day.AddDays(-1), badRows: 2);
        Assert.That(Store.FindUsable(Day, "h1", [Clicks], Input).Reason, Does.Contain("hold 2 bad rows"));
    }

    [TestCase("clicks:      {path: \"{input}/clicks/dt={date-15d..date+1d}\", format: parquet, time: {column: ts, unit: ms}}",
        "clicks:      {path: \"{input}/clicks/dt={date-15d..date+1d}\", format: parquet, time: {column: ts, unit: ms}, dedup: [request_id, item_id]}",
        "source 'clicks' has dedup")]
    [TestCase("value: item_id,", "value: items.category,", "takes its value from table 'items'")]
    [TestCase("clicks/dt={date-15d..date+1d}", "clicks/dt={date-15d}/{date..date+1d}", "needs exactly one day range")]
    public void JobsWhoseStateWouldNotBeExactAreRefused(string from, string to, string reason)
    {
        string spec = Path.Combine(_root, "spec.yaml");
        string yaml = File.ReadAllText(Path.Combine(RepositoryRoot(), "conf", "din.yaml"));
        Assert.That(yaml, Does.Contain(from));
        File.WriteAllText(spec, yaml.Replace(from, to, StringComparison.Ordinal));
        Assert.That(StatefulSource.Of(JobDefinition.Load(spec).Job).Refusal, Does.Contain(reason));
    }

    [Test]
    public void TheExampleJobCarriesStateForItsClicks()
    {
        var (sources, refusal) = StatefulSource.Of(JobDefinition.Load(Path.Combine(RepositoryRoot(), "conf", "din.yaml")).Job);
        Assert.That(refusal, Is.Null);
        Assert.That(sources, Is.EqualTo(new[] { Clicks with { PathTemplate = "{input}/clicks/dt={date-15d..date+1d}" } }));
    }

    private void WriteSnapshot(DateOnly date, long badRows = 0)
    {
        string folder = Store.SnapshotFolder(date);
        Directory.CreateDirectory(folder);
        var covered = Clicks.CoveredBy(date);
        var files = covered.SelectMany(d => StateStore.FilesOf(Clicks, Input, d)).ToList();
        var counts = covered.ToDictionary(d => d, d => new PartitionCounts(10, d == covered[^1] ? badRows : 0));
        new StateManifest(date, "h1", "spec", ["h"], new Dictionary<string, StateManifestSource> { ["clicks"] = new(Clicks.PathTemplate, covered, files, counts) }, null,
            new Dictionary<string, int> { ["clicks"] = 17 }).Write(Path.Combine(folder, StateManifest.FileName));
        File.WriteAllText(Path.Combine(folder, "_SUCCESS"), "");
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
