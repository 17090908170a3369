using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace SparkTfrecord.Spark.Tests;

/// <summary>
/// submit/: the cron and BashOperator wrapper (driven with a stand-in sparktf), the Airflow DAG files (they must
/// compile; Airflow cannot be installed here, tests/python checks them against stand-ins) and the Oozie XML. The checks
/// with Debian's python3 are <see cref="SubmitPythonTests"/>.
/// </summary>
[TestFixture]
[Category("Process")]
public sealed partial class SubmitTests
{
    private static readonly string s_wrapper = Processes.InRepo("submit", "sparktf-daily.sh");
    private static readonly XNamespace s_workflow = "uri:oozie:workflow:0.5";
    private static readonly XNamespace s_coordinator = "uri:oozie:coordinator:0.4";

    // A stand-in sparktf: records its arguments, says it runs, sleeps in a child so that a signal stops it at once.
    private const string FakeSparktf = """
        #!/usr/bin/env bash
        printf '%s\n' "$@" > "$FAKE_ARGS"
        child=''
        trap 'echo "fake sparktf: got TERM" >&2; echo TERM >> "$FAKE_ARGS.signals"; kill $child 2>/dev/null; exit 143' TERM
        trap 'echo "fake sparktf: got INT" >&2; echo INT >> "$FAKE_ARGS.signals"; kill $child 2>/dev/null; exit 130' INT
        echo "fake sparktf running"
        sleep "${FAKE_SLEEP:-0}" & child=$!
        wait $child
        exit "${FAKE_EXIT:-0}"
        """;

    private TempFolder _temp = null!;
    private string _sparktf = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempFolder("sparktf-submit-");
        _sparktf = _temp.Write("bin/sparktf", FakeSparktf.Replace("\r", "", StringComparison.Ordinal) + "\n", executable: true);
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void The_wrapper_runs_sparktf_samples_on_the_spark_engine_for_the_date_into_its_own_output()
    {
        var result = Wrapper(null, "--date", "2024-05-01", "--input", "hdfs:///logs/din", "--output-root", "hdfs:///data/din/samples/",
            "--deploy-mode", "cluster", "--writer", "connector", "--connector", "linkedin", "--spark-conf", "spark.executor.memory=8g",
            "--", "--dry-run");

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        Assert.That(File.ReadAllLines(_temp["args"]), Is.EqualTo(new[]
        {
            "samples", "--engine", "spark", "--master", "yarn", "--deploy-mode", "cluster", "--writer", "connector",
            "--connector", "linkedin", "--spark-conf", "spark.executor.memory=8g", "--conf", "conf/din.yaml",
            "--date", "2024-05-01", "--input", "hdfs:///logs/din", "--output", "hdfs:///data/din/samples/dt=2024-05-01", "--dry-run",
        }));
    }

    [Test]
    public void The_wrapper_takes_its_settings_from_the_environment_and_defaults_to_yesterday()
    {
        var env = new Dictionary<string, string?>
        {
            ["SPARKTF_INPUT"] = "/in", ["SPARKTF_OUTPUT_ROOT"] = "/out", ["SPARKTF_MASTER"] = "local[2]",
            ["SPARKTF_CONF"] = "conf/wide.yaml", ["SPARKTF_SPARK_CONFS"] = "a=1 b=2", ["SPARKTF_SPARK_HOME"] = "/opt/spark",
        };

        var result = Wrapper(env);

        string yesterday = Processes.Run("date", ["-d", "yesterday", "+%Y-%m-%d"]).Stdout.Trim();
        Assert.That(result.ExitCode, Is.Zero, result.Output);
        Assert.That(string.Join(' ', File.ReadAllLines(_temp["args"])), Is.EqualTo(
            $"samples --engine spark --master local[2] --spark-home /opt/spark --spark-conf a=1 --spark-conf b=2 --conf conf/wide.yaml --date {yesterday} --input /in --output /out/dt={yesterday}"));
    }

    [Test]
    public void The_wrapper_exits_with_the_exit_code_of_sparktf_and_logs_with_timestamps()
    {
        var result = Wrapper(new Dictionary<string, string?> { ["FAKE_EXIT"] = "3" }, "--date", "2024-05-01", "--input", "i", "--output-root", "o");

        Assert.That(result.ExitCode, Is.EqualTo(3), result.Output);
        Assert.That(result.Stdout, Is.EqualTo("fake sparktf running\n"));
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.All.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} sparktf-daily\[\d+\]: "));
        Assert.That(result.Stderr, Does.Contain("date 2024-05-01: sparktf failed with exit code 3 after"));
    }

    [TestCase("TERM", 143)]
    [TestCase("INT", 130)]
    public void A_signal_to_the_wrapper_reaches_sparktf_and_the_wrapper_exits_with_its_code(string signal, int exitCode)
    {
        using var wrapper = RunningProcess.Start(s_wrapper, ["--date", "2024-05-01", "--input", "i", "--output-root", "o"],
            environment: Environment(new Dictionary<string, string?> { ["FAKE_SLEEP"] = "30" }));
        wrapper.WaitForLine("fake sparktf running");
        var sent = DateTime.UtcNow;

        Processes.Signal(wrapper.Id, signal);
        var result = wrapper.WaitForExit(20);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(exitCode), result.Output);
            Assert.That(DateTime.UtcNow - sent, Is.LessThan(TimeSpan.FromSeconds(10)));
            Assert.That(result.Stderr, Does.Contain($"received SIG{signal}; passing it on to sparktf"));
            Assert.That(result.Stderr, Does.Contain($"fake sparktf: got {signal}"));
            Assert.That(File.ReadAllText(_temp["args.signals"]), Is.EqualTo(signal + "\n"));
        });
    }

    [Test]
    public void A_second_run_for_the_same_output_exits_75_while_the_first_holds_the_lock()
    {
        string[] arguments = ["--date", "2024-05-01", "--input", "i", "--output-root", "o", "--lock-dir", _temp["locks"]];
        using var first = RunningProcess.Start(s_wrapper, arguments, environment: Environment(new Dictionary<string, string?> { ["FAKE_SLEEP"] = "30" }));
        first.WaitForLine("fake sparktf running");

        var second = Wrapper(null, arguments);
        var otherDate = Wrapper(null, ["--date", "2024-05-02", .. arguments[2..]]);
        Processes.Signal(first.Id, "TERM");
        first.WaitForExit(20);

        Assert.Multiple(() =>
        {
            Assert.That(second.ExitCode, Is.EqualTo(75), second.Output);
            Assert.That(second.Stderr, Does.Contain("another run for o/dt=2024-05-01 holds"));
            Assert.That(otherDate.ExitCode, Is.Zero, otherDate.Output);
        });
    }

    [TestCase("2024-02-30")]
    [TestCase("20240501")]
    [TestCase("yesterday")]
    public void A_date_that_is_not_a_calendar_date_is_a_usage_error(string date)
    {
        var result = Wrapper(null, "--date", date, "--input", "i", "--output-root", "o");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output);
        Assert.That(result.Stderr, Does.Contain("--date must be a calendar date YYYY-MM-DD"));
        Assert.That(File.Exists(_temp["args"]), Is.False);
    }

    [Test]
    public void Missing_settings_and_a_missing_sparktf_are_clear_errors()
    {
        var noInput = Wrapper(null, "--output-root", "o");
        var unknown = Wrapper(null, "--input", "i", "--output-root", "o", "--dry-run");
        var noSparktf = Wrapper(new Dictionary<string, string?> { ["SPARKTF_BIN"] = _temp["nowhere/sparktf"] }, "--input", "i", "--output-root", "o");

        Assert.Multiple(() =>
        {
            Assert.That(noInput.ExitCode, Is.EqualTo(2), noInput.Output);
            Assert.That(noInput.Stderr, Does.Contain("no input: pass --input DIR or set SPARKTF_INPUT"));
            Assert.That(unknown.ExitCode, Is.EqualTo(2), unknown.Output);
            Assert.That(unknown.Stderr, Does.Contain("unknown argument --dry-run (arguments for sparktf go after --)"));
            Assert.That(noSparktf.ExitCode, Is.EqualTo(127), noSparktf.Output);
            Assert.That(noSparktf.Stderr, Does.Contain("install the sparktf single-file build"));
        });
    }

    [Test]
    public void Every_shell_script_parses_and_is_executable()
    {
        string[] scripts =
        [
            .. Directory.GetFiles(Processes.InRepo("submit"), "*.sh"),
            .. Directory.GetFiles(Processes.InRepo("jars"), "*.sh"),
            .. Directory.GetFiles(Processes.InRepo("tests", "SparkTfrecord.Spark.Tests", "fake-spark", "bin")),
        ];

        Assert.That(scripts, Has.Length.GreaterThanOrEqualTo(5));
        Assert.Multiple(() =>
        {
            foreach (string script in scripts)
            {
                var result = Processes.Run("bash", ["-n", script]);
                Assert.That(result.ExitCode, Is.Zero, script + "\n" + result.Stderr);
                Assert.That(File.GetUnixFileMode(script) & UnixFileMode.UserExecute, Is.EqualTo(UnixFileMode.UserExecute), script + " is not executable");
            }
        });
    }

    [Test]
    public void The_oozie_workflow_goes_from_render_to_the_runner_to_the_success_check_and_every_transition_exists()
    {
        var workflow = XDocument.Load(Processes.InRepo("submit", "oozie", "workflow.xml")).Root!;
        var nodes = workflow.Elements().Select(e => (string?)e.Attribute("name")).Where(n => n is not null).ToHashSet();
        var targets = workflow.Descendants().Select(e => (string?)e.Attribute("to")).Where(t => t is not null).Distinct().ToList();

        var spark = workflow.Descendants().Single(e => e.Name.LocalName == "spark");
        XNamespace sparkNs = spark.Name.Namespace;
        Assert.Multiple(() =>
        {
            Assert.That(workflow.Name, Is.EqualTo(s_workflow + "workflow-app"));
            Assert.That(targets, Is.Not.Empty);
            Assert.That(targets, Is.SubsetOf(nodes));
            Assert.That((string?)workflow.Element(s_workflow + "start")!.Attribute("to"), Is.EqualTo("render"));
            Assert.That(spark.Element(sparkNs + "mode")!.Value, Is.EqualTo("cluster"));
            Assert.That(spark.Element(sparkNs + "jar")!.Value, Is.EqualTo("${runnerPath}"));
            Assert.That(spark.Elements(sparkNs + "arg").Select(a => a.Value), Is.EqualTo(new[] { "${scriptName}", "--report", "${reportPath}" }));
            Assert.That(spark.Element(sparkNs + "spark-opts")!.Value, Does.Contain("--files ${scriptPath}"));
            Assert.That(workflow.Descendants(s_workflow + "case").Single().Value, Does.Contain("fs:exists(concat(outputDir, '/_SUCCESS'))"));
            Assert.That(workflow.Descendants().Where(e => e.Name.LocalName == "argument").Select(a => a.Value),
                Has.Some.Contains("./sparktf plan --engine spark --master yarn --deploy-mode cluster"));
        });
    }

    [Test]
    public void The_oozie_coordinator_is_daily_and_every_dataset_is_done_when_its_success_flag_exists()
    {
        var coordinator = XDocument.Load(Processes.InRepo("submit", "oozie", "coordinator.xml")).Root!;
        var datasets = coordinator.Descendants(s_coordinator + "dataset").ToList();

        Assert.Multiple(() =>
        {
            Assert.That((string?)coordinator.Attribute("frequency"), Is.EqualTo("${coord:days(1)}"));
            Assert.That(datasets.Select(d => (string?)d.Attribute("name")), Is.EquivalentTo(new[] { "impressions", "clicks" }));
            Assert.That(datasets.Select(d => d.Element(s_coordinator + "done-flag")?.Value), Has.All.EqualTo("_SUCCESS"));
            Assert.That(coordinator.Descendants(s_coordinator + "data-in").Select(d => (string?)d.Attribute("dataset")),
                Is.EquivalentTo(new[] { "impressions", "clicks" }));
            Assert.That(coordinator.Descendants(s_coordinator + "property").Select(p => p.Element(s_coordinator + "name")!.Value),
                Is.SupersetOf(new[] { "date", "outputDir", "scriptName", "scriptPath", "reportPath" }));
        });
    }

    [Test]
    public void Every_parameter_the_oozie_files_use_is_set_by_job_properties_or_the_coordinator()
    {
        string folder = Processes.InRepo("submit", "oozie");
        var defined = File.ReadAllLines(Path.Combine(folder, "job.properties"))
            .Where(l => l.Contains('=', StringComparison.Ordinal) && !l.TrimStart().StartsWith('#'))
            .Select(l => l[..l.IndexOf('=', StringComparison.Ordinal)].Trim())
            .Concat(["date", "outputDir", "scriptName", "scriptPath", "reportPath", "YEAR", "MONTH", "DAY"])
            .ToHashSet();
        var used = Parameter().Matches(File.ReadAllText(Path.Combine(folder, "workflow.xml")) + File.ReadAllText(Path.Combine(folder, "coordinator.xml")))
            .Select(m => m.Groups[1].Value)
            .ToHashSet();

        Assert.That(used, Is.Not.Empty);
        Assert.That(used, Is.SubsetOf(defined));
    }

    private ProcessResult Wrapper(IReadOnlyDictionary<string, string?>? environment, params string[] arguments) =>
        Processes.Run(s_wrapper, arguments, _temp.Path, Environment(environment));

    private Dictionary<string, string?> Environment(IReadOnlyDictionary<string, string?>? extra)
    {
        var environment = new Dictionary<string, string?>
        {
            ["SPARKTF_BIN"] = _sparktf,
            ["FAKE_ARGS"] = _temp["args"],
            ["SPARKTF_INPUT"] = null, ["SPARKTF_OUTPUT_ROOT"] = null, ["SPARKTF_MASTER"] = null, ["SPARKTF_CONF"] = null,
            ["SPARKTF_SPARK_CONFS"] = null, ["SPARKTF_SPARK_HOME"] = null, ["SPARKTF_LOCK_DIR"] = null,
        };
        foreach (var (name, value) in extra ?? new Dictionary<string, string?>())
        {
            environment[name] = value;
        }

        return environment;
    }

    // ${name} as a plain parameter, not an EL function call such as ${coord:days(1)} or ${wf:id()}.
    [GeneratedRegex(@"\$\{([A-Za-z][A-Za-z0-9_]*)\}")]
    private static partial Regex Parameter();
}
