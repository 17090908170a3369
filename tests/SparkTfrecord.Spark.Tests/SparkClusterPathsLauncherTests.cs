using System.Globalization;
using System.Text.Json;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Spark;

namespace SparkTfrecord.Spark.Tests;

/// <summary>
/// <c>sparktf samples --engine spark</c> with a cluster master and <c>file:</c> paths, against the fake Spark with a
/// cluster's default file system (<c>FAKE_SPARK_DEFAULT_FS</c>: a bare path is on an HDFS that holds no files, as on
/// YARN): the script must read the local input and write the local output as <c>file://</c> URIs, or the run fails as
/// Spark does on a missing path, or commits nothing (docs/spark.md, "Paths").
/// </summary>
[TestFixture]
[Category("Process")]
public sealed class SparkClusterPathsLauncherTests
{
    private const string DefaultFs = "hdfs://fake-nn:8020";
    private FakeSparkFixture _fake = null!;

    [OneTimeSetUp]
    public void GenerateLogs() => _fake = FakeSparkFixture.WithLogs("sparktf-cluster-paths-", 200, 50, 40);

    [OneTimeTearDown]
    public void TearDown() => _fake.Dispose();

    [TestCase("yarn", "client", "file:")]
    [TestCase("yarn", "cluster", "file://")]
    [TestCase("spark://master.example:7077", "client", "file://")]
    public void A_file_input_on_a_cluster_master_is_read_from_the_local_folder_and_the_output_committed(string master, string deployMode, string scheme)
    {
        var (output, record) = _fake.Fresh();
        string reads = _fake.Temp[$"reads{_fake.Next()}.txt"];

        var result = Launch(_fake.SparkHome(FakeSparkFixture.Environment(record, ("FAKE_SPARK_DEFAULT_FS", DefaultFs), ("FAKE_SPARK_READS", reads))),
            scheme + _fake.Logs, scheme + output, master, deployMode, "connector");

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        var read = File.ReadAllLines(reads);
        Assert.Multiple(() =>
        {
            // conf/din.yaml's four sources, each below the local logs folder, none on the cluster's file system.
            Assert.That(read.Select(r => r.StartsWith("file://" + _fake.Logs + "/", StringComparison.Ordinal) ? r[("file://" + _fake.Logs + "/").Length..].Split('/')[0] : r),
                Is.EquivalentTo(new[] { "impressions", "clicks", "users", "items" }));
            Assert.That(Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal), Is.EqualTo(new[] { "_SUCCESS", "_manifest.json", "part-00000-fake.tfrecord" }));
            Assert.That(JsonDocument.Parse(result.Stdout).RootElement.GetProperty("samples_written").GetInt64(), Is.EqualTo(42));
        });
    }

    [Test]
    public void The_native_writers_parquet_on_a_cluster_master_is_written_to_the_local_folder_it_encodes()
    {
        var (output, record) = _fake.Fresh();
        string parquet = _fake.Temp["native-cluster.parquet"];
        long rows = _fake.NativeParquet(parquet);

        var result = Launch(_fake.SparkHome(FakeSparkFixture.Environment(record, ("FAKE_SPARK_DEFAULT_FS", DefaultFs),
                ("FAKE_SPARK_PART_SOURCE", parquet), ("FAKE_SPARK_SAMPLES", rows.ToString(CultureInfo.InvariantCulture)))),
            "file://" + _fake.Logs, "file://" + output, "yarn", "cluster", "native");

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        Assert.Multiple(() =>
        {
            Assert.That(JsonDocument.Parse(result.Stdout).RootElement.GetProperty("samples_written").GetInt64(), Is.EqualTo(rows));
            Assert.That(Directory.GetFiles(output, "part-*"), Is.Not.Empty);
            Assert.That(File.ReadAllText(Path.Combine(output, "_manifest.json")), Does.Contain("sparktf encode"));
        });
    }

    [Test]
    public void A_bare_input_on_a_cluster_master_is_the_clusters_default_file_system()
    {
        // The documented rule, not a fault of sparktf's: without a scheme a cluster reads its own file system, which here
        // holds no logs, so Spark fails and nothing is committed.
        var (output, record) = _fake.Fresh();
        string reads = _fake.Temp[$"reads{_fake.Next()}.txt"];

        var result = Launch(_fake.SparkHome(FakeSparkFixture.Environment(record, ("FAKE_SPARK_DEFAULT_FS", DefaultFs), ("FAKE_SPARK_READS", reads))),
            _fake.Logs, "file://" + output, "yarn", "client", "connector");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.Output);
            Assert.That(File.ReadAllLines(reads)[0], Does.StartWith(DefaultFs + _fake.Logs + "/"));
            Assert.That(result.Stderr, Does.Contain("Path does not exist: " + DefaultFs + _fake.Logs + "/"));
            Assert.That(Directory.Exists(output), Is.False, "nothing committed");
        });
    }

    [Test]
    public void A_source_with_its_own_cluster_path_beside_a_file_input_is_left_to_spark_with_every_day()
    {
        // clicks at a bare absolute path of its own, on the cluster's file system; the other sources below the local
        // input. Listed here, the clicks would be found nowhere and every day left out of the script, with exit 0.
        string spec = _fake.Temp[$"own-path{_fake.Next()}.yaml"];
        File.WriteAllText(spec, File.ReadAllText(FakeSparkFixture.Spec).Replace("{input}/clicks/", "/warehouse/clicks/", StringComparison.Ordinal));
        var setup = SparkSetup.Create(JobDefinition.Load(spec), new SparkRunOptions
        {
            Date = new DateOnly(2024, 5, 1),
            Input = "file:" + _fake.Logs,
            Output = "file:" + _fake.Temp["own-path-out/dt={date}"],
            Master = "yarn",
        });

        string script = setup.ScriptText();
        var clicks = Enumerable.Range(0, 17).Select(i => $"dt={new DateOnly(2024, 4, 16).AddDays(i):yyyy-MM-dd}");
        Assert.Multiple(() =>
        {
            Assert.That(script, Does.Contain($"'path' '/warehouse/clicks/{{{string.Join(",", clicks)}}}'"), "every day of the window, on the cluster's file system");
            Assert.That(script, Does.Contain($"'path' 'file://{_fake.Logs}/impressions/"), "the local input's sources as file:// URIs");
        });
    }

    [Test]
    public void A_failed_days_summary_names_a_file_output_as_it_was_given()
    {
        // file:/x without slashes is a URI, not a relative name below the working directory.
        var (output, record) = _fake.Fresh();
        string summary = _fake.Temp[$"summary{_fake.Next()}.json"];
        var result = Launch(_fake.SparkHome(FakeSparkFixture.Environment(record, ("FAKE_SPARK_EXIT", "1"))), "file:" + _fake.Logs, "file:" + output, "yarn", "client", "connector",
            "--summary", summary);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Output);
        string text = File.ReadAllText(summary);
        Assert.That(JsonDocument.Parse(text).RootElement.GetProperty("output").GetString(), Is.EqualTo("file:" + output), text);
    }

    private ProcessResult Launch(string home, string input, string output, string master, string deployMode, string writer, params string[] extra) =>
        InProcess.Run(["samples", "--engine", "spark", "--conf", FakeSparkFixture.Spec, "--date", "2024-05-01", "--input", input, "--output", output,
            "--master", master, "--deploy-mode", deployMode, "--writer", writer, "--spark-version", "3.5", "--spark-home", home, .. extra]);
}
