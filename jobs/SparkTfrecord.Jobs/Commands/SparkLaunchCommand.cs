using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Jobs;
using SparkTfrecord.Engine.Output;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Engine.Spark;
using SparkTfrecord.Tfrecord.Files;
using SparkTfrecord.Engine.Sql;

namespace SparkTfrecord.Jobs.Commands;

/// <summary>
/// <c>sparktf samples --engine spark</c>: writes the script, runs spark-sql (client) or spark-submit with the PySpark
/// runner (cluster) with its logs streamed to stderr, forwards SIGTERM / Ctrl-C (exit 143 / 130), checks
/// <c>_SUCCESS</c> and the reported count, then adds <c>_manifest.json</c> (connector) or runs the native encoder, and
/// prints the JSON summary.
/// </summary>
internal static partial class SparkEngineCommand
{
    /// <summary>Seconds between a forwarded signal and killing Spark's process tree (default 30).</summary>
    public const string KillAfterVariable = "SPARKTF_SPARK_KILL_AFTER";

    private static readonly object s_signalLock = new();
    private static SparkProcess? s_running;
    private static int? s_signal;

    // The failure of the day RunOne is on, for its summary: what failed and the counts known (set where it fails).
    private static string? s_failure;
    private static IReadOnlyDictionary<string, long>? s_failureCounts;

    public static int Samples(CliContext context, ParseResult result, JobOptions o, SparkOptions spark)
    {
        var (dates, output) = SamplesCommand.DatesAndOutput(result, o);
        if (!result.GetValue(spark.DryRun))
        {
            SamplesCommand.CheckSummaryTarget(result, o);
        }

        if (!TryLoad(context.Err, result, o, out var definition, out string? configError))
        {
            if (!result.GetValue(spark.DryRun))
            {
                SamplesCommand.WriteSummaries(context, result, o, [SamplesCommand.FailedBeforeStart(dates[0], output, "spark", configError!)], failed: true);
            }

            return ExitCodes.Failure;
        }

        using var cancel = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context, int code, int number)
        {
            context.Cancel = true;
            lock (s_signalLock)
            {
                s_signal ??= code;
                s_running?.Forward(number, KillAfter());
            }

            cancel.Cancel();
        }

        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => OnSignal(c, ExitCodes.Terminated, 15));
        using var intr = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => OnSignal(c, ExitCodes.Interrupted, 2));
        if (dates.Count > 1 && !result.GetValue(spark.DryRun))
        {
            CheckLocalOutputs(result, o, spark, definition, dates, output);
        }

        var summaries = new List<string>();
        foreach (var date in dates)
        {
            var clock = Stopwatch.StartNew();
            s_failure = null;
            s_failureCounts = null;
            int code = RunOne(context, result, o, spark, definition, date, output, cancel.Token, out string? summary);
            if (code != ExitCodes.Success)
            {
                // A failed day still gets its summary (status failed, the error, the counts known), after the days before it.
                string error = s_failure ?? (code == ExitCodes.Failure ? "the Spark run failed (see the messages above)" : $"stopped by {(code == ExitCodes.Terminated ? "SIGTERM" : "Ctrl-C")}");
                string target = output.Contains("://", StringComparison.Ordinal) ? PathTemplate.ExpandOne(output, date) : Path.GetFullPath(PathTemplate.ExpandOne(output, date));
                summaries.Add(SamplesSummary.Failed(date, target, "spark", error, s_failureCounts, clock.Elapsed.TotalSeconds).ToJson().TrimEnd());
                if (!result.GetValue(spark.DryRun))
                {
                    SamplesCommand.WriteSummaries(context, result, o, summaries, failed: true);
                }

                return code;
            }

            if (summary is not null)
            {
                summaries.Add(summary.TrimEnd());
            }
        }

        SamplesCommand.WriteSummaries(context, result, o, summaries);
        return ExitCodes.Success;
    }

    /// <summary>A backfill checks every day's local output with the output guard before the first day starts Spark, so a
    /// refused output stops it before any work (remote outputs are not checked here).</summary>
    private static void CheckLocalOutputs(ParseResult result, JobOptions o, SparkOptions spark, JobDefinition definition, IReadOnlyList<DateOnly> dates, string output)
    {
        string? input = result.GetValue(o.Input);
        foreach (var date in dates)
        {
            var options = spark.RunOptions(result, date, input, output);
            string expanded = PathTemplate.ExpandOne(output, date);
            if (!SparkSetup.IsLocalPath(expanded, options))
            {
                continue;
            }

            bool localInput = input is not null && SparkSetup.IsLocalPath(input, options);
            var plan = JobPlan.Create(definition, date, localInput ? input : "{input}", resolveFiles: false);
            OutputGuard.CheckFolder(expanded, new OutputGuardOptions
            {
                Force = result.GetValue(o.Force),
                InputPaths = OutputGuard.InputsOf(plan, localInput ? input : null),
            });
        }
    }

    private static int RunOne(CliContext context, ParseResult result, JobOptions o, SparkOptions spark, JobDefinition definition, DateOnly date, string output, CancellationToken cancellation, out string? summary)
    {
        summary = null;
        var err = context.Err;
        var clock = Stopwatch.StartNew();
        bool dryRun = result.GetValue(spark.DryRun);
        var options = spark.RunOptions(result, date, result.GetValue(o.Input), output);
        bool cluster = options.DeployMode == SparkDeployMode.Cluster;
        string program = cluster ? "spark-submit" : "spark-sql";

        // Spark: --spark-home, else $SPARK_HOME; a dry run prints the command even without one.
        string? home = result.GetValue(spark.SparkHome) ?? Environment.GetEnvironmentVariable("SPARK_HOME");
        string? missing = home is null ? "SPARK_HOME is not set and --spark-home was not given"
            : !File.Exists(Path.Combine(home, "bin", program)) ? $"{Path.Combine(home, "bin", program)} does not exist"
            : !File.Exists(Path.Combine(home, "bin", "spark-submit")) ? $"{Path.Combine(home, "bin", "spark-submit")} does not exist" : null;
        if (missing is not null && !dryRun)
        {
            s_failure = $"Spark not found: {missing}.";
            err.WriteLine($"sparktf: Spark not found: {missing}. The Spark engine runs the cluster's own Spark: install a Spark distribution " +
                          "(3.3 or later; 2.4 for --connector tensorflow) from https://spark.apache.org/downloads.html, or use the Spark client of your " +
                          "cluster's edge node, and set SPARK_HOME or pass --spark-home DIR (it needs bin/spark-submit and bin/spark-sql). " +
                          "Without Spark, run the embedded engine: --engine duckdb.");
            return ExitCodes.Failure;
        }

        string programPath = missing is null ? Path.Combine(home!, "bin", program) : "$SPARK_HOME/bin/" + program;

        // The connector's jar: the user's (spark.jars / spark.jars.packages), else --packages for this Spark version.
        bool userJars = options.SparkConf.Any(c => c.StartsWith("spark.jars=", StringComparison.Ordinal) || c.StartsWith("spark.jars.packages=", StringComparison.Ordinal));
        string? packages = null;
        if (options.Writer == SparkWriter.Connector && !userJars)
        {
            var version = options.Version;
            if (version is null && missing is null && !dryRun)
            {
                var (code, banner) = SparkProcess.RunToEnd(Path.Combine(home!, "bin", "spark-submit"), ["--version"], 120);
                version = code == 0 ? SparkVersion.FromBanner(banner) : null;
                if (version is null)
                {
                    err.WriteLine($"sparktf: could not read the Spark version from spark-submit --version (exit {code}); assuming the newest the connector supports. Pass --spark-version to say it.");
                }
            }

            version ??= options.Connector == SparkConnector.TensorFlow ? new SparkVersion(2, 4, "2.11") : new SparkVersion(3, 5, "2.12");
            options = With(options, version);
            try
            {
                packages = ConnectorJar.Choose(ConnectorJar.Parse(Resource("connectors.tsv")), options.Connector, version).Coordinates;
            }
            catch (InvalidOperationException e)
            {
                err.WriteLine($"sparktf: {e.Message}");
                return ExitCodes.Failure;
            }
        }

        SparkSetup setup;
        try
        {
            setup = SparkSetup.Create(definition, options);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }

        string name = $"sparktf-{Path.GetFileNameWithoutExtension(definition.File)}-{date:yyyy-MM-dd}";
        string reportUri = setup.OutputIsLocal ? "file://" + setup.ReportPath : setup.ReportPath;
        if (dryRun)
        {
            var script = setup.Script(LaunchTarget(setup));
            string scriptName = name + ".sql";
            var args = Arguments(options, name, packages, scriptName, cluster ? "spark_sql_runner.py" : null, reportUri);
            context.Out.Write($"/* command: {Quote(programPath)} {string.Join(' ', args.Select(Quote))} */\n");
            context.Out.Write($"/* output: {DescribeOutput(setup)} */\n");
            context.Out.Write($"/* script {scriptName}: */\n");
            context.Out.Write(script.Text());
            return ExitCodes.Success;
        }

        // A local output is locked for the whole run, written in a hidden work folder and put in place atomically.
        OutputCommitter? committer = null;
        string? temp = null;
        bool keepTemp = false;
        try
        {
            if (setup.OutputIsLocal)
            {
                committer = OutputCommitter.Begin(setup.Output, new OutputCommitOptions
                {
                    NoClobber = result.GetValue(o.NoClobber),
                    Force = result.GetValue(o.Force),
                    InputPaths = OutputGuard.InputsOf(setup.Plan, options.Input),
                });
            }

            string target = setup.Staging ?? committer?.WorkDirectory ?? setup.Output;
            if (committer is not null && setup.Staging is null)
            {
                // Spark creates the folder it writes (TensorFlow's connector refuses one that exists).
                Directory.Delete(committer.WorkDirectory, recursive: true);
            }

            if (setup.Staging is not null && Directory.Exists(setup.Staging))
            {
                Directory.Delete(setup.Staging, recursive: true);
            }

            if (cluster && setup.OutputIsLocal && File.Exists(setup.ReportPath))
            {
                File.Delete(setup.ReportPath);
            }
            else if (cluster && !setup.OutputIsLocal && Hadoop() is { } hadoop)
            {
                // An earlier run's report (its counts or its failure) must not be read as this run's.
                _ = SparkProcess.RunToEnd(hadoop, ["fs", "-rm", "-f", reportUri]);
            }

            var script = setup.Script(target);
            temp = Directory.CreateTempSubdirectory("sparktf-spark-").FullName;
            string scriptPath = Path.Combine(temp, name + ".sql");
            File.WriteAllText(scriptPath, script.Text(), new UTF8Encoding(false));
            string? runner = null;
            if (cluster)
            {
                runner = Path.Combine(temp, "spark_sql_runner.py");
                File.WriteAllText(runner, Resource("spark_sql_runner.py"), new UTF8Encoding(false));
            }

            var arguments = Arguments(options, name, packages, scriptPath, runner, reportUri);
            err.WriteLine($"sparktf: {date:yyyy-MM-dd}: running {Quote(programPath)} {string.Join(' ', arguments.Select(Quote))}");
            int exit;
            bool badRowsFailure = false;
            lock (s_signalLock)
            {
                if (s_signal is { } early)
                {
                    return early;
                }

                s_running = SparkProcess.Start(programPath, arguments, line =>
                {
                    if (SparkReport.IsBadRowsFailure(line))
                    {
                        Volatile.Write(ref badRowsFailure, true);
                    }

                    err.WriteLine(line);
                });
            }

            try
            {
                exit = s_running.WaitForExit();
            }
            finally
            {
                lock (s_signalLock)
                {
                    s_running.Dispose();
                }
            }

            var stdout = s_running.Stdout;
            lock (s_signalLock)
            {
                s_running = null;
                if (s_signal is { } code)
                {
                    err.WriteLine($"sparktf: samples: stopped by {(code == ExitCodes.Terminated ? "SIGTERM" : "Ctrl-C")}, forwarded to {program} (which exited with {exit}); " +
                                  (setup.OutputIsLocal ? "temporary files removed, the output is as it was." : $"{setup.Output} may hold a partial Spark output without _SUCCESS."));
                    return code;
                }
            }

            double maxBad = setup.Plan.Job.MaxBadFraction;
            if (exit != 0)
            {
                string outputState = setup.OutputIsLocal ? "the output is as it was" : $"{setup.Output} has no _SUCCESS";
                bool badRows = Volatile.Read(ref badRowsFailure);
                var inputCounts = SparkReport.ParseInputCounts(stdout, script.InputCounts);
                if (cluster && ReadReport(reportUri, script.Report, script.InputCounts) is { } failed)
                {
                    // The driver's log stays on the cluster: the runner's report file names the failed statement, and
                    // the input counts when the bad-rows check is what stopped it.
                    if (failed.Failure is { } failure)
                    {
                        err.WriteLine($"sparktf: the Spark SQL runner's report: {failure}");
                        badRows |= SparkReport.IsBadRowsFailure(failure);
                    }

                    inputCounts ??= failed.InputCounts;
                }

                if (badRows || (inputCounts is not null && OverLimit(inputCounts, maxBad)))
                {
                    return Fail(err, TooManyBadRows(inputCounts, maxBad, $"The Spark script stopped at its bad-rows check, before writing ({program} exited with {exit}), so {outputState}."), inputCounts);
                }

                keepTemp = true;
                return Fail(err, $"{program} failed with exit code {exit}: the Spark job did not finish (its log is above). The script is kept at {scriptPath}; {outputState}.", inputCounts);
            }

            // The checks: the reported count, and _SUCCESS where Spark wrote.
            var counts = cluster ? ReadReport(reportUri, script.Report, script.InputCounts)?.Counts : SparkReport.Parse(stdout, script.Report);
            if (counts is null || !counts.ContainsKey("written"))
            {
                keepTemp = true;
                return Fail(err, $"{program} exited 0 but reported no sample count ({(cluster ? "no report at " + reportUri : "no sparktf_samples_written row on its stdout")}): " +
                                 $"the script's last statement did not run. Not reporting success. The script is kept at {scriptPath}.", counts);
            }

            // The script checked the bad rows before writing; the report's counts are checked again, so that a script
            // whose check did not run never commits an output over the limit.
            if (OverLimit(counts, maxBad))
            {
                return Fail(err, TooManyBadRows(counts, maxBad, $"{program} reported them after writing (the script's own check did not stop it); " +
                    (setup.OutputIsLocal ? "nothing was committed: the output is as it was." : $"{setup.Output} was written, but no _manifest.json was added.")), counts);
            }

            bool split = definition.Job.Sampling.EvalFraction > 0 && options.Writer == SparkWriter.Connector;
            var successDirs = split ? new[] { target.TrimEnd('/') + "/train", target.TrimEnd('/') + "/eval" } : [target];
            foreach (string dir in successDirs)
            {
                if (!SuccessExists(dir, setup.OutputIsLocal, err))
                {
                    keepTemp = true;
                    return Fail(err, $"{program} exited 0 but {dir}/_SUCCESS is missing: Spark's committer did not finish the output. Not reporting success.", counts);
                }
            }

            // The day's sanity checks (DayChecks, as the embedded engine): the report's counts, before anything is put
            // in place. A local output is still in the hidden work folder (or Spark's Parquet in staging) and is dropped;
            // a remote output Spark wrote in place, so its _SUCCESS markers are removed and no _manifest.json is added.
            if (DayChecks.Check(setup.Plan, counts) is { } dayFailure)
            {
                string outcome;
                if (setup.OutputIsLocal || options.Writer == SparkWriter.Native)
                {
                    outcome = setup.OutputIsLocal ? $"Nothing was committed: {setup.Output} is as it was." : $"Nothing was encoded into {setup.Output}.";
                }
                else
                {
                    var removed = Hadoop() is { } hadoop
                        ? successDirs.Where(d => SparkProcess.RunToEnd(hadoop, ["fs", "-rm", "-f", d.TrimEnd('/') + "/_SUCCESS"]).ExitCode == 0).ToList()
                        : [];
                    outcome = $"Spark wrote {setup.Output} in place (a remote output has no commit step); " +
                              (removed.Count == successDirs.Length ? "its _SUCCESS was removed so that nothing downstream takes the day as done, " : "its _SUCCESS could not be removed (no hadoop command): remove it before anything downstream reads the day, ") +
                              "and no _manifest.json was added.";
                }

                return Fail(err, $"{dayFailure} {outcome}", counts);
            }

            RunCounts.AddDerived(counts);
            string engineName = $"spark {options.Version?.ToString() ?? ""}".TrimEnd() + $" ({options.Master}, {(cluster ? "cluster" : "client")} mode, {(options.Writer == SparkWriter.Native ? "native writer" : "connector " + options.Connector.ToString().ToLowerInvariant())})";
            if (options.Writer == SparkWriter.Native)
            {
                err.WriteLine($"sparktf: {date:yyyy-MM-dd}: Spark wrote {counts["written"]} samples as Parquet; encoding them into {setup.Output}");
                var encoded = EncodeJob.Run(definition, new EncodeJobOptions
                {
                    Inputs = [setup.Staging!],
                    Output = setup.Output,
                    Committer = committer,
                    Plan = setup.Plan,
                    EngineName = engineName + " + sparktf encode",
                    Counts = counts,
                    ExpectedRecords = counts["written"],
                }, cancellation);
                Directory.Delete(setup.Staging!, recursive: true);
                counts["positives"] = encoded.Positives;
            }
            else if (committer is not null)
            {
                var parts = Directory.EnumerateFiles(committer.WorkDirectory, "*", SearchOption.AllDirectories)
                    .Where(f => Path.GetRelativePath(committer.WorkDirectory, f).Split('/').All(TfRecordPaths.IsDataFileName))
                    .Order(StringComparer.Ordinal)
                    .Select(f => (Path.GetRelativePath(committer.WorkDirectory, f), new FileInfo(f).Length))
                    .ToList();
                SparkManifest.Write(Path.Combine(committer.WorkDirectory, "_manifest.json"), setup.Plan, engineName, parts, counts);
                committer.Commit();
            }
            else
            {
                string manifest = Path.Combine(temp, "_manifest.json");
                SparkManifest.Write(manifest, setup.Plan, engineName, [], counts);
                if (Hadoop() is { } hadoop)
                {
                    var (code, text) = SparkProcess.RunToEnd(hadoop, ["fs", "-put", "-f", manifest, setup.Output.TrimEnd('/') + "/_manifest.json"]);
                    if (code != 0)
                    {
                        err.WriteLine($"sparktf: warning: could not put _manifest.json into {setup.Output}: {text}");
                    }
                }
                else
                {
                    err.WriteLine($"sparktf: warning: no hadoop command (HADOOP_HOME or PATH), so _manifest.json was not written to {setup.Output}.");
                }
            }

            if (setup.OutputIsLocal)
            {
                SamplesJob.RemoveStaleQuarantine(setup.Output);
            }

            var histories = definition.Job.Histories.ToDictionary(
                h => h.Feature,
                h => (counts.GetValueOrDefault($"history_min.{h.Feature}"),
                      counts["written"] == 0 ? 0.0 : (double)counts.GetValueOrDefault($"history_sum.{h.Feature}") / counts["written"],
                      counts.GetValueOrDefault($"history_max.{h.Feature}")));
            foreach (string k in counts.Keys.Where(k => k.StartsWith("history_", StringComparison.Ordinal)).ToList())
            {
                counts.Remove(k);
            }

            summary = new SamplesSummary(date, setup.Output, counts, histories, [], clock.Elapsed.TotalSeconds, engineName).ToJson();
            var (rowsRead, rowsBad) = Totals(counts);
            err.WriteLine($"sparktf: {date:yyyy-MM-dd}: {counts["written"]} samples in {setup.Output}" +
                          (rowsBad > 0 ? $"; {rowsBad} of {rowsRead} input rows were bad and left out (counted as quarantined; the Spark engine keeps no quarantine file)" : ""));
            return ExitCodes.Success;
        }
        catch (OperationCanceledException)
        {
            int code = s_signal ?? ExitCodes.Interrupted;
            err.WriteLine($"sparktf: samples: stopped by {(code == ExitCodes.Terminated ? "SIGTERM" : "Ctrl-C")}; temporary files removed, the output is as it was.");
            return code;
        }
        catch (Exception e) when (e is OutputLockedException or OutputExistsException or IOException or DuckDB.NET.Data.DuckDBException)
        {
            return Fail(err, e.Message, null);
        }
        finally
        {
            committer?.Dispose();
            if (setup.Staging is not null && Directory.Exists(setup.Staging) && !keepTemp)
            {
                Directory.Delete(setup.Staging, recursive: true);
            }

            if (temp is not null && !keepTemp)
            {
                Directory.Delete(temp, recursive: true);
            }
        }
    }

    /// <summary>Reports a failure on stderr and keeps it, with the counts known, for the failed day's summary.</summary>
    private static int Fail(TextWriter err, string message, IReadOnlyDictionary<string, long>? counts)
    {
        const string prefix = "sparktf: ";
        s_failure = message.StartsWith(prefix, StringComparison.Ordinal) ? message[prefix.Length..] : message;
        s_failureCounts = counts;
        err.WriteLine(prefix + s_failure);
        return ExitCodes.Failure;
    }

    /// <summary>All rows read and bad: the sums of the per-source <c>read.SOURCE</c> and <c>quarantined.SOURCE</c>
    /// counts (the summary's rows_read and quarantined).</summary>
    private static (long Read, long Bad) Totals(IReadOnlyDictionary<string, long> counts) =>
        (counts.Where(c => c.Key.StartsWith("read.", StringComparison.Ordinal)).Sum(c => c.Value),
         counts.Where(c => c.Key.StartsWith("quarantined.", StringComparison.Ordinal)).Sum(c => c.Value));

    /// <summary>The embedded engine's rule: rows were read and bad / read is above the limit.</summary>
    private static bool OverLimit(IReadOnlyDictionary<string, long> counts, double maxBad)
    {
        var (read, bad) = Totals(counts);
        return read > 0 && (double)bad / read > maxBad;
    }

    /// <summary>The error of a run stopped by the bad-rows check, with the counts when Spark printed them.</summary>
    private static string TooManyBadRows(IReadOnlyDictionary<string, long>? counts, double maxBad, string what)
    {
        string limit = maxBad.ToString("R", CultureInfo.InvariantCulture);
        string found;
        if (counts is not null)
        {
            var (read, bad) = Totals(counts);
            var sources = counts.Keys.Where(k => k.StartsWith("read.", StringComparison.Ordinal)).Select(k => k["read.".Length..])
                .Select(s => $"{s} {counts.GetValueOrDefault("quarantined." + s)} of {counts[$"read.{s}"]}");
            string fraction = read > 0 ? (100.0 * bad / read).ToString("0.###", CultureInfo.InvariantCulture) + "%" : "0%";
            found = $"{bad} of {read} input rows are bad ({fraction}: {string.Join(", ", sources)})";
        }
        else
        {
            found = $"more than {limit} of the input rows are bad (the counts are in Spark's log)";
        }

        return $"sparktf: too many bad input rows: {found}, above the limit of {limit} (quarantine.max_bad_fraction or --max-bad-fraction). " +
               what + " " +
               "Fix the bad rows (null keys, unparsable times, malformed lines: the embedded engine, --engine duckdb, lists them with their reasons in its quarantine), " +
               "or raise --max-bad-fraction if they may be dropped.";
    }

    /// <summary>The spark-sql (client) or spark-submit (cluster) arguments.</summary>
    private static List<string> Arguments(SparkRunOptions options, string name, string? packages, string script, string? runner, string report)
    {
        var args = new List<string> { "--master", options.Master, "--deploy-mode", options.DeployMode == SparkDeployMode.Cluster ? "cluster" : "client", "--name", name };
        if (packages is not null)
        {
            args.Add("--packages");
            args.Add(packages);
        }

        foreach (string conf in options.SparkConf)
        {
            args.Add("--conf");
            args.Add(conf);
        }

        if (runner is null)
        {
            // spark-sql prints the report row's column names, so the launcher finds the count by name.
            args.AddRange(["--hiveconf", "hive.cli.print.header=true", "-f", script]);
        }
        else
        {
            args.AddRange(["--files", script, runner, Path.GetFileName(script), "--report", report]);
        }

        return args;
    }

    private static SparkRunOptions With(SparkRunOptions o, SparkVersion version) => new()
    {
        Date = o.Date,
        Input = o.Input,
        Output = o.Output,
        Master = o.Master,
        DeployMode = o.DeployMode,
        Writer = o.Writer,
        Connector = o.Connector,
        Version = version,
        SparkConf = o.SparkConf,
    };

    /// <summary>The runner's report file (cluster mode), read once: a local one is deleted after reading.</summary>
    private static SparkReportFile? ReadReport(string uri, IReadOnlyList<CountColumn> columns, IReadOnlyList<CountColumn> inputColumns)
    {
        string? text = null;
        if (uri.StartsWith("file://", StringComparison.Ordinal))
        {
            string path = uri["file://".Length..];
            text = File.Exists(path) ? File.ReadAllText(path) : null;
            if (text is not null)
            {
                File.Delete(path);
            }
        }
        else if (Hadoop() is { } hadoop)
        {
            var (code, output) = SparkProcess.RunToEnd(hadoop, ["fs", "-cat", uri]);
            text = code == 0 ? output : null;
        }

        return text is null ? null : SparkReport.ParseFile(text, columns, inputColumns);
    }

    private static bool SuccessExists(string dir, bool local, TextWriter err)
    {
        if (local)
        {
            return File.Exists(Path.Combine(dir, "_SUCCESS"));
        }

        if (Hadoop() is not { } hadoop)
        {
            err.WriteLine($"sparktf: warning: no hadoop command (HADOOP_HOME or PATH) to check {dir}/_SUCCESS; relying on Spark's exit code and reported count.");
            return true;
        }

        return SparkProcess.RunToEnd(hadoop, ["fs", "-test", "-e", dir.TrimEnd('/') + "/_SUCCESS"]).ExitCode == 0;
    }

    private static string? Hadoop()
    {
        if (Environment.GetEnvironmentVariable("HADOOP_HOME") is { } home && File.Exists(Path.Combine(home, "bin", "hadoop")))
        {
            return Path.Combine(home, "bin", "hadoop");
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => Path.Combine(p, "hadoop")).FirstOrDefault(File.Exists);
    }

    private static double KillAfter() =>
        double.TryParse(Environment.GetEnvironmentVariable(KillAfterVariable), NumberStyles.Float, CultureInfo.InvariantCulture, out double s) && s >= 0 ? s : 30;

    private static string Resource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name) ?? throw new InvalidOperationException("missing resource " + name);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Quotes an argument for a POSIX shell when it needs it.</summary>
    private static string Quote(string s) =>
        s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%$".Contains(c)) ? s : "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
