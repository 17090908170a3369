using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace SparkTfrecord.Jobs.Tests.Hostile;

/// <summary>
/// Spill folders (DuckDB's temporary files) never outlive a run: removed on every exit path, and those of killed runs
/// removed by the next run; and a signal at any moment, also just after the write phase, stops a run with 143 / 130.
/// </summary>
[TestFixture]
[Category("Process")]
[NonParallelizable]
internal sealed class SpillAndSignalsTests
{
    private const string Date = "2024-01-15";
    private const string Output = "out/dt=2024-01-15";
    private string _generated = "";

    private static string Spec => Path.Combine(Sparktf.RepoRoot, "conf", "din.yaml");

    [OneTimeSetUp]
    public void GenerateLogs()
    {
        _generated = Directory.CreateTempSubdirectory("sparktf-spill-logs-").FullName;
        var result = Sparktf.Run("gen-logs", "--output", Path.Combine(_generated, "logs"), "--date", Date, "--impressions-per-day", "2000", "--users", "500",
            "--items", "300", "--seed", "3", "--impression-days", "2");
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
    }

    [OneTimeTearDown]
    public void RemoveLogs() => Directory.Delete(_generated, recursive: true);

    [Test]
    public void Spill_folders_of_dead_or_foreign_processes_are_removed_by_the_next_run_and_a_live_runs_is_kept()
    {
        using var sandbox = WithLogs("stale-spill");
        int dead = DeadPid();
        using var foreign = Process.Start("sleep", "60")!; // alive, but not a sparktf run
        string deadSpill = Spill(sandbox.Temp, dead);
        string foreignSpill = Spill(sandbox.Temp, foreign.Id);
        string liveSpill = Spill(sandbox.Temp, Environment.ProcessId); // this test's own .NET process: a live run
        string notOurs = Path.Combine(sandbox.Temp, "sparktf-spillover");
        Directory.CreateDirectory(notOurs);

        var result = sandbox.Run(null, Samples("--shards", "2"));

        foreign.Kill();
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        Assert.Multiple(() =>
        {
            Assert.That(Directory.Exists(deadSpill), Is.False, "the spill folder of a dead process is removed");
            Assert.That(Directory.Exists(foreignSpill), Is.False, "the spill folder of a live process that is not a sparktf run is removed");
            Assert.That(Directory.Exists(liveSpill), Is.True, "a live run's spill folder is left alone");
            Assert.That(Directory.Exists(notOurs), Is.True, "a folder not named by sparktf is left alone");
        });
        Directory.Delete(liveSpill, recursive: true);
        sandbox.AssertNoLeftovers();
    }

    [Test]
    public void With_spill_dir_the_run_spills_in_its_own_subfolder_removes_it_and_sweeps_stale_ones_there()
    {
        using var sandbox = WithLogs("spill-dir");
        sandbox.Write("spill/notes.txt", "the user's file in the folder they named");
        var before = sandbox.Snapshot();
        string stale = Spill(sandbox.Path("spill"), DeadPid());

        // A low memory limit and one thread, so DuckDB has reason to spill into its folder while it runs.
        var result = sandbox.Run(null, Samples("--shards", "2", "--spill-dir", "spill", "--memory-limit", "60MB", "--threads", "1"));

        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        Assert.That(Directory.Exists(stale), Is.False, "a stale spill folder in --spill-dir is removed");
        Assert.That(Directory.Exists(sandbox.Path("spill")), Is.True, "the folder the user named stays");
        sandbox.AssertUntouchedOutside(before, Output);
        sandbox.AssertNoLeftovers();
    }

    [TestCase("oom")]
    [TestCase("bad-rows")]
    public void A_failed_run_removes_its_spill_folder(string failure)
    {
        using var sandbox = WithLogs("failed-spill");
        string[] args = failure == "oom"
            ? Samples("--spill-dir", "spill", "--memory-limit", "20MB", "--threads", "2")
            : Samples("--spill-dir", "spill", "--input", "bad-logs");
        if (failure == "bad-rows")
        {
            var bad = sandbox.Run(null, "gen-logs", "--output", "bad-logs", "--date", Date, "--impressions-per-day", "500", "--users", "100", "--items", "50",
                "--impression-days", "1", "--bad-rows", "0.5");
            Assert.That(bad.ExitCode, Is.Zero, bad.Stderr);
        }

        var before = sandbox.Snapshot();

        var result = sandbox.Run(null, args);

        CrashTests.AssertMessage(result, 1, failure == "oom" ? "out of memory" : "input rows are bad");
        Assert.That(Directory.EnumerateDirectories(sandbox.Path("spill"), "sparktf-spill-*"), Is.Empty);
        sandbox.AssertUntouchedOutside(before, Output);
        sandbox.AssertNoLeftovers();
    }

    [TestCase("SIGTERM", 143)]
    [TestCase("SIGINT", 130)]
    public void A_signal_just_after_the_write_phase_stops_the_run_with_its_exit_code(string signal, int exitCode)
    {
        // The run pauses after the parts are written, the signal comes, and the run goes on into the audit and the
        // manifest (":continue"), as one whose signal arrived a moment after the write would: the engine must stop it.
        using var sandbox = WithLogs("signal-after-write");
        Assert.That(sandbox.Run(null, Samples("--shards", "2")).ExitCode, Is.Zero);
        var previous = sandbox.Snapshot();

        using var run = Child.Start(sandbox, Samples("--shards", "2", "--audit"), (FaultHost.Faults.PauseAtStep, "parts-written:20000:continue"));
        run.WaitFor("pausing after step parts-written");
        Signal(run.Process.Id, signal);
        var result = run.Finish(TimeSpan.FromSeconds(20));

        CrashTests.AssertMessage(result, exitCode, "stopped by " + (signal == "SIGTERM" ? "SIGTERM" : "Ctrl-C"), "is as it was");
        sandbox.AssertUntouchedOutside(previous);
        sandbox.AssertNoLeftovers();
    }

    [Test]
    public void A_SIGTERM_at_any_moment_after_the_write_phase_exits_143()
    {
        // The tester's case: SIGTERM right after the write phase (2 of 15 tries crashed on DuckDB's interrupt error).
        // Each try signals at a different moment from "write: done" on, through the audit, manifest and commit.
        using var sandbox = WithLogs("sigterm-after-write");
        int signalled = 0;
        for (int i = 0; i < 6; i++)
        {
            using var run = Child.Start(sandbox, Samples("--shards", "2", "--audit"));
            run.WaitFor("write: done");
            Thread.Sleep(i * 10); // the phase after the write lasts tens of milliseconds: the tries must land inside it
            bool delivered = TrySignal(run.Process.Id, "SIGTERM");
            var result = run.Finish(TimeSpan.FromSeconds(20));

            string output = sandbox.Path(Output);
            if (delivered && result.ExitCode != 0)
            {
                signalled++;
                CrashTests.AssertMessage(result, 143, "stopped by SIGTERM");
            }
            else
            {
                // The run had already ended (or was ending, its handlers gone): it must have ended well.
                Assert.That(result.ExitCode, Is.Zero, result.Stderr);
                Assert.That(result.Stderr, Does.Contain("commit: done"));
            }

            Assert.That(!Directory.Exists(output) || File.Exists(Path.Combine(output, "_SUCCESS")), Is.True, $"try {i}: no partial output");
            sandbox.AssertNoLeftovers();
        }

        Assert.That(signalled, Is.GreaterThanOrEqualTo(3), "most signals reached a running process");
    }

    private static bool TrySignal(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-s", signal.Replace("SIG", "", StringComparison.Ordinal), pid.ToString(CultureInfo.InvariantCulture)]) { RedirectStandardError = true })!;
        kill.StandardError.ReadToEnd();
        kill.WaitForExit();
        return kill.ExitCode == 0;
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-s", signal.Replace("SIG", "", StringComparison.Ordinal), pid.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.That(kill.ExitCode, Is.Zero, "kill");
    }

    private static string Spill(string parent, int pid)
    {
        string folder = Path.Combine(parent, $"sparktf-spill-{pid}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "duckdb_temp_storage-0.tmp"), new byte[4096]);
        return folder;
    }

    // The pid of a process that has ended (pids are reused only after the kernel wraps around).
    private static int DeadPid()
    {
        using var process = Process.Start("true")!;
        process.WaitForExit();
        return process.Id;
    }

    private Sandbox WithLogs(string name)
    {
        var sandbox = Sandbox.Create(name);
        sandbox.CopyFolder(Path.Combine(_generated, "logs"), "logs");
        return sandbox;
    }

    private static string[] Samples(params string[] more)
    {
        var args = new List<string> { "samples", "--conf", Spec, "--date", Date, "--input", "logs", "--output", Output };
        int input = Array.IndexOf(more, "--input");
        if (input >= 0)
        {
            args[6] = more[input + 1];
            more = [.. more.Take(input), .. more.Skip(input + 2)];
        }

        args.AddRange(more);
        return [.. args];
    }

    /// <summary>A sparktf run the test talks to while it runs: its stderr is read line by line.</summary>
    internal sealed class Child : IDisposable
    {
        private readonly StringBuilder _stderr = new();
        private readonly Task<string> _stdout;
        private readonly Task _reader;
        private string? _awaited;
        private readonly ManualResetEventSlim _seen = new();

        private Child(Process process)
        {
            Process = process;
            _stdout = process.StandardOutput.ReadToEndAsync();
            _reader = Task.Run(() =>
            {
                while (process.StandardError.ReadLine() is { } line)
                {
                    lock (_stderr)
                    {
                        _stderr.AppendLine(line);
                        if (_awaited is not null && line.Contains(_awaited, StringComparison.Ordinal))
                        {
                            _seen.Set();
                        }
                    }
                }

                _seen.Set();
            });
        }

        public Process Process { get; }

        public static Child Start(Sandbox sandbox, string[] args, params (string Name, string Value)[] environment)
        {
            // Through env --default-signal: a test run whose parent ignores SIGINT would pass the ignore on.
            var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = sandbox.Root };
            start.ArgumentList.Add("--default-signal=INT,TERM");
            start.ArgumentList.Add("dotnet");
            start.ArgumentList.Add("exec");
            start.ArgumentList.Add(Sparktf.DllFor(environment.Select(e => e.Name)));
            foreach (string arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["TMPDIR"] = sandbox.Temp;
            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }

            return new Child(Process.Start(start)!);
        }

        public void WaitFor(string text)
        {
            lock (_stderr)
            {
                _awaited = text;
                if (_stderr.ToString().Contains(text, StringComparison.Ordinal))
                {
                    return;
                }
            }

            Assert.That(_seen.Wait(TimeSpan.FromSeconds(120)), Is.True, $"timed out waiting for '{text}'");
            lock (_stderr)
            {
                Assert.That(_stderr.ToString(), Does.Contain(text), "the run ended before: " + _stderr);
            }
        }

        public Sparktf.Result Finish(TimeSpan timeout)
        {
            Assert.That(Process.WaitForExit(timeout), Is.True, $"the run stops within {timeout.TotalSeconds} s");
            _reader.Wait();
            string stdout = _stdout.Result;
            return new Sparktf.Result(Process.ExitCode, stdout, _stderr.ToString(), Encoding.UTF8.GetBytes(stdout));
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill();
                Process.WaitForExit();
            }

            Process.Dispose();
            _seen.Dispose();
        }
    }
}
