using System.Text.RegularExpressions;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Engines;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Engine.Sql;

namespace SparkTfrecord.Engine.Spark;

/// <summary>
/// What a Spark run needs before anything is started: the plan, where Spark writes, and the script. Used by
/// <c>samples --engine spark</c> (with <c>--dry-run</c> too) and by <c>plan --engine spark</c>, so all three show the
/// same script.
/// </summary>
public sealed class SparkSetup
{
    private const string InputPlaceholder = "{input}";

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

        RefuseSequences(definition);
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

        // Inputs: a local folder (file:, any bare path with a local master, a relative one with any) is read as file://
        // URIs whatever the master (LocalPaths), and its files are listed (so missing look-back days are left out, and
        // a missing day is an error before Spark starts).
        string? input = options.Input;
        bool localInput = input is not null && IsLocalPath(input, options);
        if (localInput)
        {
            input = Path.GetFullPath(StripFileScheme(input!));
        }

        // Only sources on this machine are listed: one below a cluster input, or with its own path on a cluster's file
        // system, is Spark's to read (listing it here would find nothing and leave its days out of the script).
        var plan = JobPlan.Create(definition, options.Date, input ?? InputPlaceholder,
            source => resolveLocalInputs && IsOnThisMachine(source, localInput, options), TechnicalColumns.Default);

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
    internal SparkScriptText Script(string? target = null)
    {
        string spark = target ?? Staging ?? Output;
        return SparkScript.Render(Plan, new SparkScriptOptions
        {
            Writer = Options.Writer,
            Connector = Options.Connector,
            Target = spark,
            LocalPaths = LocalPaths(spark),
            Legacy = Legacy,
            StateTarget = StateTarget,
        });
    }

    /// <summary>
    /// The script's paths that are on this machine, each by its own locality rather than the master's (docs/spark.md,
    /// "Paths"): with a local master every absolute path; with a cluster master the paths of the sources read below a
    /// local input (given as <c>file:</c>, or relative) and Spark's target when the output is local (its work folder, or
    /// the native writer's Parquet folder). The state's folders are always local (<see cref="SparkStateScript"/>).
    /// A bare absolute path with a cluster master stays bare: the cluster's default file system.
    /// </summary>
    private SparkLocalPaths LocalPaths(string target)
    {
        if (Options.IsLocalMaster)
        {
            return SparkLocalPaths.EveryAbsolutePath;
        }

        var local = new List<string>();
        if (LocalInput is not null)
        {
            // Only a template that starts with {input} is below the input; any other names its own file system.
            local.AddRange(Plan.Sources.Values.Where(s => s.Config.PathTemplate.StartsWith(InputPlaceholder, StringComparison.Ordinal)).SelectMany(s => s.Paths));
        }

        if (OutputIsLocal)
        {
            local.Add(target);
        }

        return SparkLocalPaths.Only(local);
    }

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

    /// <summary>Whether a source's files are on this machine, so the launcher lists them: a template below
    /// <c>{input}</c> is where the input is; any other by its own path (<see cref="IsLocalPath"/>), except a
    /// <c>file:</c> URI template, which Spark reads as written (its missing days fail the run rather than being left out).</summary>
    private static bool IsOnThisMachine(SourceConfig source, bool localInput, SparkRunOptions options) =>
        source.PathTemplate.StartsWith(InputPlaceholder, StringComparison.Ordinal)
            ? localInput
            : !source.PathTemplate.StartsWith("file:", StringComparison.Ordinal) && IsLocalPath(source.PathTemplate, options);

    private static bool HasScheme(string path) => Regex.IsMatch(path, "^[A-Za-z][A-Za-z0-9+.-]*://");

    private static string StripFileScheme(string path) =>
        path.StartsWith("file://", StringComparison.Ordinal) ? path["file://".Length..] : path.StartsWith("file:", StringComparison.Ordinal) ? path["file:".Length..] : path;

    /// <summary>
    /// Refuses a spec with sequence features: sequence samples (issue 14) are written by the embedded engine only, as
    /// the Spark script's writers make one tf.train.Example per row (docs/spark.md, "Sequence samples"). Checked before
    /// anything else of a Spark run, Spark's own presence included.
    /// </summary>
    /// <param name="definition">The spec and job section.</param>
    /// <exception cref="EngineSetupException">A feature is a sequence (<see cref="EngineSetupProblem.SequenceOnSpark"/>).</exception>
    internal static void RefuseSequences(JobDefinition definition)
    {
        if (definition.Features.FirstOrDefault(f => f.IsSequence) is { } sequence)
        {
            throw new EngineSetupException(EngineSetupProblem.SequenceOnSpark,
                $"{definition.File}: feature '{sequence.Name}' is a sequence (shape: seq), and the Spark engine writes tf.train.Example records only: " +
                "run this job with --engine duckdb (the default), which writes tf.train.SequenceExample records, or make the history 'shape: var'.");
        }
    }
}
