using System.Text.RegularExpressions;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Engines;
using SparkTfrecord.Engine.Planning;

namespace SparkTfrecord.Engine.Spark;

/// <summary>
/// What a Spark run needs before anything is started: the plan, where Spark writes, and the script. Used by
/// <c>samples --engine spark</c> (with <c>--dry-run</c> too) and by <c>plan --engine spark</c>, so all three show the
/// same script.
/// </summary>
public sealed class SparkSetup
{
    private SparkSetup(JobPlan plan, SparkRunOptions options, string output, bool outputIsLocal, string? staging)
    {
        Plan = plan;
        Options = options;
        Output = output;
        OutputIsLocal = outputIsLocal;
        Staging = staging;
    }

    /// <summary>The plan.</summary>
    internal JobPlan Plan { get; }

    /// <summary>The options.</summary>
    internal SparkRunOptions Options { get; }

    /// <summary>The output: a full local path when <see cref="OutputIsLocal"/>, else the URI or cluster path as given.</summary>
    internal string Output { get; }

    /// <summary>Whether the output is a folder on this machine.</summary>
    internal bool OutputIsLocal { get; }

    /// <summary>The native writer's Parquet folder (local, hidden beside the output), or null for the connector.</summary>
    internal string? Staging { get; }

    /// <summary>The input root as a full local path (<c>file:</c> removed), or null when the input is not on this
    /// machine (or not given): the launcher then cannot fingerprint the input files a state snapshot covers.</summary>
    internal string? LocalInput { get; private init; }

    /// <summary>Where Spark writes the next state snapshot's tables (a local folder), or null for none.</summary>
    internal string? StateTarget { get; private init; }

    /// <summary>The same setup with the plan of a state run (the stateful sources read only their uncovered days) and
    /// the snapshot's work folder as the state target.</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="stateTarget">The state snapshot's work folder.</param>
    /// <returns>The setup.</returns>
    internal SparkSetup WithState(JobPlan plan, string stateTarget) =>
        new(plan, Options, Output, OutputIsLocal, Staging) { LocalInput = LocalInput, StateTarget = stateTarget };

    /// <summary>Whether the script must be spelled for Spark before 3.2.</summary>
    internal bool Legacy => (Options.Writer == SparkWriter.Connector && Options.Connector == SparkConnector.TensorFlow) || Options.Version?.NeedsLegacySql == true;

    /// <summary>Makes the setup.</summary>
    /// <param name="definition">The spec and job section (output overrides applied).</param>
    /// <param name="options">The run's options.</param>
    /// <param name="resolveLocalInputs">List local input files (false for <c>plan</c> without an input).</param>
    /// <returns>The setup.</returns>
    /// <exception cref="EngineSetupException">The options do not fit together; the message says why.</exception>
    /// <exception cref="IOException">A required local source has no files.</exception>
    public static SparkSetup Create(JobDefinition definition, SparkRunOptions options, bool resolveLocalInputs = true)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(options);
        // The drift check reads the day's written shards back on this machine, which only the embedded engine does:
        // a Spark day would commit unchecked while the job asks for the check.
        if ((definition.Job.Checks ?? DayChecksConfig.Default).Baseline != StatisticsBaseline.None)
        {
            throw new JobConfigException($"{definition.File}: job.checks.baseline (the drift check against the previous day's statistics) runs on the embedded engine only: " +
                "run this job with --engine duckdb, or remove checks.baseline and compare the days with 'sparktf validate --baseline PREVIOUS_DAY_OUTPUT NEW_DAY_OUTPUT' after the run (docs/report.md).");
        }

        if (options.DeployMode == SparkDeployMode.Cluster && options.IsLocalMaster)
        {
            throw new EngineSetupException(EngineSetupProblem.SparkDeployMode, $"--deploy-mode cluster needs a cluster master (yarn, k8s://..., spark://...), not {options.Master}: a local master runs in client mode.");
        }

        if (options.Writer == SparkWriter.Connector && options.Connector == SparkConnector.TensorFlow && options.Version is { Major: >= 3 } v)
        {
            throw new EngineSetupException(EngineSetupProblem.SparkConnectorVersion, $"TensorFlow's connector works with Spark 2.4 only, not Spark {v}: use --connector linkedin (Spark 3.x) or --writer native.");
        }

        if (options.Writer == SparkWriter.Connector && definition.Job.Output.Index)
        {
            // The connectors write the shards on the executors through Hadoop's output format: no record offset comes
            // back to this machine, while the native writer's encode step writes every shard here and knows them all.
            throw new EngineSetupException(EngineSetupProblem.IndexWithConnector,
                "--index with --engine spark needs --writer native (Spark writes Parquet, sparktf writes the shards and their index files here); " +
                "the connector writers write the shards on the cluster and give no record offsets. Add --writer native, or run 'sparktf index OUTPUT' on a local copy afterwards.");
        }

        if (options.Writer == SparkWriter.Connector && definition.Job.Output.Limit is { } limit)
        {
            // Issue 14: sized shards are the hash-ordered stream cut into consecutive files. A connector writes one
            // file per Spark partition (REPARTITION by Spark's hash of the shard hash), in no order across files;
            // Spark's own maxRecordsPerFile only cuts each partition's file by records (SingleDirectoryDataWriter),
            // with no byte target: neither gives the files the native writer gives.
            throw new EngineSetupException(EngineSetupProblem.ShardLimitWithConnector,
                $"output.{limit.Key} (or --{limit.Key.Replace('_', '-')}) with --engine spark needs --writer native (Spark writes Parquet, sparktf cuts the shards here " +
                "in hash order, the same files as the embedded engine): the connector writers write one file per Spark partition, with no byte limit and in no order " +
                "across files. Add --writer native, or give output.shards (--shards N) for the connector.");
        }

        // Inputs: a local folder is read as file:// URIs by a local master, and its files are listed (so missing
        // look-back days are left out, and a missing day is an error before Spark starts).
        string? input = options.Input;
        bool localInput = input is not null && IsLocalPath(input, options);
        if (localInput)
        {
            input = Path.GetFullPath(StripFileScheme(input!));
        }

        var plan = JobPlan.Create(definition, options.Date, input ?? "{input}", resolveFiles: resolveLocalInputs && localInput);

        // Spark's CSV schema lists every column of the files (SparkDialect.ReadSource): from local files' headers.
        plan = InputScan.ApplyCsvHeaders(plan);

        string output = PathTemplate.ExpandOne(options.Output, options.Date);
        bool outputIsLocal = IsLocalPath(output, options);
        if (outputIsLocal)
        {
            output = Path.GetFullPath(StripFileScheme(output)).TrimEnd('/');
        }

        string? staging = null;
        if (options.Writer == SparkWriter.Native)
        {
            if (!outputIsLocal)
            {
                throw new EngineSetupException(EngineSetupProblem.SparkWriterOutput, $"--writer native writes the shards on this machine, so --output must be a folder it can see (local disk, NFS, a mounted bucket), not {output}; use --writer connector for {output}.");
            }

            staging = Path.Combine(Path.GetDirectoryName(output)!, $".{Path.GetFileName(output)}.spark-parquet");
        }

        return new SparkSetup(plan, options, output, outputIsLocal, staging) { LocalInput = localInput ? input : null };
    }

    /// <summary>The script's text as <c>sparktf plan --engine spark</c> prints it: it writes the output (or the staging
    /// folder) itself, so it can be run by hand.</summary>
    /// <returns>The script.</returns>
    public string ScriptText() => Script().Text();

    /// <summary>Renders the script, writing to <paramref name="target"/> (default: the output, or the staging folder).</summary>
    /// <param name="target">Where Spark writes, or null for the default.</param>
    /// <returns>The script.</returns>
    internal SparkScriptText Script(string? target = null) => SparkScript.Render(Plan, new SparkScriptOptions
    {
        Writer = Options.Writer,
        Connector = Options.Connector,
        Target = target ?? Staging ?? Output,
        LocalPaths = Options.IsLocalMaster,
        Legacy = Legacy,
        StateTarget = StateTarget,
    });

    /// <summary>The path where the PySpark runner writes its report in cluster mode: beside the output, hidden, on the
    /// output's file system (which the launcher can read back).</summary>
    internal string ReportPath
    {
        get
        {
            string o = Output.TrimEnd('/');
            int slash = o.LastIndexOf('/');
            return slash < 0 ? $".{o}.sparktf-report" : $"{o[..(slash + 1)]}.{o[(slash + 1)..]}.sparktf-report";
        }
    }

    /// <summary>Whether a path is on this machine: no scheme (and a local master, or an absolute path that exists here
    /// with a cluster master is still the cluster's default file system, so not), or a <c>file:</c> URI.</summary>
    /// <param name="path">The path.</param>
    /// <param name="options">The run's options.</param>
    /// <returns>True for a local path.</returns>
    internal static bool IsLocalPath(string path, SparkRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        if (path.StartsWith("file:", StringComparison.Ordinal))
        {
            return true;
        }

        if (HasScheme(path))
        {
            return false;
        }

        // Without a scheme a cluster resolves a path against its default file system (HDFS), except a relative one,
        // which only makes sense here; with a local master it is a local path.
        return options.IsLocalMaster || !path.StartsWith('/');
    }

    private static bool HasScheme(string path) => Regex.IsMatch(path, "^[A-Za-z][A-Za-z0-9+.-]*://");

    private static string StripFileScheme(string path) =>
        path.StartsWith("file://", StringComparison.Ordinal) ? path["file://".Length..] : path.StartsWith("file:", StringComparison.Ordinal) ? path["file:".Length..] : path;
}
