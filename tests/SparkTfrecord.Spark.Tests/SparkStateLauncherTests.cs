using System.Text.Json;
using SparkTfrecord.Engine.State;

namespace SparkTfrecord.Spark.Tests;

/// <summary>
/// <c>sparktf samples --engine spark --state DIR</c> against the fake spark-sql (docs/state.md, "The Spark side"): the
/// launcher decides the usable snapshot with the embedded engine's checks and says why (summary and stderr), the script
/// reads only the uncovered partitions plus the snapshot and writes the next snapshot, the launcher commits it with the
/// embedded engine's manifest; the two engines continue each other's chains.
/// </summary>
[TestFixture]
[Category("Process")]
public sealed class SparkStateLauncherTests
{
    private FakeSparkFixture _fake = null!;

    [OneTimeSetUp]
    public void GenerateLogs()
    {
        _fake = FakeSparkFixture.Empty("sparktf-spark-state-");
        var gen = InProcess.Run("gen-logs", "--output", _fake.Logs, "--date", "2024-05-03", "--days", "18", "--impressions-per-day", "300",
            "--users", "60", "--items", "40", "--seed", "7");
        Assert.That(gen.ExitCode, Is.Zero, gen.Output);
    }

    [OneTimeTearDown]
    public void TearDown() => _fake.Dispose();

    private string Fresh(string name) => _fake.Temp[$"{name}{_fake.Next()}"];

    private ProcessResult Spark(string date, string output, string? state, string spec, params (string Key, string? Value)[] env)
    {
        string home = _fake.SparkHome(FakeSparkFixture.Environment(null, env));
        string[] args = ["samples", "--engine", "spark", "--conf", spec, "--date", date, "--input", _fake.Logs, "--output", output, "--spark-version", "3.5", "--spark-home", home];
        return InProcess.Run(state is null ? args : [.. args, "--state", state]);
    }

    private ProcessResult Embedded(string date, string output, string state) =>
        InProcess.Run("samples", "--conf", FakeSparkFixture.Spec, "--date", date, "--input", _fake.Logs, "--output", output, "--state", state);

    private static JsonElement State(ProcessResult run) => JsonDocument.Parse(run.Stdout).RootElement.GetProperty("state");

    private static JsonElement Manifest(string folder) => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, StateManifest.FileName))).RootElement;

    private int FilesOf(string source, params string[] days) =>
        days.Sum(d => Directory.Exists(Path.Combine(_fake.Logs, source, "dt=" + d)) ? Directory.GetFiles(Path.Combine(_fake.Logs, source, "dt=" + d)).Length : 0);

    private static string[] Days(DateOnly from, DateOnly to)
    {
        var days = new List<string>();
        for (var d = from; d <= to; d = d.AddDays(1))
        {
            days.Add(StateManifest.Day(d));
        }

        return [.. days];
    }

    [Test]
    public void A_missing_look_back_partition_the_launcher_lists_is_named_on_stderr_and_in_the_summary()
    {
        // The launcher lists local inputs and leaves a missing look-back day out, as the embedded engine does; it says
        // so the same way (MissingPartitionsTests has the embedded engine's case).
        string logs = Fresh("logs-gap");
        Folders.Copy(_fake.Logs, logs);

        string missing = Path.Combine(logs, "clicks", "dt=2024-04-25");
        Directory.Delete(missing, recursive: true);
        string home = _fake.SparkHome(FakeSparkFixture.Environment(null));
        var run = InProcess.Run("samples", "--engine", "spark", "--conf", FakeSparkFixture.Spec, "--date", "2024-05-02", "--input", logs, "--output", Fresh("out"),
            "--spark-version", "3.5", "--spark-home", home);
        Assert.That(run.ExitCode, Is.Zero, run.Output);
        Assert.That(run.Stderr, Does.Contain($"sparktf: 2024-05-02 input: no files at 1 of the 17 paths of source 'clicks' ({missing})"));
        Assert.That(JsonDocument.Parse(run.Stdout).RootElement.GetProperty("missing_inputs").GetProperty("clicks")[0].GetString(), Is.EqualTo(missing));
    }

    [Test]
    public void A_state_folder_inside_the_inputs_is_refused_before_spark_submit_runs()
    {
        // The launcher prepares the state with the embedded engine's guard: a snapshot dt=DATE/ among the inputs would
        // replace a day of clicks (StateFolderGuardTests has the embedded engine's cases).
        string clicks = Path.Combine(_fake.Logs, "clicks");
        var before = Directory.GetFiles(clicks, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        string output = Fresh("out");
        var run = Spark("2024-05-02", output, clicks, FakeSparkFixture.Spec);
        Assert.That(run.ExitCode, Is.Not.Zero, run.Output);
        Assert.That(run.Stderr, Does.Contain($"the state folder (--state or the job's state:) {clicks} is inside the input"));
        Assert.That(Directory.GetFiles(clicks, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal), Is.EqualTo(before));
        Assert.That(Directory.Exists(output), Is.False);
    }

    [Test]
    public void The_embedded_snapshot_is_used_by_the_spark_launcher_whose_snapshot_the_embedded_checks_accept()
    {
        string state = Fresh("state");
        var day1 = Embedded("2024-05-01", Fresh("out"), state);
        Assert.That(day1.ExitCode, Is.Zero, day1.Output);
        var embedded = Manifest(Path.Combine(state, "dt=2024-05-01"));

        // The script: only the uncovered partitions of clicks, the snapshot's files, and the next snapshot's writes.
        string output = Fresh("out");
        string dryRun = InProcess.Run("samples", "--engine", "spark", "--conf", FakeSparkFixture.Spec, "--date", "2024-05-02", "--input", _fake.Logs, "--output", output,
            "--spark-version", "3.5", "--state", state, "--dry-run", "--spark-home", Processes.InRepo("tests", "SparkTfrecord.Spark.Tests", "fake-spark")).Stdout;
        Assert.Multiple(() =>
        {
            Assert.That(dryRun, Does.Contain($"parquet.`file://{state}/dt=2024-05-01/events_clicked_items_15d.parquet`"));
            Assert.That(dryRun, Does.Contain($"parquet.`file://{state}/dt=2024-05-01/carry_clicks.parquet`"));
            Assert.That(dryRun, Does.Contain($"INSERT OVERWRITE DIRECTORY 'file://{state}/.dt=2024-05-02.tmp-<pid>-<id>/events_clicked_items_15d.parquet'\nUSING parquet"));
            Assert.That(dryRun, Does.Contain($"INSERT OVERWRITE DIRECTORY 'file://{state}/.dt=2024-05-02.tmp-<pid>-<id>/carry_clicks.parquet'\nUSING parquet"));
            Assert.That(dryRun, Does.Contain($"'file://{_fake.Logs}/clicks/{{dt=2024-05-02,dt=2024-05-03}}'"), "only the uncovered partitions of clicks");
            Assert.That(dryRun, Does.Not.Contain("dt=2024-05-01,").And.Not.Contain("dt=2024-04-"), "covered partitions are not read");
            Assert.That(dryRun, Does.Contain($"'file://{_fake.Logs}/impressions/{{dt=2024-05-02,dt=2024-05-03}}'"), "other sources as without state");
            Assert.That(dryRun, Does.Contain("sparktf_state_read_clicks_20240502"));
        });

        long covered = embedded.GetProperty("sources").GetProperty("clicks").GetProperty("counts").EnumerateObject()
            .Where(c => string.CompareOrdinal(c.Name, "2024-04-17") >= 0).Sum(c => c.Value.GetProperty("read").GetInt64());
        var day2 = Spark("2024-05-02", output, state, FakeSparkFixture.Spec, ("FAKE_SPARK_COUNTS", "sparktf_state_read_clicks_20240502=77 read_clicks=80"));
        Assert.That(day2.ExitCode, Is.Zero, day2.Output);
        Assert.Multiple(() =>
        {
            Assert.That(day2.Stderr, Does.Contain("sparktf: 2024-05-02 state: snapshot dt=2024-05-01 used"));
            var s = State(day2);
            Assert.That(s.GetProperty("used").GetString(), Is.EqualTo("2024-05-01"));
            Assert.That(s.GetProperty("written").GetString(), Is.EqualTo("2024-05-02"));
            Assert.That(s.GetProperty("reason").GetString(), Is.EqualTo("snapshot dt=2024-05-01 used"));
            var filesRead = JsonDocument.Parse(day2.Stdout).RootElement.GetProperty("files_read");
            Assert.That(filesRead.GetProperty("clicks").GetInt32(), Is.EqualTo(FilesOf("clicks", "2024-05-02", "2024-05-03")));
            Assert.That(filesRead.GetProperty("impressions").GetInt32(), Is.EqualTo(FilesOf("impressions", "2024-05-02", "2024-05-03")));

            // read.clicks: this run's 80 plus the snapshot's covered partitions still in the path window.
            Assert.That(JsonDocument.Parse(day2.Stdout).RootElement.GetProperty("counts").GetProperty("read.clicks").GetInt64(), Is.EqualTo(80 + covered));
        });

        // The snapshot: committed as the output is, with the embedded engine's manifest fields.
        string snapshot = Path.Combine(state, "dt=2024-05-02");
        var spark = Manifest(snapshot);
        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(Path.Combine(snapshot, "_SUCCESS")));
            Assert.That(Directory.GetFiles(Path.Combine(snapshot, "events_clicked_items_15d.parquet")).Select(Path.GetFileName),
                Is.EquivalentTo(new[] { "_SUCCESS", "part-00000-fake.snappy.parquet" }));
            Assert.That(Directory.GetDirectories(state).Select(Path.GetFileName), Is.EquivalentTo(new[] { "dt=2024-05-01", "dt=2024-05-02" }), "no work folder left");
            Assert.That(spark.EnumerateObject().Select(p => p.Name), Is.EqualTo(embedded.EnumerateObject().Select(p => p.Name)));
            Assert.That(spark.GetProperty("state_hash").GetString(), Is.EqualTo(embedded.GetProperty("state_hash").GetString()), "same spec and input");
            Assert.That(spark.GetProperty("used").GetString(), Is.EqualTo("2024-05-01"));
            var clicks = spark.GetProperty("sources").GetProperty("clicks");
            Assert.That(clicks.GetProperty("covered").EnumerateArray().Select(d => d.GetString()), Is.EqualTo(Days(new(2024, 4, 18), new(2024, 5, 2))));
            Assert.That(clicks.GetProperty("counts").GetProperty("2024-05-02").GetProperty("read").GetInt64(), Is.EqualTo(77), "this run's partition, from the report row");
            Assert.That(clicks.GetProperty("counts").GetProperty("2024-05-01").GetRawText(),
                Is.EqualTo(embedded.GetProperty("sources").GetProperty("clicks").GetProperty("counts").GetProperty("2024-05-01").GetRawText()), "the used snapshot's partition");
            Assert.That(clicks.GetProperty("files").GetArrayLength(), Is.EqualTo(FilesOf("clicks", Days(new(2024, 4, 18), new(2024, 5, 2)))));

            // The embedded engine's check accepts the Spark snapshot for the next day.
            var store = new StateStore(state);
            var (sources, _) = StatefulSource.Of(Engine.Config.JobDefinition.Load(FakeSparkFixture.Spec).Job);
            var (usable, reason) = store.FindUsable(new DateOnly(2024, 5, 3), spark.GetProperty("state_hash").GetString()!, sources, _fake.Logs);
            Assert.That(usable?.Date, Is.EqualTo(new DateOnly(2024, 5, 2)), reason);
        });

        // The samples manifest is the same with and without state.
        string without = Fresh("out");
        var plain = Spark("2024-05-02", without, null, FakeSparkFixture.Spec, ("FAKE_SPARK_COUNTS", "read_clicks=" + (80 + covered).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(plain.ExitCode, Is.Zero, plain.Output);
        Assert.That(JsonDocument.Parse(plain.Stdout).RootElement.TryGetProperty("state", out _), Is.False);
        Assert.That(File.ReadAllBytes(Path.Combine(output, "_manifest.json")), Is.EqualTo(File.ReadAllBytes(Path.Combine(without, "_manifest.json"))),
            "the samples manifest is the same with and without state");
    }

    [TestCase("missing", "no snapshot before 2024-05-02 in ")]
    [TestCase("restated", "a covered partition of source 'clicks' was restated: file ")]
    [TestCase("spec", "state hash differs")]
    public void An_unusable_snapshot_gives_the_full_window_and_says_why(string how, string reason)
    {
        string state = Fresh("state");
        string spec = FakeSparkFixture.Spec;
        if (how != "missing")
        {
            var day1 = Embedded("2024-05-01", Fresh("out"), state);
            Assert.That(day1.ExitCode, Is.Zero, day1.Output);
        }

        if (how == "restated")
        {
            string file = Directory.GetFiles(Path.Combine(_fake.Logs, "clicks", "dt=2024-04-25"))[0];
            var copy = Path.Combine(_fake.Temp.Path, "restated-" + Path.GetFileName(file));
            File.Copy(file, copy, overwrite: true);
            File.SetLastWriteTimeUtc(file, File.GetLastWriteTimeUtc(file).AddMinutes(5));
            try
            {
                AssertFullWindow(state, spec, reason);
            }
            finally
            {
                File.Copy(copy, file, overwrite: true);
            }

            return;
        }

        if (how == "spec")
        {
            spec = _fake.Temp[$"din-edited{_fake.Next()}.yaml"];
            File.WriteAllText(spec, File.ReadAllText(FakeSparkFixture.Spec) + "\n# edited\n");
        }

        AssertFullWindow(state, spec, reason);
    }

    private void AssertFullWindow(string state, string spec, string reason)
    {
        var run = Spark("2024-05-02", Fresh("out"), state, spec, []);
        Assert.That(run.ExitCode, Is.Zero, run.Output);
        var s = State(run);
        Assert.Multiple(() =>
        {
            Assert.That(s.GetProperty("used").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(s.GetProperty("reason").GetString(), Does.Contain(reason));
            Assert.That(run.Stderr, Does.Contain("sparktf: 2024-05-02 state: ").And.Contain(reason));
            Assert.That(s.GetProperty("written").GetString(), Is.EqualTo("2024-05-02"), "the full window's run writes the next snapshot");
            Assert.That(JsonDocument.Parse(run.Stdout).RootElement.GetProperty("files_read").GetProperty("clicks").GetInt32(),
                Is.EqualTo(FilesOf("clicks", Days(new(2024, 4, 17), new(2024, 5, 3)))), "the full window");
            Assert.That(Manifest(Path.Combine(state, "dt=2024-05-02")).GetProperty("used").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });
    }

    [Test]
    public void A_state_table_spark_did_not_finish_is_not_committed_and_the_samples_are()
    {
        string state = Fresh("state");
        string output = Fresh("out");
        var run = Spark("2024-05-02", output, state, FakeSparkFixture.Spec, ("FAKE_SPARK_STATE_NO_SUCCESS", "1"));
        Assert.That(run.ExitCode, Is.Zero, run.Output);
        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(Path.Combine(output, "_SUCCESS")));
            Assert.That(State(run).GetProperty("written").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(State(run).GetProperty("reason").GetString(), Does.Contain("not written: Spark did not finish the state table events_clicked_items_15d.parquet"));
            Assert.That(Directory.Exists(state) ? Directory.GetFileSystemEntries(state) : [], Is.Empty.Or.All.Contains(".lock"), "no snapshot, no work folder");
        });
    }
}
