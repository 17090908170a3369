using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using SparkTfrecord.Engine.Jobs;
using SparkTfrecord.Engine.Output;
using SparkTfrecord.Engine.Sql;
using SparkTfrecord.Tfrecord.Files;

namespace SparkTfrecord.Engine.Spark;

/// <summary>
/// A day's run of Spark and what follows it: a local output is locked for the whole run, written in a hidden work
/// folder and put in place atomically; the script and the runner go to a temporary folder, removed at the end unless a
/// failure keeps it for the user to look at. Dispose releases the lock and removes what the run left.
/// </summary>
internal sealed class SparkDayOutput(SparkLaunchOptions launch, SparkRunOptions options, SparkSetup setup, TextWriter log) : IDisposable
{
    // What a stop leaves of a local output, or of any output before Spark starts (the caller adds the signal's name).
    private const string Stopped = "temporary files removed, the output is as it was";

    private readonly bool _cluster = options.DeployMode == SparkDeployMode.Cluster;
    private readonly string _reportUri = SparkDayLaunch.ReportUri(setup);
    private readonly HadoopCommand? _hadoop = setup.OutputIsLocal ? null : HadoopCommand.Find(launch.Hadoop);
    private OutputCommitter? _committer;
    private string? _temp;
    private bool _keepTemp;

    private string Program => _cluster ? "spark-submit" : "spark-sql";

    /// <summary>Whether the driver runs in a YARN container (the application outlives spark-submit).</summary>
    private bool OnYarnCluster => _cluster && options.Master == "yarn";

    private string ProgramPath => Path.Combine(launch.Run.SparkHome!, "bin", Program);

    /// <summary>The day's state run (it reads the day before's snapshot and writes the day's), or null.</summary>
    public SparkStateRun? State { get; init; }

    /// <summary>Why the state was used or not (the summary's <c>state.reason</c>), or null when the job keeps no state.</summary>
    public string? StateReason { get; init; }

    /// <summary>The error once the day failed (without the <c>sparktf: </c> prefix); null when it failed without one.</summary>
    public string? Failure { get; private set; }

    /// <summary>The counts known when it failed.</summary>
    public IReadOnlyDictionary<string, long>? FailureCounts { get; private set; }

    /// <summary>Runs Spark and commits: the day's summary, or null when it failed.</summary>
    /// <exception cref="JobStoppedException">The token was cancelled.</exception>
    public SamplesSummary? Run(string name, string? packages, Stopwatch clock, CancellationToken cancellation)
    {
        try
        {
            return Launch(name, packages, clock, cancellation);
        }
        catch (OperationCanceledException e) when (e is not JobStoppedException)
        {
            // The native writer's encoder stopped on the token.
            throw new JobStoppedException(Stopped, e);
        }
        catch (Exception e) when (e is IOException or DuckDB.NET.Data.DuckDBException)
        {
            return Fail(e.Message, null);
        }
    }

    private SamplesSummary? Launch(string name, string? packages, Stopwatch clock, CancellationToken cancellation)
    {
        if (setup.OutputIsLocal)
        {
            _committer = OutputCommitter.Begin(setup.Output, new OutputCommitOptions
            {
                NoClobber = launch.Run.NoClobber,
                Force = launch.Run.Force,
                InputPaths = OutputGuard.InputsOf(setup.Plan, options.Input),
            });
        }

        string target = setup.Staging ?? _committer?.WorkDirectory ?? setup.Output;
        PrepareTargets();

        // With state, the script runs the state run's plan and writes the next snapshot into its locked work folder;
        // the manifests and checks keep the full window's plan (setup.Plan), so the samples manifest is the same.
        var scriptSetup = State is null ? setup : setup.WithState(State.Plan, State.Begin());
        var script = scriptSetup.Script(target);
        _temp = Directory.CreateTempSubdirectory("sparktf-spark-").FullName;
        string scriptPath = Path.Combine(_temp, name + ".sql");
        File.WriteAllText(scriptPath, script.Text(), new UTF8Encoding(false));
        string? runner = null;
        if (_cluster)
        {
            runner = Path.Combine(_temp, SparkResources.Runner);
            File.WriteAllText(runner, SparkResources.Text(SparkResources.Runner), new UTF8Encoding(false));
        }

        var arguments = SparkSubmitArguments.For(options, name, packages, scriptPath, runner, _reportUri);
        log.WriteLine($"sparktf: {options.Date:yyyy-MM-dd}: running {SparkSubmitArguments.Shown(ProgramPath, arguments)}");
        var (exit, stdout, badRowsSeen) = RunSpark(arguments, name, cancellation);
        double maxBad = setup.Plan.Job.MaxBadFraction;
        if (exit != 0)
        {
            return SparkFailed(exit, stdout, badRowsSeen, script, scriptPath, maxBad);
        }

        // The checks: the reported count, and _SUCCESS where Spark wrote.
        var counts = _cluster ? ReadReport(script)?.Counts : SparkReport.Parse(stdout, script.Report);
        if (counts is null || !counts.ContainsKey(RunCounts.Written))
        {
            _keepTemp = true;
            return Fail($"{Program} exited 0 but reported no sample count ({(_cluster ? "no report at " + _reportUri : "no sparktf_samples_written row on its stdout")}): " +
                        $"the script's last statement did not run. Not reporting success. The script is kept at {scriptPath}.", counts);
        }

        // The state's per-partition counts leave the counts (summary and manifest); the used snapshot's partitions
        // join them, so the day counts as the full recompute.
        var stateCounts = State is null ? null : SparkStateScript.Take(scriptSetup.Plan, counts);
        State?.AddCoveredCounts(counts);

        // The script checked the bad rows before writing; the report's counts are checked again, so that a script
        // whose check did not run never commits an output over the limit.
        if (BadRowsLimit.OverLimit(counts, maxBad))
        {
            return Fail(BadRowsLimit.TooMany(counts, maxBad, $"{Program} reported them after writing (the script's own check did not stop it); " +
                (setup.OutputIsLocal ? "nothing was committed: the output is as it was." : $"{setup.Output} was written, but no _manifest.json was added.")), counts);
        }

        bool split = launch.Definition.Job.Sampling.HasEval && options.Writer == SparkWriter.Connector;
        var successDirs = split ? new[] { target.TrimEnd('/') + "/train", target.TrimEnd('/') + "/eval" } : [target];

        // The bad rows, which the script wrote after the samples: a complete quarantine is part of a complete output.
        string quarantine = SparkScript.QuarantineTarget(target);
        if (BadRowsLimit.Totals(counts).Bad > 0)
        {
            successDirs = [.. successDirs, quarantine];
        }

        foreach (string dir in successDirs)
        {
            if (!SuccessExists(dir))
            {
                _keepTemp = true;
                return Fail($"{Program} exited 0 but {dir}/_SUCCESS is missing: Spark's committer did not finish the output. Not reporting success.", counts);
            }
        }

        // The day's sanity checks (DayChecks, as the embedded engine): the report's counts, before anything is put
        // in place. A local output is still in the hidden work folder (or Spark's Parquet in staging) and is dropped;
        // a remote output Spark wrote in place, so its _SUCCESS markers are removed and no _manifest.json is added.
        if (DayChecks.Check(setup.Plan, counts) is { } dayFailure)
        {
            return Fail($"{dayFailure} {DayCheckOutcome(successDirs)}", counts);
        }

        var summary = Commit(counts, quarantine, clock, cancellation);
        return summary is null || StateReason is null ? summary : summary with
        {
            State = CommitState(stateCounts),
            FilesRead = setup.LocalInput is null ? null : scriptSetup.Plan.Sources.ToDictionary(s => s.Key, s => s.Value.Files.Count, StringComparer.Ordinal),
        };
    }

    /// <summary>The next snapshot, committed after the samples (a run stopped between them leaves a good output and no
    /// snapshot of its day: the next day reads the full window).</summary>
    private State.StateOutcome CommitState(Dictionary<string, IReadOnlyDictionary<DateOnly, State.PartitionCounts>>? stateCounts)
    {
        if (State is null)
        {
            return new State.StateOutcome(null, null, StateReason!);
        }

        var (written, problem) = State.Commit(stateCounts!);
        if (problem is null)
        {
            return new State.StateOutcome(State.Used, written, StateReason!);
        }

        string note = $"{StateReason}; snapshot of {Planning.PathTemplate.Format(options.Date)} not written: {problem}";
        log.WriteLine($"sparktf: {Planning.PathTemplate.Format(options.Date)} state: {note}");
        return new State.StateOutcome(State.Used, null, note);
    }

    /// <summary>Clears what Spark must create itself, and an earlier run's report, which must not be read as this run's.</summary>
    private void PrepareTargets()
    {
        if (_committer is not null && setup.Staging is null)
        {
            // Spark creates the folder it writes (TensorFlow's connector refuses one that exists).
            Directory.Delete(_committer.WorkDirectory, recursive: true);
        }

        if (setup.Staging is not null && Directory.Exists(setup.Staging))
        {
            Directory.Delete(setup.Staging, recursive: true);
        }

        if (_cluster && setup.OutputIsLocal && File.Exists(setup.ReportPath))
        {
            File.Delete(setup.ReportPath);
        }
        else if (_cluster && !setup.OutputIsLocal && _hadoop is not null)
        {
            _ = _hadoop.Remove(_reportUri);
        }
    }

    /// <summary>Runs Spark with its output on the log; a cancelled token forwards the stop signal, and Spark's process
    /// tree is killed when it has not stopped <see cref="SparkSamplesRunOptions.KillAfter"/> later.</summary>
    /// <exception cref="JobStoppedException">The token was cancelled (before Spark started, or while it ran).</exception>
    private (int Exit, IReadOnlyList<string> Stdout, bool BadRowsSeen) RunSpark(List<string> arguments, string name, CancellationToken cancellation)
    {
        if (cancellation.IsCancellationRequested)
        {
            throw new JobStoppedException(Stopped);
        }

        int badRowsSeen = 0;
        string? applicationId = null;
        using var spark = SparkProcess.Start(ProgramPath, arguments, line =>
        {
            if (SparkReport.IsBadRowsFailure(line))
            {
                Volatile.Write(ref badRowsSeen, 1);
            }

            if (OnYarnCluster && YarnApplication.IdIn(line) is { } id)
            {
                Interlocked.CompareExchange(ref applicationId, id, null);
            }

            log.WriteLine(line);
        });
        int exit;
        using (cancellation.Register(() => spark.Forward(SignalNumber(), launch.Run.KillAfter.TotalSeconds)))
        {
            exit = spark.WaitForExit();
        }

        if (cancellation.IsCancellationRequested)
        {
            // Stopping spark-submit leaves a YARN cluster-mode application running (YarnApplication says why): it is
            // killed too, so that a retry never runs beside it. spark-submit's output is read to its end by now.
            string application = OnYarnCluster ? "; " + YarnApplication.Kill(Volatile.Read(ref applicationId), YarnApplication.FindYarn(launch.Yarn), name) : "";
            throw new JobStoppedException($"forwarded to {Program} (which exited with {exit}){application}; " +
                (setup.OutputIsLocal ? Stopped : $"{setup.Output} may hold a partial Spark output without _SUCCESS"));
        }

        return (exit, spark.Stdout, Volatile.Read(ref badRowsSeen) == 1);
    }

    private int SignalNumber() => SparkDayLaunch.Signal(launch) == PosixSignal.SIGINT ? 2 : 15;

    /// <summary>Spark exited non-zero: the bad-rows check (its error line, or the input counts over the limit), else a failed job.</summary>
    private SamplesSummary? SparkFailed(int exit, IReadOnlyList<string> stdout, bool badRows, SparkScriptText script, string scriptPath, double maxBad)
    {
        string outputState = setup.OutputIsLocal ? "the output is as it was" : $"{setup.Output} has no _SUCCESS";
        var inputCounts = SparkReport.ParseInputCounts(stdout, script.InputCounts);
        if (_cluster && ReadReport(script) is { } failed)
        {
            // The driver's log stays on the cluster: the runner's report file names the failed statement, and
            // the input counts when the bad-rows check is what stopped it.
            if (failed.Failure is { } failure)
            {
                log.WriteLine($"sparktf: the Spark SQL runner's report: {failure}");
                badRows |= SparkReport.IsBadRowsFailure(failure);
            }

            inputCounts ??= failed.InputCounts;
        }

        if (badRows || (inputCounts is not null && BadRowsLimit.OverLimit(inputCounts, maxBad)))
        {
            return Fail(BadRowsLimit.TooMany(inputCounts, maxBad, $"The Spark script stopped at its bad-rows check, before writing ({Program} exited with {exit}), so {outputState}."), inputCounts);
        }

        _keepTemp = true;
        return Fail($"{Program} failed with exit code {exit}: the Spark job did not finish (its log is above). The script is kept at {scriptPath}; {outputState}.", inputCounts);
    }

    /// <summary>What a failed day check left: a local output nothing (still in its work folder); a remote one Spark
    /// wrote in place, so its _SUCCESS markers are removed.</summary>
    private string DayCheckOutcome(string[] successDirs)
    {
        if (setup.OutputIsLocal || options.Writer == SparkWriter.Native)
        {
            return setup.OutputIsLocal ? $"Nothing was committed: {setup.Output} is as it was." : $"Nothing was encoded into {setup.Output}.";
        }

        var removed = _hadoop is not null ? successDirs.Where(d => _hadoop.Remove(d.TrimEnd('/') + "/_SUCCESS")).ToList() : [];
        return $"Spark wrote {setup.Output} in place (a remote output has no commit step); " +
               (removed.Count == successDirs.Length ? "its _SUCCESS was removed so that nothing downstream takes the day as done, " : "its _SUCCESS could not be removed (no hadoop command): remove it before anything downstream reads the day, ") +
               "and no _manifest.json was added.";
    }

    /// <summary>Encodes (native writer) or adds _manifest.json (connector), commits a local output, and makes the summary.</summary>
    private SamplesSummary? Commit(Dictionary<string, long> counts, string quarantineFolder, Stopwatch clock, CancellationToken cancellation)
    {
        RunCounts.AddDerived(counts);
        var (rowsRead, rowsBad) = BadRowsLimit.Totals(counts);
        ManifestQuarantine? quarantine = null;
        if (_committer is not null)
        {
            // A local output's quarantine goes into the work folder as the embedded engine's rows.jsonl, and is committed
            // with the samples in one step (or removed with the work folder when anything fails).
            if (SparkQuarantine.CommitLocal(quarantineFolder, _committer.WorkDirectory, rowsBad, out quarantine) is { } problem)
            {
                _keepTemp = true;
                return Fail($"{problem} Not committing: {setup.Output} is as it was.", counts);
            }
        }
        else
        {
            quarantine = RemoteQuarantine(quarantineFolder, rowsBad);
        }

        string engineName = $"spark {options.Version?.ToString() ?? ""}".TrimEnd() + $" ({options.Master}, {(_cluster ? "cluster" : "client")} mode, {(options.Writer == SparkWriter.Native ? "native writer" : "connector " + options.Connector.ToString().ToLowerInvariant())})";
        if (options.Writer == SparkWriter.Native)
        {
            log.WriteLine($"sparktf: {options.Date:yyyy-MM-dd}: Spark wrote {counts[RunCounts.Written]} samples as Parquet; encoding them into {setup.Output}");
            var encoded = EncodeJob.Run(launch.Definition, new EncodeJobOptions
            {
                Inputs = [setup.Staging!],
                Output = setup.Output,
                Committer = _committer,
                Plan = setup.Plan,
                EngineName = engineName + " + sparktf encode",
                Counts = counts,
                ExpectedRecords = counts[RunCounts.Written],
                Quarantine = quarantine,
            }, cancellation);
            Directory.Delete(setup.Staging!, recursive: true);
            counts[RunCounts.Positives] = encoded.Positives;
        }
        else if (_committer is not null)
        {
            var parts = Directory.EnumerateFiles(_committer.WorkDirectory, "*", SearchOption.AllDirectories)
                .Where(f => Path.GetRelativePath(_committer.WorkDirectory, f).Split('/').All(TfRecordPaths.IsDataFileName))
                .Order(StringComparer.Ordinal)
                .Select(f => (Path.GetRelativePath(_committer.WorkDirectory, f), new FileInfo(f).Length))
                .ToList();
            SparkManifest.Write(Path.Combine(_committer.WorkDirectory, "_manifest.json"), setup.Plan, engineName, parts, counts, quarantine);
            _committer.Commit();
        }
        else
        {
            PutRemoteManifest(engineName, counts, quarantine);
        }

        if (setup.OutputIsLocal)
        {
            SamplesJob.RemoveStaleQuarantine(setup.Output);
        }

        var histories = launch.Definition.Job.Histories.ToDictionary(
            h => h.Feature,
            h => (counts.GetValueOrDefault($"{RunCounts.HistoryMin}.{h.Feature}"),
                  counts[RunCounts.Written] == 0 ? 0.0 : (double)counts.GetValueOrDefault($"{RunCounts.HistorySum}.{h.Feature}") / counts[RunCounts.Written],
                  counts.GetValueOrDefault($"{RunCounts.HistoryMax}.{h.Feature}")));
        foreach (string k in counts.Keys.Where(k => k.StartsWith(RunCounts.HistoryPrefix, StringComparison.Ordinal)).ToList())
        {
            counts.Remove(k);
        }

        var summary = new SamplesSummary(options.Date, setup.Output, counts, histories, [], clock.Elapsed.TotalSeconds, engineName) { ImpressionSource = setup.Plan.Samples.Name, MissingInputs = setup.Plan.MissingInputs };
        log.WriteLine($"sparktf: {options.Date:yyyy-MM-dd}: {counts[RunCounts.Written]} samples in {setup.Output}" +
                      (rowsBad > 0 ? $"; {rowsBad} of {rowsRead} input rows were bad and left out: they are in {setup.Output.TrimEnd('/')}/{(quarantine?.Files?.Count == 1 ? quarantine.Files[0] : QuarantineFiles.Folder + "/")} with their reasons" : ""));
        return summary;
    }

    /// <summary>A cluster output's quarantine stays as Spark wrote it (its part files; _SUCCESS was checked); with no bad
    /// rows Spark's empty folder is removed, as the embedded engine writes none.</summary>
    private ManifestQuarantine? RemoteQuarantine(string folder, long rowsBad)
    {
        if (rowsBad > 0)
        {
            return new ManifestQuarantine(QuarantineFiles.Folder, null);
        }

        if (_hadoop is null || !_hadoop.RemoveFolder(folder))
        {
            log.WriteLine($"sparktf: warning: could not remove {folder}, which holds no bad rows ({(_hadoop is null ? "no hadoop command (HADOOP_HOME or PATH)" : "hadoop fs -rm failed")}).");
        }

        return null;
    }

    private void PutRemoteManifest(string engineName, IReadOnlyDictionary<string, long> counts, ManifestQuarantine? quarantine)
    {
        string manifest = Path.Combine(_temp!, "_manifest.json");
        SparkManifest.Write(manifest, setup.Plan, engineName, [], counts, quarantine);
        if (_hadoop is null)
        {
            log.WriteLine($"sparktf: warning: no hadoop command (HADOOP_HOME or PATH), so _manifest.json was not written to {setup.Output}.");
            return;
        }

        var (code, text) = _hadoop.Fs("-put", "-f", manifest, setup.Output.TrimEnd('/') + "/_manifest.json");
        if (code != 0)
        {
            log.WriteLine($"sparktf: warning: could not put _manifest.json into {setup.Output}: {text}");
        }
    }

    /// <summary>The runner's report file (cluster mode), read once: a local one is deleted after reading.</summary>
    private SparkReportFile? ReadReport(SparkScriptText script)
    {
        string? text = null;
        if (_reportUri.StartsWith("file://", StringComparison.Ordinal))
        {
            string path = _reportUri["file://".Length..];
            text = File.Exists(path) ? File.ReadAllText(path) : null;
            if (text is not null)
            {
                File.Delete(path);
            }
        }
        else if (_hadoop is not null)
        {
            var (code, output) = _hadoop.Fs("-cat", _reportUri);
            text = code == 0 ? output : null;
        }

        return text is null ? null : SparkReport.ParseFile(text, script.Report, script.InputCounts);
    }

    private bool SuccessExists(string dir)
    {
        if (setup.OutputIsLocal)
        {
            return File.Exists(Path.Combine(dir, "_SUCCESS"));
        }

        if (_hadoop is null)
        {
            log.WriteLine($"sparktf: warning: no hadoop command (HADOOP_HOME or PATH) to check {dir}/_SUCCESS; relying on Spark's exit code and reported count.");
            return true;
        }

        return _hadoop.Exists(dir.TrimEnd('/') + "/_SUCCESS");
    }

    /// <summary>Reports a failure on the log and keeps it, with the counts known, for the day's summary.</summary>
    private SamplesSummary? Fail(string message, IReadOnlyDictionary<string, long>? counts)
    {
        const string prefix = "sparktf: ";
        Failure = message.StartsWith(prefix, StringComparison.Ordinal) ? message[prefix.Length..] : message;
        FailureCounts = counts;
        log.WriteLine(prefix + Failure);
        return null;
    }

    /// <summary>Releases the output's lock and removes the staging and temporary folders (kept after a failure that
    /// names the script, so the user can look at it).</summary>
    public void Dispose()
    {
        _committer?.Dispose();
        if (setup.Staging is not null && Directory.Exists(setup.Staging) && !_keepTemp)
        {
            Directory.Delete(setup.Staging, recursive: true);
        }

        if (_temp is not null && !_keepTemp)
        {
            Directory.Delete(_temp, recursive: true);
        }
    }
}
