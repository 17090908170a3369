using System.Text;
using SparkTfrecord.Tfrecord.Example;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Jobs.Tests.Hostile;

/// <summary>
/// Inputs that once ended sparktf with a .NET stack trace (exit 134): each now ends with a message saying what and
/// what to do, exit 1 (input, I/O) or 2 (usage), no stack trace, no user file changed and nothing left behind.
/// </summary>
[TestFixture]
[Category("Process")]
[NonParallelizable]
internal sealed class CrashTests
{
    private const string Date = "2024-01-15";
    private string _generated = "";

    private static string Spec => Path.Combine(Sparktf.RepoRoot, "conf", "din.yaml");

    [OneTimeSetUp]
    public void GenerateLogs()
    {
        _generated = Directory.CreateTempSubdirectory("sparktf-crash-logs-").FullName;
        var result = Sparktf.Run("gen-logs", "--output", Path.Combine(_generated, "logs"), "--date", Date, "--impressions-per-day", "2000", "--users", "500",
            "--items", "300", "--seed", "3", "--impression-days", "2");
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
    }

    [OneTimeTearDown]
    public void RemoveLogs() => Directory.Delete(_generated, recursive: true);

    [TestCase("9999-12-30")]
    [TestCase("9999-12-31")]
    [TestCase("0001-01-01")]
    [TestCase("1900-01-05")] // inside the range, but its 16 days of logs start before it
    public void Gen_logs_near_the_ends_of_the_calendar_is_a_usage_error_naming_the_supported_range(string date)
    {
        using var sandbox = Sandbox.Create("gen-logs-date");
        var before = sandbox.Snapshot();

        var result = sandbox.Run(null, "gen-logs", "--output", "logs", "--date", date);

        AssertMessage(result, 2, "1900-01-01", "9000-12-31");
        Assert.That(Directory.Exists(sandbox.Path("logs")), Is.False, "nothing is generated");
        sandbox.AssertUntouchedOutside(before);
        sandbox.AssertNoLeftovers();
    }

    [TestCase("9999-12-30")]
    [TestCase("2024-01-14..9999-12-31")]
    [TestCase("0001-01-02")]
    public void Samples_with_a_date_outside_the_supported_range_is_a_usage_error(string date)
    {
        using var sandbox = WithLogs("samples-date");
        var before = sandbox.Snapshot();

        var result = sandbox.Run(null, Samples("out/dt={date}", "--date", date));

        AssertMessage(result, 2, "--date", "supported range", "1900-01-01 to 9000-12-31");
        sandbox.AssertUntouchedOutside(before);
        sandbox.AssertNoLeftovers();
    }

    [TestCase("--shards", "0", "--shards must be from 1 to 100000")]
    [TestCase("--shards", "-3", "--shards must be from 1 to 100000")]
    [TestCase("--threads", "0", "--threads must be from 1")]
    [TestCase("--memory-limit", "lots", "--memory-limit must be a size such as")]
    [TestCase("--memory-limit", "300", "--memory-limit must be a size such as")]
    [TestCase("--max-bad-fraction", "1.5", "--max-bad-fraction must be from 0 to 1")]
    public void A_bad_option_value_of_samples_is_a_usage_error_before_any_work(string option, string value, string message)
    {
        using var sandbox = WithLogs("samples-option");
        sandbox.Write("out/dt=2024-01-15/keep.txt", "an earlier output");
        var before = sandbox.Snapshot();

        var result = sandbox.Run(null, Samples("out/dt=2024-01-15", option, value));

        AssertMessage(result, 2, message);
        Assert.That(result.Stderr, Does.Not.Contain("join: started"), "the value is refused before the job starts");
        sandbox.AssertUntouchedOutside(before);
        sandbox.AssertNoLeftovers();
    }

    [Test]
    public void A_good_memory_limit_with_a_unit_is_accepted()
    {
        using var sandbox = WithLogs("memory-ok");

        var result = sandbox.Run(null, Samples("out/dt=2024-01-15", "--memory-limit", "0.5GiB", "--shards", "2"));

        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        Assert.That(File.Exists(sandbox.Path("out", "dt=2024-01-15", "_SUCCESS")), Is.True);
        sandbox.AssertNoLeftovers();
    }

    [Test]
    public void Running_out_of_engine_memory_names_the_phase_and_the_options_that_help()
    {
        // 20MB is below what DuckDB needs for the output pass of even these small logs (its own error says so).
        using var sandbox = WithLogs("oom");
        sandbox.Write("out/dt=2024-01-15/_SUCCESS", "");
        sandbox.Write("out/dt=2024-01-15/part-00000", "an earlier output");
        var before = sandbox.Snapshot();

        var result = sandbox.Run(null, Samples("out/dt=2024-01-15", "--memory-limit", "20MB", "--threads", "2"));

        AssertMessage(result, 1, "out of memory in", "--memory-limit", "--spill-dir", "--threads", "left as it was");
        Assert.That(result.Stderr, Does.Match("out of memory in (write pass \\d+ of \\d+|counts|audit|quarantine|[a-z_0-9]+) \\("));
        Assert.That(File.ReadAllText(sandbox.Path("out", "dt=2024-01-15", "part-00000")), Is.EqualTo("an earlier output"), "the earlier output is kept");
        sandbox.AssertUntouchedOutside(before, "out/dt=2024-01-15"); // its lock file may be made
        sandbox.AssertNoLeftovers();
    }

    [Test]
    public void A_state_folder_that_is_a_file_is_refused_before_any_work()
    {
        // Found out only after the samples were committed, the run would exit 0 having kept no state.
        using var sandbox = WithLogs("state-file");
        sandbox.Write("state", "not a folder");
        var before = sandbox.Snapshot();

        var result = sandbox.Run(null, Samples("out/dt=2024-01-15", "--state", "state"));

        AssertMessage(result, 1, "state folder", "is a file", "--state");
        Assert.That(Directory.Exists(sandbox.Path("out")), Is.False, "nothing was written");
        sandbox.AssertUntouchedOutside(before, "out");
    }

    [Test]
    public void An_output_pass_out_of_memory_is_written_again_in_smaller_passes_with_the_same_bytes()
    {
        // The day's one output pass runs out of memory (the test host's fault: no memory limit forces it reliably, since
        // DuckDB's sort spills); the job writes the day again in four passes, which must give exactly what a run with
        // memory to spare writes.
        using var sandbox = Sandbox.Create("oom-retry");
        var generated = sandbox.Run(null, "gen-logs", "--output", "logs", "--date", Date, "--impressions-per-day", "20000", "--users", "2000",
            "--items", "500", "--seed", "3", "--impression-days", "2");
        Assert.That(generated.ExitCode, Is.Zero, generated.Stderr);
        var roomy = sandbox.Run(null, Samples("roomy/dt=2024-01-15", "--threads", "2"));
        Assert.That(roomy.ExitCode, Is.Zero, roomy.Stderr);

        var tight = sandbox.Run(null, new Dictionary<string, string> { [FaultHost.Faults.OutOfMemoryAtStep] = "write-pass-1-of-1" }, Samples("tight/dt=2024-01-15", "--threads", "2"));

        Assert.That(tight.ExitCode, Is.Zero, tight.Stderr);
        Assert.That(tight.Stderr, Does.Contain("out of memory in write pass 1 of 1 within the engine's memory limit; writing again in 4 passes"));
        Assert.That(Directory.GetFiles(sandbox.Path("tight", "dt=2024-01-15"), "part-*").Length, Is.GreaterThan(1), "several shards, so four passes are four different groups");
        string[] files = Directory.GetFiles(sandbox.Path("roomy", "dt=2024-01-15")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
        Assert.That(Directory.GetFiles(sandbox.Path("tight", "dt=2024-01-15")).Select(Path.GetFileName).Order(StringComparer.Ordinal), Is.EqualTo(files));
        foreach (string file in files)
        {
            Assert.That(File.ReadAllBytes(sandbox.Path("tight", "dt=2024-01-15", file)), Is.EqualTo(File.ReadAllBytes(sandbox.Path("roomy", "dt=2024-01-15", file))), file);
        }

        sandbox.AssertNoLeftovers();
    }

    [Test]
    public void A_path_template_offset_beyond_the_calendar_is_a_message()
    {
        using var sandbox = WithLogs("template-offset");
        sandbox.Write("din.yaml", File.ReadAllText(Spec).Replace("{date-15d..date+1d}", "{date-99999999d..date+1d}", StringComparison.Ordinal));
        var before = sandbox.Snapshot();

        var result = sandbox.Run(null, "samples", "--conf", "din.yaml", "--date", Date, "--input", "logs", "--output", "out/dt=2024-01-15");

        AssertMessage(result, 1, "din.yaml:", "date-99999999d", "more than 36600 days");
        sandbox.AssertUntouchedOutside(before);
        sandbox.AssertNoLeftovers();
    }

    [TestCase("bug", "internal error in 'count'", "InvalidOperationException", "please report")]
    [TestCase("oom", "count: out of memory", "--memory-limit")]
    public void An_unexpected_exception_is_one_line_with_exit_1_never_a_stack_trace(string kind, params string[] words)
    {
        // The fault host makes count's first write to stdout throw what a bug or an exhausted heap would.
        using var sandbox = Sandbox.Create("internal-error");
        var written = InProcess.RunWithInput("{\"a\": {\"int64\": [1]}}\n", "write", "--input", "-", "--output", sandbox.Path("a.tfrecord"));
        Assert.That(written.ExitCode, Is.Zero, written.Stderr);
        var before = sandbox.Snapshot();

        var result = sandbox.Run(null, new Dictionary<string, string> { [FaultHost.Faults.Throw] = kind }, "count", "a.tfrecord");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1), "one line: " + result.Stderr);
        foreach (string word in words)
        {
            Assert.That(result.Stderr, Does.Contain(word));
        }

        Assert.That(result.Stderr, Does.Not.Contain("   at ").And.Not.Contain("Unhandled exception"));
        sandbox.AssertUntouchedOutside(before);
    }

    /// <summary>Asserts the exit code, the message's key words and that no stack trace reached the user.</summary>
    internal static void AssertMessage(Sparktf.Result result, int exitCode, params string[] words)
    {
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(exitCode), result.Stderr);
            foreach (string word in words)
            {
                Assert.That(result.Stderr, Does.Contain(word));
            }

            Assert.That(result.Stderr, Does.Not.Contain("   at ").And.Not.Contain("Unhandled exception").And.Not.Contain("internal error"), "no stack trace, no internal error");
        });
    }

    private Sandbox WithLogs(string name)
    {
        var sandbox = Sandbox.Create(name);
        sandbox.CopyFolder(Path.Combine(_generated, "logs"), "logs");
        return sandbox;
    }

    private static string[] Samples(string output, params string[] more)
    {
        var args = new List<string> { "samples", "--conf", Spec, "--input", "logs", "--output", output };
        if (!more.Contains("--date"))
        {
            args.AddRange(["--date", Date]);
        }

        args.AddRange(more);
        return [.. args];
    }
}
