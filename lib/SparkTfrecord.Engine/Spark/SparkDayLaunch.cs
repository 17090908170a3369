using System.Diagnostics;
using System.Runtime.InteropServices;
using SparkTfrecord.Engine.Engines;
using SparkTfrecord.Engine.Jobs;

namespace SparkTfrecord.Engine.Spark;

/// <summary>
/// One day of a <see cref="SparkLauncher"/> run: finds Spark and the connector jar, prepares the output (lock, work
/// folder, stale report), runs Spark, checks what it reports, and adds the manifest or encodes. A failure is reported
/// on the log and kept, with the counts known, in <see cref="Failure"/> and <see cref="FailureCounts"/> for the day's
/// summary.
/// </summary>
internal sealed class SparkDayLaunch
{
    private const string SparkFailed = "the Spark run failed (see the messages above)";

    private readonly SparkLaunchOptions _launch;
    private readonly TextWriter _log;
    private readonly DateOnly _date;
    private readonly bool _cluster;
    private readonly string _program;
    private readonly string _name;
    private SparkRunOptions _options;

    public SparkDayLaunch(SparkLaunchOptions launch, SparkRunOptions options, TextWriter log)
    {
        _launch = launch;
        _options = options;
        _log = log;
        _date = options.Date;
        _cluster = options.DeployMode == SparkDeployMode.Cluster;
        _program = _cluster ? "spark-submit" : "spark-sql";
        _name = $"sparktf-{Path.GetFileNameWithoutExtension(launch.Definition.File)}-{_date:yyyy-MM-dd}";
    }

    /// <summary>The day's error (without the <c>sparktf: </c> prefix) once it failed.</summary>
    public string Failure { get; private set; } = SparkFailed;

    /// <summary>The counts known when the day failed, or null.</summary>
    public IReadOnlyDictionary<string, long>? FailureCounts { get; private set; }

    /// <summary>The signal a stop forwards to Spark.</summary>
    public static PosixSignal Signal(SparkLaunchOptions launch) => launch.Run.StopSignal?.Invoke() ?? PosixSignal.SIGTERM;

    /// <summary>Writes the day's dry run: the command, where the output goes, and the script; false when it failed.</summary>
    public bool Describe(TextWriter output)
    {
        string? missing = MissingSpark();
        if (!TryConnectorPackages(missing, dryRun: true, out string? packages))
        {
            return false;
        }

        var setup = Setup();
        using var state = PrepareState(setup, out string? stateReason);
        if (state is not null)
        {
            setup = setup.WithState(state.Plan, SparkWorkFolder.Form(state.SnapshotFolder));
        }

        string programPath = missing is null ? Path.Combine(_launch.Run.SparkHome!, "bin", _program) : "$SPARK_HOME/bin/" + _program;
        var script = setup.Script(SparkWorkFolder.LaunchTarget(setup));
        string scriptName = _name + ".sql";
        var args = SparkSubmitArguments.For(_options, _name, packages, scriptName, _cluster ? SparkResources.Runner : null, ReportUri(setup));
        output.Write($"/* command: {SparkSubmitArguments.Shown(programPath, args)} */\n");
        output.Write($"/* output: {SparkWorkFolder.DescribeOutput(setup)} */\n");
        output.Write($"/* script {scriptName}: */\n");
        output.Write(script.Text());
        return true;
    }

    /// <summary>Runs the day: its summary, or null when it failed (see <see cref="Failure"/>).</summary>
    /// <exception cref="JobStoppedException">The token was cancelled.</exception>
    public SamplesSummary? Run(CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();

        // Spark: --spark-home, else $SPARK_HOME (the caller's choice); a dry run prints the command even without one.
        if (MissingSpark() is { } missing)
        {
            Failure = $"Spark not found: {missing}.";
            _log.WriteLine($"sparktf: Spark not found: {missing}. The Spark engine runs the cluster's own Spark: install a Spark distribution " +
                           "(3.3 or later; 2.4 for --connector tensorflow) from https://spark.apache.org/downloads.html, or use the Spark client of your " +
                           "cluster's edge node, and set SPARK_HOME or pass --spark-home DIR (it needs bin/spark-submit and bin/spark-sql). " +
                           "Without Spark, run the embedded engine: --engine duckdb.");
            return null;
        }

        if (!TryConnectorPackages(null, dryRun: false, out string? packages))
        {
            return null;
        }

        var setup = Setup();
        if (setup.Plan.MissingInputsNote is { } missingInputs)
        {
            _log.WriteLine($"sparktf: {Planning.PathTemplate.Format(_date)} input: {missingInputs}");
        }

        var state = PrepareState(setup, out string? stateReason);
        var run = new SparkDayOutput(_launch, _options, setup, _log) { State = state, StateReason = stateReason };
        try
        {
            return run.Run(_name, packages, clock, cancellation) ?? Failed(run);
        }
        finally
        {
            run.Dispose();
            state?.Dispose();
        }
    }

    /// <summary>The day's state run when the job keeps state (<c>--state</c> or the job's <c>state:</c>), or null; the
    /// reason (null without state) is said on the log as the embedded engine says it.</summary>
    private SparkStateRun? PrepareState(SparkSetup setup, out string? reason)
    {
        reason = null;
        if (SparkStateRun.Folder(_launch.Definition, _launch.Run.State, _options.Input, _date) is not { } folder)
        {
            return null;
        }

        (var state, reason) = SparkStateRun.Prepare(_launch.Definition, setup, folder, _launch.Run.Force);
        _log.WriteLine($"sparktf: {Planning.PathTemplate.Format(_date)} state: {reason}");
        return state;
    }

    private SamplesSummary? Failed(SparkDayOutput run)
    {
        Failure = run.Failure ?? SparkFailed;
        FailureCounts = run.FailureCounts;
        return null;
    }

    /// <summary>What is missing of Spark (null when bin/spark-sql or bin/spark-submit, and bin/spark-submit, are there).</summary>
    private string? MissingSpark()
    {
        string? home = _launch.Run.SparkHome;
        return home is null ? "SPARK_HOME is not set and --spark-home was not given"
            : !File.Exists(Path.Combine(home, "bin", _program)) ? $"{Path.Combine(home, "bin", _program)} does not exist"
            : !File.Exists(Path.Combine(home, "bin", "spark-submit")) ? $"{Path.Combine(home, "bin", "spark-submit")} does not exist" : null;
    }

    /// <summary>
    /// The connector's jar for <c>--packages</c>: none when the user gives one (spark.jars / spark.jars.packages) or the
    /// native writer runs, else the row of connectors.tsv for the Spark version (asked from spark-submit --version
    /// when not given; a dry run assumes the newest). False when no jar fits (reported on the log).
    /// </summary>
    private bool TryConnectorPackages(string? missingSpark, bool dryRun, out string? packages)
    {
        packages = null;
        bool userJars = _options.SparkConf.Any(c => c.StartsWith("spark.jars=", StringComparison.Ordinal) || c.StartsWith("spark.jars.packages=", StringComparison.Ordinal));
        if (_options.Writer != SparkWriter.Connector || userJars)
        {
            return true;
        }

        var version = _options.Version;
        if (version is null && missingSpark is null && !dryRun)
        {
            var (code, banner) = SparkProcess.RunToEnd(Path.Combine(_launch.Run.SparkHome!, "bin", "spark-submit"), ["--version"], 120);
            version = code == 0 ? SparkVersion.FromBanner(banner) : null;
            if (version is null)
            {
                _log.WriteLine($"sparktf: could not read the Spark version from spark-submit --version (exit {code}); assuming the newest the connector supports. Pass --spark-version to say it.");
            }
        }

        version ??= _options.Connector == SparkConnector.TensorFlow ? new SparkVersion(2, 4, "2.11") : new SparkVersion(3, 5, "2.12");
        _options = _options with { Version = version };
        try
        {
            packages = ConnectorJar.Choose(ConnectorJar.Parse(SparkResources.Text(SparkResources.Connectors)), _options.Connector, version).Coordinates;
            return true;
        }
        catch (EngineSetupException e) when (e.Problem == EngineSetupProblem.SparkConnectorJar)
        {
            _log.WriteLine($"sparktf: {e.Message}");
            return false;
        }
    }

    private SparkSetup Setup() => SparkSetup.Create(_launch.Definition, _options);

    /// <summary>Where the PySpark runner writes its report (cluster mode), as a URI Spark and the launcher both read.</summary>
    internal static string ReportUri(SparkSetup setup) => setup.OutputIsLocal ? "file://" + setup.ReportPath : setup.ReportPath;
}
