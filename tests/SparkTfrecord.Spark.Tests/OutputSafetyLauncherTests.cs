using System.Security.Cryptography;

namespace SparkTfrecord.Spark.Tests;

/// <summary>
/// The Spark launcher's local output goes through the same guard as the embedded job: the working directory, the
/// input and a folder of other outputs are refused (even with <c>--force</c>) before Spark is started; an unrelated
/// non-empty folder is replaced only with <c>--force</c>; a previous output is replaced by a rerun. Each test proves
/// that the fake Spark was not run when refused, that no user file outside the output changed and that no
/// temporary, staging or set-aside folder remains.
/// </summary>
[TestFixture]
[Category("Process")]
[NonParallelizable]
public sealed class OutputSafetyLauncherTests
{
    private const string ForceNever = "--force never overrides this";
    private static readonly string s_home = Processes.InRepo("tests", "SparkTfrecord.Spark.Tests", "fake-spark");
    private static readonly string s_spec = Processes.InRepo("conf", "din.yaml");
    private TempFolder _logs = null!;
    private TempFolder _box = null!;
    private TempFolder _records = null!;

    [OneTimeSetUp]
    public void GenerateLogs()
    {
        _logs = new TempFolder("sparktf-launcher-safety-logs-");
        var gen = Sparktf.Run("gen-logs", "--output", _logs["logs"], "--date", "2024-05-01", "--days", "16", "--impressions-per-day", "1000", "--users", "200", "--items", "100", "--seed", "5");
        Assert.That(gen.ExitCode, Is.Zero, gen.Output);
    }

    [OneTimeTearDown]
    public void RemoveLogs() => _logs.Dispose();

    /// <summary>A fresh sandbox per test: a project folder with code and the spec, the logs, and its own TMPDIR.</summary>
    [SetUp]
    public void MakeSandbox()
    {
        _box = new TempFolder("sparktf-launcher-safety-");
        _records = new TempFolder("sparktf-launcher-safety-records-");
        _box.Write("proj/main.py", "print('the user code')\n");
        _box.Write("proj/din.yaml", File.ReadAllText(s_spec));
        foreach (string file in Directory.EnumerateFiles(_logs["logs"], "*", SearchOption.AllDirectories))
        {
            string to = _box["logs/" + Path.GetRelativePath(_logs["logs"], file)];
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }

        Directory.CreateDirectory(_box["tmp"]);
    }

    [TearDown]
    public void RemoveSandbox()
    {
        _box.Dispose();
        _records.Dispose();
    }

    private ProcessResult Launch(string workingDirectory, string output, params string[] more) =>
        Processes.Run("dotnet",
            ["exec", Sparktf.Dll, "samples", "--engine", "spark", "--conf", _box["proj/din.yaml"], "--date", "2024-05-01", "--input", _box["logs"], "--output", output, "--spark-version", "3.5", .. more],
            workingDirectory,
            new Dictionary<string, string?>
            {
                ["SPARK_HOME"] = s_home,
                ["FAKE_SPARK_RECORD"] = _records["record.jsonl"],
                ["FAKE_SPARK_OUTPUT"] = "auto",
                ["FAKE_SPARK_SAMPLES"] = "42",
                ["FAKE_SPARK_SAMPLES_FORMAT"] = "header",
                ["HADOOP_HOME"] = null,
                ["TMPDIR"] = _box["tmp"],
            },
            timeoutSeconds: 120);

    private bool SparkRan => File.Exists(_records["record.jsonl"]) && File.ReadAllLines(_records["record.jsonl"]).Length > 0;

    private void AssertRefusedBeforeSpark(ProcessResult result, params string[] words)
    {
        Assert.That(result.ExitCode, Is.EqualTo(1), result.Output);
        foreach (string word in words)
        {
            Assert.That(result.Stderr, Does.Contain(word));
        }

        Assert.That(result.Stderr, Does.Not.Contain("   at "), "a stack trace reached the user");
        Assert.That(SparkRan, Is.False, "Spark was started for a refused output");
    }

    [Test]
    public void The_launcher_refuses_the_working_directory()
    {
        var before = Snapshot();

        var result = Launch(_box["proj"], ".", "--force");

        AssertRefusedBeforeSpark(result, _box["proj"], "is the working directory", ForceNever);
        AssertUntouchedOutside(before);
        AssertNoLeftovers();
    }

    [Test]
    public void The_launcher_refuses_the_input_folder_and_a_folder_inside_it()
    {
        var before = Snapshot();

        var same = Launch(_box["proj"], _box["logs"], "--force");
        var inside = Launch(_box["proj"], _box["logs/samples"]);

        AssertRefusedBeforeSpark(same, "is the input", ForceNever);
        AssertRefusedBeforeSpark(inside, "is inside the input", ForceNever);
        AssertUntouchedOutside(before);
        AssertNoLeftovers();
    }

    [Test]
    public void The_launcher_refuses_a_folder_of_other_outputs()
    {
        var first = Launch(_box["proj"], _box["root/dt=2024-04-30"]);
        Assert.That(first.ExitCode, Is.Zero, first.Output);
        File.Delete(_records["record.jsonl"]);
        var before = Snapshot();

        var result = Launch(_box["proj"], _box["root"], "--force");

        AssertRefusedBeforeSpark(result, "holds other outputs", "dt=2024-04-30", ForceNever);
        AssertUntouchedOutside(before);
        AssertNoLeftovers();
    }

    [Test]
    public void The_launcher_replaces_an_unrelated_folder_only_with_force()
    {
        _box.Write("notes/todo.txt", "buy milk\n");
        var before = Snapshot();

        var refused = Launch(_box["proj"], _box["notes"]);

        AssertRefusedBeforeSpark(refused, "is not empty", "todo.txt", "--force");
        Assert.That(refused.Stderr, Does.Not.Contain(ForceNever));
        AssertUntouchedOutside(before);

        var forced = Launch(_box["proj"], _box["notes"], "--force");

        Assert.That(forced.ExitCode, Is.Zero, forced.Output);
        Assert.That(File.Exists(_box["notes/_SUCCESS"]) && File.Exists(_box["notes/_manifest.json"]), "the forced run committed its output");
        Assert.That(File.Exists(_box["notes/todo.txt"]), Is.False);
        AssertUntouchedOutside(before, "notes");
        AssertNoLeftovers();
    }

    [Test]
    public void The_launcher_replaces_its_previous_output()
    {
        var first = Launch(_box["proj"], _box["out/dt=2024-05-01"]);
        Assert.That(first.ExitCode, Is.Zero, first.Output);
        _box.Write("out/dt=2024-05-01/part-99999-stale", "stale");
        var before = Snapshot();

        var rerun = Launch(_box["proj"], _box["out/dt=2024-05-01"]);

        Assert.That(rerun.ExitCode, Is.Zero, rerun.Output);
        Assert.That(File.Exists(_box["out/dt=2024-05-01/_manifest.json"]));
        Assert.That(File.Exists(_box["out/dt=2024-05-01/part-99999-stale"]), Is.False, "a rerun replaces the output as a whole");
        AssertUntouchedOutside(before, "out/dt=2024-05-01");
        AssertNoLeftovers();
    }

    [Test]
    public void A_spark_backfill_checks_every_days_output_before_spark_starts()
    {
        _box.Write("out/dt=2024-05-01/draft.md", "# not samples\n");
        var before = Snapshot();

        var result = Processes.Run("dotnet",
            ["exec", Sparktf.Dll, "samples", "--engine", "spark", "--conf", _box["proj/din.yaml"], "--date", "2024-04-30..2024-05-01", "--input", _box["logs"],
             "--output", _box["out/dt={date}"], "--spark-version", "3.5"],
            _box["proj"],
            new Dictionary<string, string?> { ["SPARK_HOME"] = s_home, ["FAKE_SPARK_RECORD"] = _records["record.jsonl"], ["FAKE_SPARK_OUTPUT"] = "auto", ["HADOOP_HOME"] = null, ["TMPDIR"] = _box["tmp"] },
            timeoutSeconds: 120);

        AssertRefusedBeforeSpark(result, _box["out/dt=2024-05-01"], "is not empty", "draft.md", "--force");
        Assert.That(Directory.Exists(_box["out/dt=2024-04-30"]), Is.False);
        AssertUntouchedOutside(before);
        AssertNoLeftovers();
    }

    /// <summary>Every file below the sandbox (its TMPDIR aside) with its SHA-256.</summary>
    private SortedDictionary<string, string> Snapshot()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(_box.Path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            string relative = Path.GetRelativePath(_box.Path, file);
            if (!relative.StartsWith("tmp/", StringComparison.Ordinal))
            {
                using var stream = File.OpenRead(file);
                files[relative] = Convert.ToHexString(SHA256.HashData(stream));
            }
        }

        return files;
    }

    /// <summary>No file outside the outputs (with their hidden siblings: lock, work folders) changed, vanished or appeared.</summary>
    private void AssertUntouchedOutside(SortedDictionary<string, string> before, params string[] outputs)
    {
        bool Inside(string relative) => outputs.Any(o =>
        {
            string parent = Path.GetDirectoryName(o) ?? "";
            string hidden = Path.Combine(parent, "." + Path.GetFileName(o) + ".");
            return relative.StartsWith(o + "/", StringComparison.Ordinal) || relative.StartsWith(hidden, StringComparison.Ordinal);
        });
        var after = Snapshot();
        Assert.Multiple(() =>
        {
            Assert.That(before.Where(f => !Inside(f.Key) && (!after.TryGetValue(f.Key, out string? h) || h != f.Value)).Select(f => f.Key), Is.Empty, "user files changed or removed");
            Assert.That(after.Keys.Where(f => !Inside(f) && !before.ContainsKey(f)), Is.Empty, "files appeared outside the output");
        });
    }

    /// <summary>No Spark script folder, staging, work or set-aside folder remains.</summary>
    private void AssertNoLeftovers()
    {
        var leftovers = Directory.EnumerateFileSystemEntries(_box.Path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(e => Path.GetRelativePath(_box.Path, e))
            .Where(e =>
            {
                string name = Path.GetFileName(e);
                return name.StartsWith("sparktf-", StringComparison.Ordinal)
                    || (name.StartsWith('.') && (name.Contains(".tmp-", StringComparison.Ordinal) || name.Contains(".old-", StringComparison.Ordinal) || name.EndsWith(".spark-parquet", StringComparison.Ordinal)));
            })
            .ToList();
        Assert.That(leftovers, Is.Empty, "temporary, staging or set-aside folders were left behind");
    }
}
