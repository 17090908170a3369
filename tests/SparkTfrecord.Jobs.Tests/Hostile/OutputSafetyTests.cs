using System.Diagnostics;

namespace SparkTfrecord.Jobs.Tests.Hostile;

/// <summary>
/// A wrong <c>--output</c> must never cost the user data: the commit protocol replaces an output as a whole, so
/// <c>samples</c>, <c>encode</c> and <c>write</c> replace only what is missing, empty or their own earlier output, refuse
/// the working directory, its ancestors, the inputs and folders of other outputs even with <c>--force</c>, and replace
/// any other non-empty folder only with <c>--force</c>. A refused run exits 1 before any work and changes nothing. The
/// lock names the run that holds it, and a read-only folder is reported as such, not as a lock.
/// </summary>
[TestFixture]
[Category("Process")]
[NonParallelizable]
public sealed class OutputSafetyTests
{
    private const string Date = "2024-01-15";
    private const string ForceNever = "--force never overrides this";
    private string _cache = null!;
    private string _logs = null!;
    private string _parquet = null!;

    private static string Spec => System.IO.Path.Combine(Sparktf.RepoRoot, "conf", "din.yaml");

    [OneTimeSetUp]
    public void GenerateLogs()
    {
        _cache = Directory.CreateTempSubdirectory("sparktf-output-safety-").FullName;
        _logs = System.IO.Path.Combine(_cache, "logs");
        var gen = Sparktf.Run("gen-logs", "--output", _logs, "--date", Date, "--impressions-per-day", "2000", "--users", "500", "--items", "300", "--seed", "3", "--impression-days", "2");
        Assert.That(gen.ExitCode, Is.Zero, gen.Stderr);

        // Parquet samples with the spec's columns for encode: the embedded job's audit file.
        string audited = System.IO.Path.Combine(_cache, "audited");
        var samples = Sparktf.Run("samples", "--conf", Spec, "--date", Date, "--input", _logs, "--output", audited, "--shards", "2", "--audit");
        Assert.That(samples.ExitCode, Is.Zero, samples.Stderr);
        _parquet = System.IO.Path.Combine(audited, "_audit", "samples.parquet");
        Assert.That(File.Exists(_parquet), _parquet);
    }

    [OneTimeTearDown]
    public void RemoveCache() => Directory.Delete(_cache, recursive: true);

    /// <summary>A sandbox with a project folder (code and the spec in use) and the logs beside it.</summary>
    private Sandbox Project(string name)
    {
        var box = Sandbox.Create(name);
        box.Write("proj/main.py", "print('the user code')\n");
        box.Write("proj/din.yaml", File.ReadAllText(Spec));
        box.CopyFolder(_logs, "logs");
        return box;
    }

    private static Sparktf.Result Samples(Sandbox box, string? cwd, string output, params string[] more) =>
        box.Run(cwd, ["samples", "--conf", box.Path("proj", "din.yaml"), "--date", Date, "--input", box.Path("logs"), "--output", output, "--shards", "2", .. more]);

    private static void AssertRefused(Sparktf.Result result, params string[] words)
    {
        Assert.That(result.ExitCode, Is.EqualTo(1), result.Stderr);
        foreach (string word in words)
        {
            Assert.That(result.Stderr, Does.Contain(word));
        }

        Assert.That(result.Stderr, Does.Not.Contain("   at "), "a stack trace reached the user");
        Assert.That(result.Stdout, Is.Empty, "a refused run printed a summary");
    }

    private static void AssertIsOutput(string folder)
    {
        Assert.That(File.Exists(System.IO.Path.Combine(folder, "_SUCCESS")), $"{folder}/_SUCCESS");
        Assert.That(File.Exists(System.IO.Path.Combine(folder, "_manifest.json")), $"{folder}/_manifest.json");
    }

    // ---- samples: the cases that are always wrong ----

    [Test]
    public void Output_dot_in_a_project_folder_is_refused_even_with_force()
    {
        using var box = Project("dot");
        var before = box.Snapshot();

        var result = Samples(box, box.Path("proj"), ".");
        var forced = Samples(box, box.Path("proj"), ".", "--force");

        AssertRefused(result, box.Path("proj"), "is the working directory", ForceNever);
        AssertRefused(forced, "is the working directory");
        box.AssertUntouchedOutside(before);
        box.AssertNoLeftovers();
    }

    [Test]
    public void An_ancestor_of_the_working_directory_is_refused()
    {
        using var box = Project("ancestor-cwd");
        Directory.CreateDirectory(box.Path("proj", "notebooks"));
        var before = box.Snapshot();

        var result = Samples(box, box.Path("proj", "notebooks"), "..", "--force");

        AssertRefused(result, box.Path("proj"), "an ancestor of the working directory", ForceNever);
        box.AssertUntouchedOutside(before);
        box.AssertNoLeftovers();
    }

    [Test]
    public void The_input_folder_is_refused()
    {
        using var box = Project("input");
        var before = box.Snapshot();

        var result = Samples(box, box.Path("proj"), box.Path("logs"), "--force");

        AssertRefused(result, box.Path("logs"), "is the input", ForceNever);
        box.AssertUntouchedOutside(before);
        box.AssertNoLeftovers();
    }

    [Test]
    public void A_folder_that_holds_an_input_is_refused()
    {
        using var box = Project("input-ancestor");
        box.CopyFolder(box.Path("logs"), "data/logs");
        var before = box.Snapshot();

        var result = box.Run(box.Path("proj"), "samples", "--conf", box.Path("proj", "din.yaml"), "--date", Date, "--input", box.Path("data", "logs"),
            "--output", box.Path("data"), "--shards", "2", "--force");

        AssertRefused(result, box.Path("data"), "holds the input", ForceNever);
        box.AssertUntouchedOutside(before);
        box.AssertNoLeftovers();
    }

    [Test]
    public void A_folder_inside_an_input_is_refused()
    {
        using var box = Project("input-descendant");
        var before = box.Snapshot();

        var result = Samples(box, box.Path("proj"), box.Path("logs", "samples", "dt=" + Date));

        AssertRefused(result, "is inside the input", box.Path("logs"), ForceNever);
        Assert.That(Directory.Exists(box.Path("logs", "samples")), Is.False);
        box.AssertUntouchedOutside(before);
        box.AssertNoLeftovers();
    }

    [Test]
    public void A_folder_holding_other_days_outputs_is_refused_even_with_force()
    {
        using var box = Project("other-days");
        var first = Samples(box, box.Path("proj"), box.Path("root", "dt=2024-01-14"));
        Assert.That(first.ExitCode, Is.Zero, first.Stderr);
        var before = box.Snapshot();

        var result = Samples(box, box.Path("proj"), box.Path("root"), "--force");

        AssertRefused(result, box.Path("root"), "holds other outputs", "dt=2024-01-14", ForceNever);
        box.AssertUntouchedOutside(before);
        box.AssertNoLeftovers();
    }

    [Test]
    public void A_folder_holding_another_outputs_manifest_is_refused_even_with_force()
    {
        using var box = Project("other-manifest");
        var first = Samples(box, box.Path("proj"), box.Path("experiments", "run-a"));
        Assert.That(first.ExitCode, Is.Zero, first.Stderr);
        var before = box.Snapshot();

        var result = Samples(box, box.Path("proj"), box.Path("experiments"), "--force");

        AssertRefused(result, "holds other outputs", "run-a/_manifest.json", ForceNever);
        box.AssertUntouchedOutside(before);
        box.AssertNoLeftovers();
    }

    [Test]
    public void A_symbolic_link_as_output_is_refused()
    {
        using var box = Project("link");
        var first = Samples(box, box.Path("proj"), box.Path("out", "v1"));
        Assert.That(first.ExitCode, Is.Zero, first.Stderr);
        File.CreateSymbolicLink(box.Path("out", "latest"), "v1");
        var before = box.Snapshot();

        var result = Samples(box, box.Path("proj"), box.Path("out", "latest"), "--force");

        AssertRefused(result, "is a symbolic link", "v1", ForceNever);
        Assert.That(new FileInfo(box.Path("out", "latest")).LinkTarget, Is.EqualTo("v1"));
        box.AssertUntouchedOutside(before);
        box.AssertNoLeftovers();
    }

    [Test]
    public void The_root_folder_is_refused()
    {
        using var box = Project("root");
        var before = box.Snapshot();

        var result = Samples(box, box.Path("proj"), "/", "--force");

        AssertRefused(result, "is the root folder", ForceNever);
        box.AssertUntouchedOutside(before);
        box.AssertNoLeftovers();
    }

    [Test]
    public void A_file_as_output_is_refused()
    {
        using var box = Project("file");
        box.Write("notes.txt", "my notes\n");
        var before = box.Snapshot();

        var result = Samples(box, box.Path("proj"), box.Path("notes.txt"), "--force");
        var below = Samples(box, box.Path("proj"), box.Path("notes.txt", "dt=" + Date));

        AssertRefused(result, box.Path("notes.txt"), "is a file", ForceNever);
        AssertRefused(below, box.Path("notes.txt") + " is a file", ForceNever);
        box.AssertUntouchedOutside(before);
        box.AssertNoLeftovers();
    }

    // ---- samples: what --force is for, and what is replaced without it ----

    [Test]
    public void An_unrelated_non_empty_folder_is_refused_and_replaced_only_with_force()
    {
        using var box = Project("unrelated");
        box.Write("thesis/chapter1.tex", "\\chapter{One}\n");
        box.Write("thesis/figures/plot.png", "not really a png");
        var before = box.Snapshot();

        var refused = Samples(box, box.Path("proj"), box.Path("thesis"));

        AssertRefused(refused, box.Path("thesis"), "is not empty", "chapter1.tex", "figures", "--force");
        Assert.That(refused.Stderr, Does.Not.Contain(ForceNever));
        box.AssertUntouchedOutside(before);
        box.AssertNoLeftovers();

        var forced = Samples(box, box.Path("proj"), box.Path("thesis"), "--force");

        Assert.That(forced.ExitCode, Is.Zero, forced.Stderr);
        AssertIsOutput(box.Path("thesis"));
        Assert.That(File.Exists(box.Path("thesis", "chapter1.tex")), Is.False, "--force replaces the folder as a whole");
        box.AssertUntouchedOutside(before, "thesis");
        box.AssertNoLeftovers();
    }

    [Test]
    public void A_backfill_checks_every_days_output_before_the_first_day_runs()
    {
        using var box = Project("backfill");
        box.Write("out/dt=2024-01-15/my-notes.txt", "not samples\n");
        var before = box.Snapshot();

        var result = box.Run(box.Path("proj"), "samples", "--conf", box.Path("proj", "din.yaml"), "--date", "2024-01-14.." + Date, "--input", box.Path("logs"),
            "--output", box.Path("out", "dt={date}"), "--shards", "2");

        AssertRefused(result, box.Path("out", "dt=" + Date), "is not empty", "my-notes.txt", "--force");
        Assert.That(Directory.Exists(box.Path("out", "dt=2024-01-14")), Is.False, "the first day ran before the refusal");
        box.AssertUntouchedOutside(before);
        box.AssertNoLeftovers();
    }

    [Test]
    public void An_empty_folder_is_accepted()
    {
        using var box = Project("empty");
        Directory.CreateDirectory(box.Path("out", "dt=" + Date));
        var before = box.Snapshot();

        var result = Samples(box, box.Path("proj"), box.Path("out", "dt=" + Date));

        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        AssertIsOutput(box.Path("out", "dt=" + Date));
        box.AssertUntouchedOutside(before, "out/dt=" + Date);
        box.AssertNoLeftovers();
    }

    [Test]
    public void A_previous_output_is_replaced_by_a_rerun()
    {
        using var box = Project("rerun");
        string output = box.Path("out", "dt=" + Date);
        var first = Samples(box, box.Path("proj"), output);
        Assert.That(first.ExitCode, Is.Zero, first.Stderr);

        // A stray file in the previous output shows that the rerun replaced the folder as a whole.
        box.Write("out/dt=" + Date + "/part-99999-stale.tfrecord", "stale");
        var before = box.Snapshot();

        var rerun = Samples(box, box.Path("proj"), output);

        Assert.That(rerun.ExitCode, Is.Zero, rerun.Stderr);
        AssertIsOutput(output);
        Assert.That(File.Exists(System.IO.Path.Combine(output, "part-99999-stale.tfrecord")), Is.False);
        box.AssertUntouchedOutside(before, "out/dt=" + Date);
        box.AssertNoLeftovers();
    }

    [Test]
    public void A_folder_of_success_and_part_files_only_is_accepted()
    {
        // What Spark's committer leaves: _SUCCESS, part files and their hidden checksums.
        using var box = Project("spark-like");
        box.Write("out/_SUCCESS", "");
        box.Write("out/part-00000-1b2c.tfrecord", "x");
        box.Write("out/.part-00000-1b2c.tfrecord.crc", "c");
        var before = box.Snapshot();

        var result = Samples(box, box.Path("proj"), box.Path("out"));

        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        AssertIsOutput(box.Path("out"));
        Assert.That(File.Exists(box.Path("out", "part-00000-1b2c.tfrecord")), Is.False);
        box.AssertUntouchedOutside(before, "out");
        box.AssertNoLeftovers();
    }

    [Test]
    public void A_folder_with_a_manifest_that_is_not_sparktfs_is_not_taken_for_an_output()
    {
        using var box = Project("foreign-manifest");
        box.Write("out/_manifest.json", "{\"name\": \"my web app\", \"version\": \"1.0\"}\n");
        box.Write("out/index.html", "<html></html>\n");
        var before = box.Snapshot();

        var result = Samples(box, box.Path("proj"), box.Path("out"));

        AssertRefused(result, "is not empty", "--force");
        box.AssertUntouchedOutside(before);
        box.AssertNoLeftovers();
    }

    // ---- the lock and the file system ----

    [Test]
    public void A_read_only_parent_is_reported_as_read_only_not_as_a_lock()
    {
        using var box = Project("read-only");
        Directory.CreateDirectory(box.Path("frozen"));
        var before = box.Snapshot();
        using (var frozen = ReadOnlyFolder.Make(box.Path("frozen")))
        {
            var result = Samples(box, box.Path("proj"), box.Path("frozen", "dt=" + Date));

            AssertRefused(result, [box.Path("frozen"), .. frozen.ExpectedWords]);
            Assert.That(result.Stderr, Does.Not.Contain("another run"));
        }

        box.AssertUntouchedOutside(before);
        box.AssertNoLeftovers();
    }

    [Test]
    public void The_lock_names_the_run_that_holds_it()
    {
        using var box = Project("lock");
        string output = box.Path("out", "dt=" + Date);
        var before = box.Snapshot();
        using var first = box.Start(box.Path("proj"), new Dictionary<string, string> { [FaultHost.Faults.PauseAtStep] = "locked:60000" },
            "samples", "--conf", box.Path("proj", "din.yaml"), "--date", Date, "--input", box.Path("logs"), "--output", output, "--shards", "2");
        _ = first.StandardOutput.ReadToEndAsync();
        try
        {
            // The first run says when it holds the lock (the test hook pauses it right after).
            var clock = Stopwatch.StartNew();
            while (first.StandardError.ReadLine() is { } line && !line.Contains("pausing after step locked", StringComparison.Ordinal))
            {
                Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(120)), "the first run never took the lock");
            }

            var second = Samples(box, box.Path("proj"), output);

            string host = File.ReadAllText("/proc/sys/kernel/hostname").Trim();
            AssertRefused(second, "another run is writing", output, $"pid {first.Id} on host {host}", "started 20",
                $"command: {Path.GetFileNameWithoutExtension(Sparktf.FaultHostDll)} samples", "--output " + output);
        }
        finally
        {
            using (var term = Process.Start("kill", ["-TERM", first.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                term.WaitForExit();
            }

            Assert.That(first.WaitForExit(60_000), "the first run did not stop on SIGTERM");
        }

        Assert.That(first.ExitCode, Is.EqualTo(143));
        Assert.That(Directory.Exists(output), Is.False);
        box.AssertUntouchedOutside(before, "out/dt=" + Date);
        box.AssertNoLeftovers();
    }

    [Test]
    public void A_lock_whose_file_names_no_run_says_so()
    {
        // A holder that wrote nothing into the lock file (an older sparktf, say): this test process holds the flock.
        using var box = Project("lock-unnamed");
        string output = box.Path("out", "dt=" + Date);
        Directory.CreateDirectory(box.Path("out"));
        var before = box.Snapshot();
        using (new FileStream(box.Path("out", ".dt=" + Date + ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var result = Samples(box, box.Path("proj"), output);

            AssertRefused(result, "another run is writing", output, "the lock file is empty", ".dt=" + Date + ".lock");
        }

        box.AssertUntouchedOutside(before, "out/dt=" + Date);
        box.AssertNoLeftovers();
    }

    // ---- encode ----

    private Sandbox EncodeProject(string name)
    {
        var box = Project(name);
        box.Write("parquet/samples.parquet", File.ReadAllBytes(_parquet));
        return box;
    }

    private static Sparktf.Result Encode(Sandbox box, string? cwd, string output, params string[] more) =>
        box.Run(cwd, ["encode", "--spec", box.Path("proj", "din.yaml"), "--input", box.Path("parquet"), "--output", output, "--shards", "2", .. more]);

    [Test]
    public void Encode_refuses_the_working_directory()
    {
        using var box = EncodeProject("encode-dot");
        var before = box.Snapshot();

        var result = Encode(box, box.Path("proj"), ".", "--force");

        AssertRefused(result, "is the working directory", ForceNever);
        box.AssertUntouchedOutside(before);
        box.AssertNoLeftovers();
    }

    [Test]
    public void Encode_refuses_its_input_folder_and_a_folder_that_holds_it()
    {
        using var box = EncodeProject("encode-input");
        var before = box.Snapshot();

        var same = Encode(box, box.Path("proj"), box.Path("parquet"), "--force");
        var above = box.Run(box.Path("proj"), "encode", "--spec", box.Path("proj", "din.yaml"), "--input", box.Path("parquet", "samples.parquet"),
            "--output", box.Path("parquet"), "--force");

        AssertRefused(same, "is the input", ForceNever);
        AssertRefused(above, "holds the input", ForceNever);
        box.AssertUntouchedOutside(before);
        box.AssertNoLeftovers();
    }

    [Test]
    public void Encode_refuses_an_unrelated_folder_without_force_and_replaces_it_with_force()
    {
        using var box = EncodeProject("encode-unrelated");
        box.Write("photos/2023/beach.jpg", "jpeg bytes");
        var before = box.Snapshot();

        var refused = Encode(box, box.Path("proj"), box.Path("photos"));

        AssertRefused(refused, "is not empty", "2023", "--force");
        box.AssertUntouchedOutside(before);

        var forced = Encode(box, box.Path("proj"), box.Path("photos"), "--force");

        Assert.That(forced.ExitCode, Is.Zero, forced.Stderr);
        AssertIsOutput(box.Path("photos"));
        box.AssertUntouchedOutside(before, "photos");
        box.AssertNoLeftovers();
    }

    [Test]
    public void Encode_replaces_its_previous_output_and_refuses_a_folder_of_outputs()
    {
        using var box = EncodeProject("encode-rerun");
        var first = Encode(box, box.Path("proj"), box.Path("enc", "dt=" + Date));
        Assert.That(first.ExitCode, Is.Zero, first.Stderr);
        var before = box.Snapshot();

        var rerun = Encode(box, box.Path("proj"), box.Path("enc", "dt=" + Date));
        var parent = Encode(box, box.Path("proj"), box.Path("enc"), "--force");

        Assert.That(rerun.ExitCode, Is.Zero, rerun.Stderr);
        AssertIsOutput(box.Path("enc", "dt=" + Date));
        AssertRefused(parent, "holds other outputs", "dt=" + Date, ForceNever);
        box.AssertUntouchedOutside(before, "enc/dt=" + Date);
        box.AssertNoLeftovers();
    }

    // ---- write (a file output) ----

    private const string Line = "{\"a\":{\"int64\":[1]}}\n";

    [Test]
    public void Write_refuses_to_write_over_its_input()
    {
        using var box = Sandbox.Create("write-input");
        string input = box.Write("data.jsonl", Line);
        var before = box.Snapshot();

        var result = box.Run(null, "write", "--input", input, "--output", input, "--force");

        AssertRefusedWrite(result, "is the input", ForceNever);
        box.AssertUntouchedOutside(before);
        box.AssertNoLeftovers();
    }

    [Test]
    public void Write_refuses_a_file_that_is_not_tfrecord_without_force_and_replaces_it_with_force()
    {
        using var box = Sandbox.Create("write-other");
        string input = box.Write("data.jsonl", Line);
        box.Write("report.csv", "a,b\n1,2\n");
        var before = box.Snapshot();

        var refused = box.Run(null, "write", "--input", input, "--output", "report.csv");

        AssertRefusedWrite(refused, box.Path("report.csv"), "not a TFRecord file", "--force");
        box.AssertUntouchedOutside(before);

        var forced = box.Run(null, "write", "--input", input, "--output", "report.csv", "--force");

        Assert.That(forced.ExitCode, Is.Zero, forced.Stderr);
        Assert.That(Sparktf.Run("count", box.Path("report.csv")).Stdout.Trim(), Is.EqualTo("1"));
        box.AssertUntouchedOutside(before, "report.csv");
        box.AssertNoLeftovers();
    }

    [Test]
    public void Write_replaces_a_tfrecord_file_and_refuses_a_folder()
    {
        using var box = Sandbox.Create("write-rerun");
        string input = box.Write("data.jsonl", Line + Line);
        var first = box.Run(null, "write", "--input", input, "--output", "out.tfrecord");
        Assert.That(first.ExitCode, Is.Zero, first.Stderr);
        Directory.CreateDirectory(box.Path("folder"));
        box.Write("folder/keep.txt", "keep");
        var before = box.Snapshot();

        var rerun = box.Run(null, "write", "--input", input, "--output", "out.tfrecord", "--compression", "gzip");
        var folder = box.Run(null, "write", "--input", input, "--output", "folder", "--force");

        Assert.That(rerun.ExitCode, Is.Zero, rerun.Stderr);
        Assert.That(Sparktf.Run("count", box.Path("out.tfrecord")).Stdout.Trim(), Is.EqualTo("2"));
        Assert.That(folder.ExitCode, Is.EqualTo(2), folder.Stderr); // a folder is a usage mistake, --force or not
        Assert.That(folder.Stderr, Does.Contain("is a folder").And.Contain("name the TFRecord file"));
        Assert.That(File.ReadAllText(box.Path("folder", "keep.txt")), Is.EqualTo("keep"));
        box.AssertUntouchedOutside(before, "out.tfrecord");
        box.AssertNoLeftovers();
    }

    private static void AssertRefusedWrite(Sparktf.Result result, params string[] words)
    {
        Assert.That(result.ExitCode, Is.EqualTo(1), result.Stderr);
        foreach (string word in words)
        {
            Assert.That(result.Stderr, Does.Contain(word));
        }

        Assert.That(result.Stderr, Does.Not.Contain("   at "), "a stack trace reached the user");
    }

    /// <summary>
    /// A folder nobody may write, as root too: a read-only bind mount (the real EROFS), else <c>chattr +i</c>; as
    /// another user, <c>chmod 555</c>. Undone on dispose.
    /// </summary>
    private sealed class ReadOnlyFolder : IDisposable
    {
        private readonly Action _undo;

        private ReadOnlyFolder(string[] words, Action undo)
        {
            ExpectedWords = words;
            _undo = undo;
        }

        public string[] ExpectedWords { get; }

        public static ReadOnlyFolder Make(string folder)
        {
            if (Shell("id", "-u").Output.Trim() != "0")
            {
                Chmod(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
                return new ReadOnlyFolder(["permission denied"], () => Chmod(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
            }

            if (Shell("mount", "--bind", "-o", "ro", folder, folder).Code == 0)
            {
                return new ReadOnlyFolder(["read-only file system"], () => Shell("umount", folder));
            }

            if (Shell("chattr", "+i", folder).Code == 0)
            {
                return new ReadOnlyFolder(["permission denied"], () => Shell("chattr", "-i", folder));
            }

            throw Prerequisite.Missing("running as root, and neither a read-only bind mount nor chattr +i could make a folder read-only here");
        }

        public void Dispose() => _undo();

        private static void Chmod(string folder, UnixFileMode mode)
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(folder, mode);
            }
        }

        private static (int Code, string Output) Shell(string program, params string[] args)
        {
            try
            {
                var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                foreach (string a in args)
                {
                    start.ArgumentList.Add(a);
                }

                using var p = Process.Start(start)!;
                string output = p.StandardOutput.ReadToEnd();
                p.StandardError.ReadToEnd();
                p.WaitForExit();
                return (p.ExitCode, output);
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return (-1, "");
            }
        }
    }
}
