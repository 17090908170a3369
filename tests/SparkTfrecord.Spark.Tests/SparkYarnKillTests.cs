using System.Runtime.InteropServices;
using System.Text.Json;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Jobs;
using SparkTfrecord.Engine.Spark;

namespace SparkTfrecord.Spark.Tests;

/// <summary>
/// A stopped launch in YARN cluster deploy mode also kills the application on the cluster, with the id spark-submit
/// printed (Spark's YARN client: "Submitting application ID to ResourceManager"), through the stand-in <c>yarn</c>;
/// killing spark-submit alone would leave it running beside a scheduler's retry. In process against the fake Spark.
/// </summary>
[TestFixture]
[Category("Process")]
public sealed class SparkYarnKillTests
{
    private const string AppId = "application_1714521600000_0042";
    private FakeSparkFixture _fake = null!;

    [OneTimeSetUp]
    public void GenerateLogs() => _fake = FakeSparkFixture.WithLogs("sparktf-yarn-kill-", 200, 50, 40);

    [OneTimeTearDown]
    public void TearDown() => _fake.Dispose();

    [Test]
    public void A_stop_kills_the_yarn_application_spark_submit_printed()
    {
        var (stopped, calls, _) = StopWhileRunning("yarn", "cluster", withYarn: true, ("FAKE_SPARK_APP_ID", "application_1714521600000_0777"));

        Assert.Multiple(() =>
        {
            Assert.That(Kills(calls), Is.EqualTo(new[] { "application_1714521600000_0777" }), "yarn application -kill with the printed id, once");
            Assert.That(stopped.Message, Does.StartWith("forwarded to spark-submit (which exited with 143); the YARN application application_1714521600000_0777 was killed ("));
            Assert.That(FakeSparkFixture.Events(calls), Does.Contain("SIGTERM"), "spark-submit got the signal too");
        });
    }

    [Test]
    public void A_stop_before_spark_submit_printed_an_id_says_the_application_may_still_run()
    {
        var (stopped, calls, _) = StopWhileRunning("yarn", "cluster", withYarn: true, ("FAKE_SPARK_APP_ID", "none"));

        Assert.Multiple(() =>
        {
            Assert.That(Kills(calls), Is.Empty, "no id, nothing to kill");
            Assert.That(stopped.Message, Does.Contain("spark-submit printed no YARN application id before the stop")
                .And.Contain("may still run on the cluster").And.Contain("yarn application -list").And.Contain("sparktf-din-2024-05-01"));
        });
    }

    [Test]
    public void Without_a_yarn_command_the_stop_says_how_to_kill_the_application()
    {
        var (stopped, calls, _) = StopWhileRunning("yarn", "cluster", withYarn: false);

        Assert.Multiple(() =>
        {
            Assert.That(Kills(calls), Is.Empty);
            Assert.That(stopped.Message, Does.Contain($"the YARN application {AppId} may still run on the cluster: no yarn command was found")
                .And.Contain($"kill it with 'yarn application -kill {AppId}'"));
        });
    }

    [Test]
    public void A_failed_kill_is_reported_with_the_command_to_run()
    {
        var (stopped, calls, _) = StopWhileRunning("yarn", "cluster", withYarn: true, ("FAKE_YARN_EXIT", "1"));

        Assert.Multiple(() =>
        {
            Assert.That(Kills(calls), Is.EqualTo(new[] { AppId }));
            Assert.That(stopped.Message, Does.Contain($"the YARN application {AppId} may still run on the cluster: ").And.Contain("failed (exit 1").And.Contain($"kill it with 'yarn application -kill {AppId}'"));
        });
    }

    [TestCase("spark://master:7077", "cluster")]
    [TestCase("yarn", "client")]
    public void Outside_yarn_cluster_mode_nothing_is_killed_on_the_cluster(string master, string deployMode)
    {
        var (stopped, calls, _) = StopWhileRunning(master, deployMode, withYarn: true);

        Assert.That(Kills(calls), Is.Empty);
        Assert.That(stopped.Message, Does.Not.Contain("YARN application"));
    }

    private (JobStoppedException Stopped, string Record, string Log) StopWhileRunning(string master, string deployMode, bool withYarn, params (string Key, string? Value)[] fake)
    {
        var (output, record) = _fake.Fresh();
        string home = _fake.SparkHome(FakeSparkFixture.Environment(record, [("FAKE_SPARK_SLEEP", "30"), .. fake]));
        var watched = new WatchedLog("fake progress line 3 of 3");
        using var cancel = new CancellationTokenSource();
        var launcher = new SparkLauncher(new SparkLaunchOptions
        {
            Definition = JobDefinition.Load(FakeSparkFixture.Spec),
            Run = new SparkSamplesRunOptions
            {
                Spec = FakeSparkFixture.Spec,
                Dates = [new DateOnly(2024, 5, 1)],
                Spark = new SparkRunOptions
                {
                    Date = new DateOnly(2024, 5, 1), Input = "file://" + _fake.Logs, Output = "file://" + output, Master = master,
                    DeployMode = deployMode == "cluster" ? SparkDeployMode.Cluster : SparkDeployMode.Client, Version = SparkVersion.Parse("3.5"),
                },
                SparkHome = home,
                KillAfter = TimeSpan.FromSeconds(30),
                StopSignal = () => PosixSignal.SIGTERM,
                Stdout = TextWriter.Null,
            },
            Yarn = withYarn ? FakeSparkHome.Yarn(home) : Path.Combine(home, "no-such-yarn"),
        }, watched);

        var run = Task.Run(() => launcher.Run(cancel.Token));
        Assert.That(watched.Seen.Wait(TimeSpan.FromSeconds(30)), Is.True, "Spark started:\n" + watched);
        cancel.Cancel();
        var stopped = Assert.ThrowsAsync<JobStoppedException>(async () => await run.WaitAsync(TimeSpan.FromSeconds(90)))!;
        return (stopped, record, watched.ToString());
    }

    private static List<JsonElement> Calls(string record) => File.ReadAllLines(record).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    private static List<string> Kills(string record) => Calls(record)
        .Where(c => c.GetProperty("program").GetString() == "yarn")
        .Select(c => c.GetProperty("argv").EnumerateArray().Select(a => a.GetString()!).ToArray())
        .Select(argv => argv is ["application", "-kill", var id] ? id : "unexpected: " + string.Join(' ', argv))
        .ToList();
}
