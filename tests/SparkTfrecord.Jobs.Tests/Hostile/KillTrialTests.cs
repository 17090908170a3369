using System.Diagnostics;

namespace SparkTfrecord.Jobs.Tests.Hostile;

/// <summary>
/// The kill trial (tests/kill-trial/kill-trial.sh) with a few kills, so that CI runs it: SIGKILL at random moments,
/// then no partial output, the rerun's bytes equal an uninterrupted run's, and no spill folder survives. docs/job.md gives
/// the full run (20 kills) and its result.
/// </summary>
[TestFixture]
[Category("Process")]
[NonParallelizable]
internal sealed class KillTrialTests
{
    private static string Script => Path.Combine(Sparktf.RepoRoot, "tests", "kill-trial", "kill-trial.sh");

    [Test]
    public void Three_random_kills_leave_no_partial_output_and_the_rerun_restores_the_same_bytes()
    {
        using var sandbox = Sandbox.Create("kill-trial");

        var (exitCode, stdout, stderr) = RunScript(sandbox, $"dotnet exec {Sparktf.Dll}", "--kills", "3", "--impressions-per-day", "5000", "--seed", "7");

        Assert.That(exitCode, Is.Zero, stdout + stderr);
        Assert.That(stdout, Does.Match("kill-trial: 3 kills \\(.+\\); \\d+ spill folders left by killed runs, all removed by the next runs; no partial output; the rerun wrote the same bytes: PASSED"));
        sandbox.AssertNoLeftovers();
    }

    [Test]
    public void The_trial_fails_when_a_spill_folder_survives()
    {
        // A sparktf that leaves a spill folder named for its own pid that nothing removes once it has ended (the
        // wrapper makes it, then becomes sparktf): each next run sweeps the last one's, but the rerun's survives it.
        using var sandbox = Sandbox.Create("kill-trial-fails");
        string wrapper = sandbox.Write("leaky-sparktf.sh",
            "#!/bin/bash\n" +
            "mkdir -p \"$TMPDIR/sparktf-spill-$$-leaked\"\n" +
            $"exec dotnet exec '{Sparktf.Dll}' \"$@\"\n");

        var (exitCode, _, stderr) = RunScript(sandbox, "bash " + wrapper, "--kills", "1", "--impressions-per-day", "2000");

        Assert.That(exitCode, Is.EqualTo(1), stderr);
        Assert.That(stderr, Does.Contain("kill-trial: FAILED: spill folders survived the rerun").And.Contain("-leaked"));
    }

    private static (int ExitCode, string Stdout, string Stderr) RunScript(Sandbox sandbox, string sparktf, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = sandbox.Root };
        start.ArgumentList.Add(Script);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["TMPDIR"] = sandbox.Temp;
        start.Environment["SPARKTF"] = sparktf;
        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        Assert.That(process.WaitForExit(240_000), Is.True, "the trial finishes in 4 minutes");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
