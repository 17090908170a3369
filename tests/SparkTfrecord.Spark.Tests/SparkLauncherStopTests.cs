using System.Runtime.InteropServices;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Jobs;
using SparkTfrecord.Engine.Spark;

namespace SparkTfrecord.Spark.Tests;

/// <summary>
/// <see cref="SparkLauncher"/> stopped through its cancellation token, in process against the fake Spark: the stop
/// signal is forwarded to Spark, Spark is killed when it ignores it for <see cref="SparkSamplesRunOptions.KillAfter"/>, the
/// output is as it was, and the stop is reported as <see cref="JobStoppedException"/> with the stopped day's
/// summary. (SparkLauncherTests sends real signals to sparktf.)
/// </summary>
[TestFixture]
[Category("Process")]
public sealed class SparkLauncherStopTests
{
    private FakeSparkFixture _fake = null!;

    [OneTimeSetUp]
    public void GenerateLogs() => _fake = FakeSparkFixture.WithLogs("sparktf-launcher-stop-", 200, 50, 40);

    [OneTimeTearDown]
    public void TearDown() => _fake.Dispose();

    [TestCase(PosixSignal.SIGTERM, "SIGTERM", "stopped by SIGTERM", 143)]
    [TestCase(PosixSignal.SIGINT, "SIGINT", "stopped by Ctrl-C", 130)]
    public void A_cancelled_launch_forwards_the_stop_signal_and_leaves_the_output_as_it_was(PosixSignal signal, string eventName, string error, int sparkExit)
    {
        var (output, record) = _fake.Fresh();
        var log = new WatchedLog("fake progress line 3 of 3");
        using var cancel = new CancellationTokenSource();
        var launcher = new SparkLauncher(Options(output, record, signal, TimeSpan.FromSeconds(30), ("FAKE_SPARK_SLEEP", "30")), log);

        var run = Task.Run(() => launcher.Run(cancel.Token));
        Assert.That(log.Seen.Wait(TimeSpan.FromSeconds(30)), Is.True, "Spark started:\n" + log);
        cancel.Cancel();
        var stopped = Assert.ThrowsAsync<JobStoppedException>(async () => await run.WaitAsync(TimeSpan.FromSeconds(20)))!;

        Assert.Multiple(() =>
        {
            Assert.That(stopped.Message, Is.EqualTo($"forwarded to spark-sql (which exited with {sparkExit}); temporary files removed, the output is as it was"));
            Assert.That(FakeSparkFixture.Events(record), Does.Contain(eventName), "the fake Spark got the same signal");
            Assert.That(stopped.Summaries.Single().Error, Is.EqualTo(error));
            Assert.That(Directory.Exists(output), Is.False);
            Assert.That(Directory.GetDirectories(Path.GetDirectoryName(output)!, ".dt=*"), Is.Empty, "the work folder is removed");
        });
    }

    [Test]
    public void Spark_that_ignores_the_stop_signal_is_killed_after_the_grace_period()
    {
        var (output, record) = _fake.Fresh();
        var log = new WatchedLog("fake progress line 3 of 3");
        using var cancel = new CancellationTokenSource();
        var launcher = new SparkLauncher(Options(output, record, PosixSignal.SIGTERM, TimeSpan.FromSeconds(1),
            ("FAKE_SPARK_SLEEP", "60"), ("FAKE_SPARK_IGNORE_TERM", "1")), log);

        var run = Task.Run(() => launcher.Run(cancel.Token));
        Assert.That(log.Seen.Wait(TimeSpan.FromSeconds(30)), Is.True, "Spark started:\n" + log);
        var sent = DateTime.UtcNow;
        cancel.Cancel();
        Assert.ThrowsAsync<JobStoppedException>(async () => await run.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.That((DateTime.UtcNow - sent).TotalSeconds, Is.LessThan(15));
        Assert.That(log.ToString(), Does.Contain("ignoring it"));
    }

    [Test]
    public void A_launch_cancelled_before_spark_starts_runs_nothing()
    {
        var (output, record) = _fake.Fresh();
        var launcher = new SparkLauncher(Options(output, record, PosixSignal.SIGTERM, TimeSpan.FromSeconds(30)), new WatchedLog("never"));

        var stopped = Assert.Throws<JobStoppedException>(() => launcher.Run(new CancellationToken(canceled: true)))!;

        Assert.Multiple(() =>
        {
            Assert.That(stopped.Message, Is.EqualTo("temporary files removed, the output is as it was"));
            Assert.That(File.Exists(record), Is.False, "Spark was not started");
            Assert.That(Directory.Exists(output), Is.False);
        });
    }

    private SparkLaunchOptions Options(string output, string record, PosixSignal signal, TimeSpan killAfter, params (string Key, string? Value)[] fake)
    {
        return new SparkLaunchOptions
        {
            Definition = JobDefinition.Load(FakeSparkFixture.Spec),
            Run = new SparkSamplesRunOptions
            {
                Spec = FakeSparkFixture.Spec,
                Dates = [new DateOnly(2024, 5, 1)],
                Spark = new SparkRunOptions { Date = new DateOnly(2024, 5, 1), Input = _fake.Logs, Output = output, Version = SparkVersion.Parse("3.5") },
                SparkHome = _fake.SparkHome(FakeSparkFixture.Environment(record, fake)),
                KillAfter = killAfter,
                StopSignal = () => signal,
                Stdout = TextWriter.Null,
            },
        };
    }
}
