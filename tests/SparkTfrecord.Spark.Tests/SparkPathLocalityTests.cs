using System.Text.RegularExpressions;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Engines;
using SparkTfrecord.Engine.Spark;

namespace SparkTfrecord.Spark.Tests;

/// <summary>
/// Where the Spark script reads and writes, for each kind of master and each way of writing a path (docs/spark.md,
/// "Paths"): an explicit <c>file:</c> path stays a <c>file://</c> URI whatever the master; a bare absolute path is local
/// with a local master and on the cluster's default file system (left bare) with a cluster master; an <c>hdfs:</c> URI
/// stays as written. The expected URIs are spelled out here from that rule, not computed by the code under test.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed partial class SparkPathLocalityTests
{
    private static readonly string[] s_masters = ["local[*]", "yarn", "spark://master.example:7077"];

    // How a path is given, and the URI it must have in the script with a local and with a cluster master.
    private static readonly (string Name, string Given, string Local, string Cluster)[] s_inputs =
    [
        ("bare", "/data/logs", "file:///data/logs", "/data/logs"),
        ("file:", "file:/data/logs", "file:///data/logs", "file:///data/logs"),
        ("file://", "file:///data/logs", "file:///data/logs", "file:///data/logs"),
        ("hdfs:", "hdfs://nn:8020/logs", "hdfs://nn:8020/logs", "hdfs://nn:8020/logs"),
    ];

    private static readonly (string Name, string Given, string Local, string Cluster)[] s_outputs =
    [
        ("bare", "/data/out/dt={date}", "file:///data/out/dt=2024-05-01", "/data/out/dt=2024-05-01"),
        ("file:", "file:/data/out/dt={date}", "file:///data/out/dt=2024-05-01", "file:///data/out/dt=2024-05-01"),
        ("hdfs:", "hdfs://nn:8020/out/dt={date}", "hdfs://nn:8020/out/dt=2024-05-01", "hdfs://nn:8020/out/dt=2024-05-01"),
    ];

    public static IEnumerable<TestCaseData> ConnectorCases() =>
        from master in s_masters
        from input in s_inputs
        from output in s_outputs
        select new TestCaseData(master, input.Given, output.Given,
                IsLocal(master) ? input.Local : input.Cluster, IsLocal(master) ? output.Local : output.Cluster)
            .SetName($"Connector paths: {master}, input {input.Name}, output {output.Name}");

    [TestCaseSource(nameof(ConnectorCases))]
    public void Each_path_of_the_connector_script_has_its_own_file_system(string master, string input, string output, string expectedInput, string expectedOutput)
    {
        string script = Setup(master, input, output, SparkWriter.Connector).ScriptText();

        var reads = Reads(script);
        var writes = ConnectorWrites(script);
        Assert.Multiple(() =>
        {
            // conf/din.yaml reads impressions, clicks, users and items below {input}.
            Assert.That(reads, Has.Count.EqualTo(4));
            Assert.That(reads, Has.All.StartWith(expectedInput + "/"), script);
            Assert.That(reads.Select(r => r[(expectedInput.Length + 1)..].Split('/')[0]), Is.EquivalentTo(new[] { "impressions", "clicks", "users", "items" }));
            Assert.That(writes.Select(w => Regex.Replace(w, "/(train|eval)$", "")), Has.All.EqualTo(expectedOutput));
            Assert.That(Quarantine(script), Is.EqualTo(expectedOutput + "/_quarantine"));
        });
    }

    public static IEnumerable<TestCaseData> NativeCases() =>
        from master in s_masters
        from output in s_outputs.Where(o => o.Name == "file:" || (o.Name == "bare" && IsLocal(master)))
        select new TestCaseData(master, output.Given).SetName($"Native staging: {master}, output {output.Name}");

    [TestCaseSource(nameof(NativeCases))]
    public void The_native_writers_parquet_folder_is_a_local_file_uri_whatever_the_master(string master, string output)
    {
        // The native writer encodes Spark's Parquet on this machine, so its Parquet folder is beside the local output.
        string script = Setup(master, "hdfs://nn:8020/logs", output, SparkWriter.Native).ScriptText();

        Assert.Multiple(() =>
        {
            Assert.That(Inserts(script), Is.EqualTo(new[]
            {
                "file:///data/out/.dt=2024-05-01.spark-parquet",
                "file:///data/out/.dt=2024-05-01.spark-parquet/_quarantine",
            }));
            Assert.That(Reads(script), Has.All.StartWith("hdfs://nn:8020/logs/"));
        });
    }

    [TestCase("yarn")]
    [TestCase("spark://master.example:7077")]
    public void A_native_output_without_a_scheme_on_a_cluster_is_refused_as_not_on_this_machine(string master)
    {
        // A bare path with a cluster master is on the cluster's file system, where sparktf cannot write the shards.
        var e = Assert.Throws<EngineSetupException>(() => Setup(master, "/data/logs", "/data/out/dt={date}", SparkWriter.Native));
        Assert.That(e!.Message, Does.Contain("--writer native writes the shards on this machine"));
    }

    [TestCase("yarn")]
    [TestCase("spark://master.example:7077")]
    public void A_relative_input_on_a_cluster_is_the_local_folder_it_names(string master)
    {
        // A relative path names nothing on a cluster's file system: sparktf takes it as this machine's folder (and lists
        // it), so the script must read it there.
        string script = Setup(master, "rel/logs", "hdfs://nn:8020/out/dt={date}", SparkWriter.Connector).ScriptText();

        Assert.That(Reads(script), Has.All.StartWith("file://" + Path.GetFullPath("rel/logs") + "/"));
    }

    private static bool IsLocal(string master) => master.StartsWith("local", StringComparison.Ordinal);

    private static SparkSetup Setup(string master, string input, string output, SparkWriter writer) =>
        SparkSetup.Create(JobDefinition.Load(FakeSparkFixture.Spec), new SparkRunOptions
        {
            Date = new DateOnly(2024, 5, 1),
            Input = input,
            Output = output,
            Master = master,
            DeployMode = SparkDeployMode.Client,
            Writer = writer,
            Connector = SparkConnector.LinkedIn,
        }, resolveLocalInputs: false);

    // The sources' paths: the 'path' option of every read (the tfrecord writer's has 'recordType').
    private static List<string> Reads(string script) =>
        PathOption().Matches(script).Where(m => !m.Value.Contains("'recordType'", StringComparison.Ordinal)).Select(m => m.Groups[1].Value).ToList();

    private static List<string> ConnectorWrites(string script) =>
        PathOption().Matches(script).Where(m => m.Value.Contains("'recordType'", StringComparison.Ordinal)).Select(m => m.Groups[1].Value).ToList();

    private static List<string> Inserts(string script) => InsertDirectory().Matches(script).Select(m => m.Groups[1].Value).ToList();

    private static string Quarantine(string script) => Inserts(script).Single(p => p.EndsWith("/_quarantine", StringComparison.Ordinal));

    [GeneratedRegex(@"^OPTIONS \('path' '([^']*)'.*$", RegexOptions.Multiline)]
    private static partial Regex PathOption();

    [GeneratedRegex(@"INSERT OVERWRITE DIRECTORY '([^']*)'")]
    private static partial Regex InsertDirectory();
}
