using System.Diagnostics;
using static SparkTfrecord.Jobs.Tests.SamplesRuns;

namespace SparkTfrecord.Jobs.Tests;

/// <summary>
/// sparktf samples as a scheduler runs it, where only a process shows the behaviour: the commit protocol under SIGKILL
/// at every step and at random moments, the lock against a concurrent run, SIGTERM and Ctrl-C. What these runs leave is
/// checked, and the setup runs, in process (<see cref="SamplesCommandFastTests"/> has the rest of samples).
/// </summary>
[TestFixture]
[Category("Process")]
[NonParallelizable]
public sealed class SamplesCommandTests
{
    private static readonly string[] s_steps = ["locked", "work-created", "parts-written", "manifest-written", "success-written", "swapped", "old-removed"];
    private LogsFolder _folder = null!;

    [OneTimeSetUp]
    public void GenerateLogs()
    {
        _folder = new LogsFolder("sparktf-samples-");
    }

    [OneTimeTearDown]
    public void RemoveLogs() => _folder.Dispose();

    private string Out(string name) => _folder.Out(name);

    private string[] SamplesArgs(string output, params string[] more) => _folder.SamplesArgs(output, more);

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
                    Assert.That(InProcess.Run(Args(_folder.Logs, output, 2)).ExitCode, Is.Zero);
                }

                var killed = RunWithEnvironment(SamplesArgs(output), (FaultHost.Faults.KillAtStep, step));

                Assert.That(killed.ExitCode, Is.EqualTo(137), $"{step}: {killed.Stderr}");
                AssertNoPartialOutput(output, $"killed after {step} (previous output: {previous})");
                var rerun = InProcess.Run(SamplesArgs(output));
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
        string logs = Path.Combine(_folder.Root, "bigger-logs");
        var generated = InProcess.Run("gen-logs", "--output", logs, "--date", Date, "--impressions-per-day", "150000", "--users", "20000", "--items", "10000", "--impression-days", "1");
        Assert.That(generated.ExitCode, Is.Zero, generated.Stderr);
        string output = Out("random-kill");
        Assert.That(InProcess.Run(Args(logs, output, 3)).ExitCode, Is.Zero);
        var random = new Random(42);
        for (int i = 0; i < 4; i++)
        {
            using var process = Start(Args(logs, output, 4, "--compression", "gzip"));
            Thread.Sleep(random.Next(300, 4000));
            process.Kill(); // SIGKILL
            process.WaitForExit();
            AssertNoPartialOutput(output, $"killed at a random moment (try {i})");
        }

        Assert.That(InProcess.Run(Args(logs, output, 4)).ExitCode, Is.Zero);
        AssertComplete(output, shards: 4);
    }

    [Test]
    public void A_second_run_on_the_same_output_is_refused_at_once()
    {
        string output = Out("concurrent");
        using var first = Start(SamplesArgs(output), (FaultHost.Faults.PauseAtStep, "work-created:8000"));
        WaitForLine(first, "pausing");

        var clock = Stopwatch.StartNew();
        var second = InProcess.Run(SamplesArgs(output));

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
        Assert.That(InProcess.Run(Args(_folder.Logs, output, 2)).ExitCode, Is.Zero);
        byte[] manifest = File.ReadAllBytes(Path.Combine(output, "_manifest.json"));
        using var process = Start(SamplesArgs(output), (FaultHost.Faults.PauseAtStep, "parts-written:20000"));
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
    public void SPARKTF_TRACE_SQL_prints_each_statements_time_and_changes_nothing_written()
    {
        string traced = Out("traced");
        string plain = Out("untraced");
        var run = RunWithEnvironment(SamplesArgs(traced), ("SPARKTF_TRACE_SQL", "1"));
        Assert.That(run.ExitCode, Is.Zero, run.Stderr);
        var untraced = RunWithEnvironment(SamplesArgs(plain));
        Assert.That(untraced.ExitCode, Is.Zero, untraced.Stderr);

        // One line per statement: wall and CPU seconds, then the statement's first line.
        var lines = run.Stderr.Split('\n').Where(l => l.StartsWith("[sql]", StringComparison.Ordinal)).ToList();
        Assert.That(lines, Has.Some.Matches(@"^\[sql\] +\d+\.\d\d s wall +\d+\.\d\d s cpu  CREATE OR REPLACE TEMP TABLE ""samples"" AS$"));
        Assert.That(lines, Has.Some.Matches(@"^\[sql\] +\d+\.\d\d s wall +\d+\.\d\d s cpu  SELECT "));
        Assert.That(untraced.Stderr, Does.Not.Contain("[sql]"), "off unless asked for");

        var parts = Directory.GetFiles(traced, "part-*").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.That(parts, Is.Not.Empty);
        Assert.That(Directory.GetFiles(plain, "part-*").Select(Path.GetFileName).Order(StringComparer.Ordinal), Is.EqualTo(parts));
        foreach (string part in parts!)
        {
            Assert.That(File.ReadAllBytes(Path.Combine(traced, part!)), Is.EqualTo(File.ReadAllBytes(Path.Combine(plain, part!))), part);
        }
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
        start.ArgumentList.Add(Sparktf.DllFor(environment.Select(e => e.Name)));
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
