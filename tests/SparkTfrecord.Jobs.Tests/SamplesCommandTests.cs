using System.Globalization;
using System.Diagnostics;
using System.Text.Json;

namespace SparkTfrecord.Jobs.Tests;

/// <summary>
/// sparktf gen-logs and samples end to end, as a scheduler runs them: the output layout, the summary, byte-identical
/// reruns, the commit protocol under SIGKILL at every step and at random moments, the lock, SIGTERM and Ctrl-C.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SamplesCommandTests
{
    private const string Date = "2024-01-15";
    private static readonly string[] s_steps = ["locked", "work-created", "parts-written", "manifest-written", "success-written", "swapped", "old-removed"];
    private string _root = null!;
    private string _logs = null!;

    private static string Spec => Path.Combine(Sparktf.RepoRoot, "conf", "din.yaml");

    [OneTimeSetUp]
    public void GenerateLogs()
    {
        _root = Directory.CreateTempSubdirectory("sparktf-samples-").FullName;
        _logs = Path.Combine(_root, "logs");
        var result = Sparktf.Run("gen-logs", "--output", _logs, "--date", Date, "--impressions-per-day", "8000", "--users", "2000", "--items", "1000", "--seed", "3", "--impression-days", "2");
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
    }

    [OneTimeTearDown]
    public void RemoveLogs() => Directory.Delete(_root, recursive: true);

    private string Out(string name) => Path.Combine(_root, "out", name, "dt=" + Date);

    private string[] SamplesArgs(string output, params string[] more) => SamplesArgs(_logs, output, 4, more);

    private static string[] SamplesArgs(string logs, string output, int shards, params string[] more) =>
        ["samples", "--conf", Spec, "--date", Date, "--input", logs, "--output", output, "--shards", shards.ToString(System.Globalization.CultureInfo.InvariantCulture), .. more];

    [Test]
    public void Samples_writes_parts_manifest_success_and_a_json_summary()
    {
        string output = Out("layout");

        var result = Sparktf.Run(SamplesArgs(output));

        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        var names = Directory.GetFileSystemEntries(output).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.That(names, Is.EqualTo(new[] { "_SUCCESS", "_manifest.json", "part-00000-of-00004.tfrecord.gz", "part-00001-of-00004.tfrecord.gz", "part-00002-of-00004.tfrecord.gz", "part-00003-of-00004.tfrecord.gz" }));
        using var summary = JsonDocument.Parse(result.Stdout);
        long written = summary.RootElement.GetProperty("samples_written").GetInt64();
        Assert.That(summary.RootElement.GetProperty("version").GetInt32(), Is.EqualTo(1));
        Assert.That(written, Is.GreaterThan(7_000));
        Assert.That(summary.RootElement.GetProperty("positives").GetInt64(), Is.InRange(written / 100, written / 10));
        Assert.That(summary.RootElement.GetProperty("dropped").GetProperty("duplicate_impressions").GetInt64(), Is.GreaterThan(0));
        Assert.That(summary.RootElement.GetProperty("missing_profiles").GetProperty("users").GetInt64(), Is.GreaterThan(0));

        var count = Sparktf.Run("count", output);
        Assert.That(count.Stdout.Trim(), Is.EqualTo(written.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "_manifest.json")));
        Assert.That(manifest.RootElement.GetProperty("records").GetInt64(), Is.EqualTo(written));
        Assert.That(manifest.RootElement.GetProperty("spec").GetProperty("hash").GetString(), Does.Match("^[0-9a-f]{64}$"));
        Assert.That(manifest.RootElement.GetProperty("shards").EnumerateArray().Sum(s => s.GetProperty("records").GetInt64()), Is.EqualTo(written));
        Assert.That(result.Stderr, Does.Contain("write"), "progress is shown on stderr");
    }

    [Test]
    public void The_output_passes_validate_against_the_spec()
    {
        string output = Out("validate");
        Assert.That(Sparktf.Run(SamplesArgs(output)).ExitCode, Is.Zero);

        var result = Sparktf.Run("validate", "--spec", Spec, output);

        Assert.That(result.ExitCode, Is.Zero, result.Stdout + result.Stderr);
    }

    [Test]
    public void The_training_sides_check_manifest_accepts_the_manifest()
    {
        string module = Path.Combine(Sparktf.RepoRoot, "lib", "python");
        Prerequisite.RequireDebianPython("apt-get install -y python3 python3-yaml", "yaml");

        string output = Out("python");
        Assert.That(Sparktf.Run(SamplesArgs(output)).ExitCode, Is.Zero);
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import sys; sys.path.insert(0, sys.argv[1]); import sparktfrecord_spec as s; print(s.check_manifest(sys.argv[2], sys.argv[3]))");
        start.ArgumentList.Add(module);
        start.ArgumentList.Add(output);
        start.ArgumentList.Add(Spec);
        using var python = Process.Start(start)!;
        string stdout = python.StandardOutput.ReadToEnd();
        string stderr = python.StandardError.ReadToEnd();
        python.WaitForExit();

        Assert.That(python.ExitCode, Is.Zero, stderr);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "_manifest.json")));
        Assert.That(stdout.Trim(), Is.EqualTo(manifest.RootElement.GetProperty("spec_hash").GetString()));
    }

    [Test]
    public void A_date_range_writes_one_output_per_day_and_audit_parquet_on_request()
    {
        string template = Path.Combine(_root, "out", "backfill", "dt={date}");

        var result = Sparktf.Run("samples", "--conf", Spec, "--date", "2024-01-14..2024-01-15", "--input", _logs, "--output", template, "--shards", "2", "--audit");

        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        using var summaries = JsonDocument.Parse(result.Stdout);
        Assert.That(summaries.RootElement.GetArrayLength(), Is.EqualTo(2));
        foreach (string day in new[] { "2024-01-14", "2024-01-15" })
        {
            string output = template.Replace("{date}", day, StringComparison.Ordinal);
            AssertComplete(output, shards: 2);
            Assert.That(new FileInfo(Path.Combine(output, "_audit", "samples.parquet")).Length, Is.GreaterThan(0));
        }

        var refused = Sparktf.Run("samples", "--conf", Spec, "--date", "2024-01-14..2024-01-15", "--input", _logs, "--output", Out("no-template"));
        Assert.That(refused.ExitCode, Is.EqualTo(2));
        Assert.That(refused.Stderr, Does.Contain("{date}"));
    }

    [Test]
    public void Two_runs_give_byte_identical_files()
    {
        string first = Out("same-1");
        string second = Out("same-2");

        Assert.That(Sparktf.Run(SamplesArgs(first)).ExitCode, Is.Zero);
        Assert.That(Sparktf.Run(SamplesArgs(second, "--threads", "1")).ExitCode, Is.Zero);

        foreach (string file in Directory.GetFiles(first).Select(f => Path.GetFileName(f)).Where(n => n.StartsWith("part-", StringComparison.Ordinal) || n == "_manifest.json"))
        {
            Assert.That(File.ReadAllBytes(Path.Combine(second, file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(first, file))), file);
        }
    }

    [Test]
    public void A_run_killed_at_any_commit_step_leaves_no_partial_output_and_the_rerun_completes()
    {
        foreach (bool previous in new[] { false, true })
        {
            foreach (string step in s_steps)
            {
                string output = Out($"kill-{previous}-{step}");
                if (previous)
                {
                    Assert.That(Sparktf.Run(SamplesArgs(_logs, output, 2)).ExitCode, Is.Zero);
                }

                var killed = RunWithEnvironment(SamplesArgs(output), ("SPARKTF_TEST_KILL_AT_STEP", step));

                Assert.That(killed.ExitCode, Is.EqualTo(137), $"{step}: {killed.Stderr}");
                AssertNoPartialOutput(output, $"killed after {step} (previous output: {previous})");
                var rerun = Sparktf.Run(SamplesArgs(output));
                Assert.That(rerun.ExitCode, Is.Zero, rerun.Stderr);
                AssertComplete(output, shards: 4);
                Assert.That(Directory.GetFileSystemEntries(Path.GetDirectoryName(output)!, ".dt=*.tmp-*"), Is.Empty, "the rerun removes what the killed run left");
            }
        }
    }

    [Test]
    public void A_run_killed_at_random_moments_leaves_no_partial_output()
    {
        // Logs that take a few seconds, so that kills land in the join, the writing and the commit.
        string logs = Path.Combine(_root, "bigger-logs");
        var generated = Sparktf.Run("gen-logs", "--output", logs, "--date", Date, "--impressions-per-day", "150000", "--users", "20000", "--items", "10000", "--impression-days", "1");
        Assert.That(generated.ExitCode, Is.Zero, generated.Stderr);
        string output = Out("random-kill");
        Assert.That(Sparktf.Run(SamplesArgs(logs, output, 3)).ExitCode, Is.Zero);
        var random = new Random(42);
        for (int i = 0; i < 4; i++)
        {
            using var process = Start(SamplesArgs(logs, output, 4, "--compression", "gzip"));
            Thread.Sleep(random.Next(300, 4000));
            process.Kill(); // SIGKILL
            process.WaitForExit();
            AssertNoPartialOutput(output, $"killed at a random moment (try {i})");
        }

        Assert.That(Sparktf.Run(SamplesArgs(logs, output, 4)).ExitCode, Is.Zero);
        AssertComplete(output, shards: 4);
    }

    [Test]
    public void A_second_run_on_the_same_output_is_refused_at_once()
    {
        string output = Out("concurrent");
        using var first = Start(SamplesArgs(output), ("SPARKTF_TEST_PAUSE_AT_STEP", "work-created:8000"));
        WaitForLine(first, "pausing");

        var clock = Stopwatch.StartNew();
        var second = Sparktf.Run(SamplesArgs(output));

        Assert.That(second.ExitCode, Is.EqualTo(1));
        Assert.That(second.Stderr, Does.Contain("another run is writing").And.Contain(output));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        first.WaitForExit();
        Assert.That(first.ExitCode, Is.Zero);
        AssertComplete(output, shards: 4);
    }

    [TestCase("SIGTERM", 143)]
    [TestCase("SIGINT", 130)]
    public void A_signal_stops_the_run_promptly_removes_temporary_files_and_keeps_the_previous_output(string signal, int exitCode)
    {
        string output = Out("signal-" + signal);
        Assert.That(Sparktf.Run(SamplesArgs(_logs, output, 2)).ExitCode, Is.Zero);
        byte[] manifest = File.ReadAllBytes(Path.Combine(output, "_manifest.json"));
        using var process = Start(SamplesArgs(output), ("SPARKTF_TEST_PAUSE_AT_STEP", "parts-written:20000"));
        WaitForLine(process, "pausing");

        var clock = Stopwatch.StartNew();
        Assert.That(Kill(process.Id, signal), Is.Zero);
        Assert.That(process.WaitForExit(5000), Is.True, "the run stops within 5 s");

        Assert.That(process.ExitCode, Is.EqualTo(exitCode));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(File.ReadAllBytes(Path.Combine(output, "_manifest.json")), Is.EqualTo(manifest), "the previous output is untouched");
        Assert.That(Directory.GetFileSystemEntries(Path.GetDirectoryName(output)!, ".dt=*.tmp-*"), Is.Empty);
    }

    [Test]
    public void No_clobber_refuses_an_existing_output()
    {
        string output = Out("no-clobber");
        Assert.That(Sparktf.Run(SamplesArgs(output)).ExitCode, Is.Zero);

        var result = Sparktf.Run(SamplesArgs(output, "--no-clobber"));

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Stderr, Does.Contain("--no-clobber"));
    }

    [Test]
    public void Plan_prints_the_sql_without_running_it()
    {
        var result = Sparktf.Run("plan", "--conf", Spec, "--date", Date, "--input", _logs);

        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        Assert.That(result.Stdout, Does.Contain("CREATE OR REPLACE TEMP TABLE \"labels\"")
            .And.Contain("CREATE OR REPLACE TEMP TABLE \"hist_events_0\"")
            .And.Contain("CREATE OR REPLACE TEMP TABLE \"samples\"")
            .And.Contain("read_parquet"));
        Assert.That(result.Stdout, Does.Contain((15L * 86_400 * 1_000_000).ToString(CultureInfo.InvariantCulture)),
            "the 15-day history window, in microseconds, appears in the rendered SQL");
    }

    [Test]
    public void A_bad_job_section_is_reported_with_file_line_and_column()
    {
        string spec = Path.Combine(_root, "bad.yaml");
        File.WriteAllText(spec, File.ReadAllText(Spec).Replace("within: 30m", "within: soon", StringComparison.Ordinal));

        var result = Sparktf.Run("samples", "--conf", spec, "--date", Date, "--input", _logs, "--output", Out("bad"));

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Stderr, Does.Match(@"bad\.yaml:\d+:\d+: within 'soon' is not a duration"));
    }

    private static void AssertNoPartialOutput(string output, string what)
    {
        // A reader takes the output folder when it has _SUCCESS; it must then be complete. Hidden folders are not data.
        if (Directory.Exists(output))
        {
            Assert.That(File.Exists(Path.Combine(output, "_SUCCESS")), Is.True, $"{what}: the output folder exists without _SUCCESS");
            AssertComplete(output, shards: null);
        }
    }

    private static void AssertComplete(string output, int? shards)
    {
        Assert.That(File.Exists(Path.Combine(output, "_SUCCESS")), Is.True);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "_manifest.json")));
        var parts = manifest.RootElement.GetProperty("shards").EnumerateArray().ToList();
        if (shards is not null)
        {
            Assert.That(parts, Has.Count.EqualTo(shards));
        }

        Assert.That(Directory.GetFiles(output, "part-*").Select(Path.GetFileName), Is.EquivalentTo(parts.Select(p => p.GetProperty("file").GetString())));
        var count = Sparktf.Run("count", output);
        Assert.That(count.ExitCode, Is.Zero, count.Stderr);
        Assert.That(long.Parse(count.Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(manifest.RootElement.GetProperty("records").GetInt64()));
    }

    private static Sparktf.Result RunWithEnvironment(string[] args, params (string Name, string Value)[] environment)
    {
        using var process = Start(args, environment);
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return new Sparktf.Result(process.ExitCode, stdout, stderr, []);
    }

    private static Process Start(string[] args, params (string Name, string Value)[] environment)
    {
        // Through env --default-signal: a test run whose parent ignores SIGINT (a CI script run in the background)
        // would pass the ignore on, and a process started with SIGINT ignored rightly keeps ignoring it.
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--default-signal=INT,TERM");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Sparktf.Dll);
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return Process.Start(start)!;
    }

    private static void WaitForLine(Process process, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (process.StandardError.ReadLine() is { } line)
        {
            if (line.Contains(text, StringComparison.Ordinal))
            {
                // Keep draining stderr so the child never blocks on a full pipe.
                _ = process.StandardError.ReadToEndAsync();
                _ = process.StandardOutput.ReadToEndAsync();
                return;
            }

            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "timed out waiting for " + text);
        }

        Assert.Fail($"the process ended (exit {process.ExitCode}) before printing '{text}'");
    }

    private static int Kill(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-s", signal.Replace("SIG", "", StringComparison.Ordinal), pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        return kill.ExitCode;
    }
}
