using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Engines;
using SparkTfrecord.Engine.Output;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Engine.Sql;
using SparkTfrecord.Engine.State;
using SparkTfrecord.Tfrecord.Example;
using SparkTfrecord.Engine.Hashing;
using SparkTfrecord.Spec;

namespace SparkTfrecord.Engine.Jobs;

/// <summary>
/// The samples job on the embedded engine: plan, render for DuckDB, run, write the samples with the native writer
/// into shards, write the manifest and commit the output atomically.
/// </summary>
internal static class SamplesJob
{
    /// <summary>Runs the job for one date.</summary>
    /// <param name="definition">The spec and job section.</param>
    /// <param name="options">The run's options.</param>
    /// <param name="cancellation">Stops the run (the output is left as it was).</param>
    /// <returns>The summary.</returns>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <exception cref="JobFailedException">Too many bad rows, the day's checks, out of memory, the engine failing.</exception>
    /// <exception cref="InputDataException">An input is missing or cannot be read.</exception>
    /// <exception cref="Output.OutputRefusedException">The output is refused, another run holds it, or it exists with no-clobber.</exception>
    public static SamplesSummary Run(JobDefinition definition, SamplesJobOptions options, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        definition = options.Overrides.Apply(definition);
        var job = definition.Job;
        var output = job.Output;
        var plan = JobPlan.Create(definition, options.Date, options.Input, resolveFiles: true, options.Names);
        string outputPath = Path.GetFullPath(PathTemplate.ExpandOne(options.Output, options.Date));

        // --state (or the job's state:): the snapshot used (the plan then reads only the partitions it does not cover),
        // or why none.
        var fullPlan = plan;
        if (fullPlan.MissingInputsNote is { } missing)
        {
            options.OnInputs?.Invoke(missing);
        }

        string? stateFolder = options.State ?? (job.State is { } template ? PathTemplate.Expand(template, options.Input, options.Date)[0] : null);
        var (state, stateReason) = stateFolder is not null ? StateRun.Prepare(definition, plan, options.Input, stateFolder, outputPath, options.Force) : (null, "");
        if (stateFolder is not null)
        {
            options.OnState?.Invoke(stateReason);
            plan = state?.Plan ?? plan;
        }

        // The lock comes first, so a second run on the same output is refused at once, before any work.
        using var committer = OutputCommitter.Begin(outputPath, new OutputCommitOptions
        {
            NoClobber = options.NoClobber,
            Force = options.Force,
            InputPaths = OutputGuard.InputsOf(fullPlan, options.Input),
            OnStep = options.OnCommitStep,
        });
        plan = InputScan.Apply(plan, cancellation);
        var sql = PlanRenderer.Render(plan, DuckDbDialect.Instance);
        using var engine = new DuckDbEngine(options.Engine);
        using var registration = cancellation.Register(engine.Cancel);
        cancellation.ThrowIfCancellationRequested();

        // Clause key-text: a float or timestamp key column would hash differently on Spark.
        OnInput("key types", definition.File, () => KeyColumnTypes.Check(engine, plan));
        var progress = options.Progress;
        progress.Start("join", sql.Statements.Count);
        for (int i = 0; i < sql.Statements.Count; i++)
        {
            var statement = sql.Statements[i];
            OnInput(statement.Name, definition.File, () => engine.Execute(statement.Sql));
            progress.Report(i + 1);
        }

        progress.Stop();
        var counts = InPhase("counts", definition.File, () => ReadCounts(engine, sql));
        RunCounts.AddDerived(counts);
        var unread = CheckInputLines(engine, plan, counts);
        state?.AddCoveredCounts(counts);

        // Bad rows: kept with the output (or beside it when the job fails), then the threshold.
        var (read, bad) = BadRowsLimit.Totals(counts);
        double maxBad = job.MaxBadFraction;
        if (bad > 0)
        {
            string quarantineFile = Path.Combine(committer.WorkDirectory, QuarantineFiles.Folder, QuarantineFiles.RowsFile);
            WriteQuarantine(engine, sql, plan, quarantineFile, unread);
            if (BadRowsLimit.OverLimit(counts, maxBad))
            {
                string kept = outputPath + ".quarantine.jsonl";
                File.Copy(quarantineFile, kept, overwrite: true);
                throw new JobFailedException(JobFailure.TooManyBadRows,
                    $"{bad} of {read} input rows are bad ({(double)bad / read:P3}), above the limit of {maxBad:P3} (quarantine.max_bad_fraction or --max-bad-fraction); " +
                    $"the rows and reasons are in {kept}. Nothing was written to {outputPath}.",
                    counts);
            }
        }

        // The day's sanity checks (an empty day, too many rows outside the date), before anything is written.
        if (DayChecks.Check(plan, counts, () => SamplesTimes(engine, plan)) is { } failure)
        {
            throw new JobFailedException(JobFailure.DayChecks, $"{failure} Nothing was committed: {outputPath} is as it was.", counts);
        }

        cancellation.ThrowIfCancellationRequested();
        // At most one pass per shard, or (sized shards) MaxRangePasses ranges of the hash.
        int maxPasses = sql.OutputPasses.MaxPasses;
        int passes = Passes(counts[RunCounts.Written], maxPasses, options.SamplesPerPass);
        List<ManifestShard> shards;
        Dictionary<string, (long Min, double Mean, long Max)> histories;
        while (true)
        {
            try
            {
                (shards, histories) = WriteSamples(engine, sql, plan, committer.WorkDirectory, output, progress, counts[RunCounts.Written], passes, cancellation);
                break;
            }
            catch (PassOutOfMemoryException e) when (passes < maxPasses)
            {
                // Working beats a good message: a pass's memory grows with its samples, so the day is written again
                // from the start in 4x as many passes (at most maxPasses), each pass's part files written anew.
                passes = Math.Min(maxPasses, passes * 4);
                options.OnMemoryRetry?.Invoke($"out of memory in {e.Phase} within the engine's memory limit; writing again in {passes} passes");
            }
            catch (PassOutOfMemoryException e)
            {
                string already = output.Limit is null
                    ? (output.Shards > 1 ? " (already one pass per shard; more --shards allow smaller passes)" : "")
                    : $" (already {maxPasses} passes, each a range of the shard hash)";
                throw OutOfMemory(e.Phase + already, e.InnerException!);
            }
        }

        cancellation.ThrowIfCancellationRequested();
        committer.Step("parts-written");

        // Statistics, report and drift check (issue 15): read back from the parts, before anything is committed.
        DayStatistics.WriteAndCheck(definition, options, committer.WorkDirectory, outputPath, counts);
        if (options.Audit)
        {
            string audit = Path.Combine(committer.WorkDirectory, "_audit");
            Directory.CreateDirectory(audit);
            InPhase("audit", definition.File, () => engine.Execute($"COPY ({sql.AuditQuery}) TO '{Path.Combine(audit, "samples.parquet").Replace("'", "''", StringComparison.Ordinal)}' (FORMAT parquet)"));
        }

        string engineName = "duckdb " + engine.Version;
        Manifest.Write(Path.Combine(committer.WorkDirectory, "_manifest.json"), fullPlan, engineName, shards, counts, bad > 0 ? ManifestQuarantine.Rows : null);
        committer.Step("manifest-written");
        cancellation.ThrowIfCancellationRequested();
        progress.Start("commit", null);
        committer.Commit();
        progress.Stop();
        RemoveStaleQuarantine(outputPath);
        var summary = new SamplesSummary(options.Date, outputPath, counts, histories, shards, clock.Elapsed.TotalSeconds, engineName)
        {
            ImpressionSource = plan.Samples.Name,
            MissingInputs = fullPlan.MissingInputs,
        };
        return stateFolder is null ? summary : summary with
        {
            State = WriteState(state, stateReason, engine, options),
            FilesRead = plan.Sources.ToDictionary(s => s.Key, s => s.Value.Files.Count, StringComparer.Ordinal),
        };
    }

    // The next snapshot, after the output was committed: a run stopped before it leaves a good output and no snapshot
    // of its day, so the next day's run reads the full window (docs/state.md).
    private static StateOutcome WriteState(StateRun? state, string reason, DuckDbEngine engine, SamplesJobOptions options)
    {
        if (state is null)
        {
            return new StateOutcome(null, null, reason);
        }

        var used = state.Used;
        try
        {
            return new StateOutcome(used, state.Write(engine), reason);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OutputRefusedException or DuckDB.NET.Data.DuckDBException)
        {
            string note = $"{reason}; snapshot of {PathTemplate.Format(options.Date)} not written: {e.Message}";
            options.OnState?.Invoke(note);
            return new StateOutcome(used, null, note);
        }
    }

    /// <summary>
    /// The same query as <see cref="Run"/>, alone: DuckDB runs the plan and writes the ordered samples to one Parquet
    /// file with its own writer, with no TFRecord encoding and no commit protocol. The benchmark's baseline.
    /// </summary>
    /// <param name="definition">The spec and job section.</param>
    /// <param name="options">The run's options (output, shards and compression are ignored).</param>
    /// <param name="parquetFile">The Parquet file to write.</param>
    /// <returns>The number of samples written.</returns>
    public static long QueryToParquet(JobDefinition definition, SamplesJobOptions options, string parquetFile)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(options);
        var plan = InputScan.Apply(JobPlan.Create(definition, options.Date, options.Input));
        var sql = PlanRenderer.Render(plan, DuckDbDialect.Instance);
        using var engine = new DuckDbEngine(options.Engine);
        foreach (var statement in sql.Statements)
        {
            engine.Execute(statement.Sql);
        }

        var counts = ReadCounts(engine, sql);
        int passes = Passes(counts[RunCounts.Written], sql.OutputPasses.MaxPasses, options.SamplesPerPass);
        for (int pass = 0; pass < passes; pass++)
        {
            string file = passes == 1 ? parquetFile : $"{parquetFile}.{pass}";
            engine.Execute($"COPY ({sql.OutputPasses.Pass(pass, passes)}) TO '{Path.GetFullPath(file).Replace("'", "''", StringComparison.Ordinal)}' (FORMAT parquet)");
        }

        return counts[RunCounts.Written];
    }

    /// <summary>How many output passes a day of <paramref name="samples"/> needs (at most <paramref name="maxPasses"/>:
    /// <see cref="OutputPasses.MaxPasses"/>, one per shard or, with sized shards, <see cref="OutputPasses.MaxRangePasses"/>).</summary>
    /// <param name="samples">The samples to write.</param>
    /// <param name="maxPasses">The most passes.</param>
    /// <param name="perPass">The most samples per pass.</param>
    /// <returns>The number of passes.</returns>
    public static int Passes(long samples, int maxPasses, long perPass) =>
        (int)Math.Clamp((samples + perPass - 1) / Math.Max(1, perPass), 1, maxPasses);

    /// <summary>The error for a statement that failed on the input, saying what to do where DuckDB's message does not.</summary>
    /// <param name="statement">The statement's name (<c>typed_SOURCE</c> reads a source).</param>
    /// <param name="e">DuckDB's error.</param>
    /// <param name="spec">The job's spec file.</param>
    /// <returns>The exception to throw.</returns>
    private static Exception InputError(string statement, DuckDB.NET.Data.DuckDBException e, string spec)
    {
        if (DuckDbEngine.IsOutOfMemory(e))
        {
            return OutOfMemory(statement, e);
        }

        // DuckDB checks a Parquet string column's UTF-8 as it decodes a page and stops the query at the first bad value:
        // there is no row to set aside, so the job stops and names the file (CSV and JSON lines are checked per line).
        var text = System.Text.RegularExpressions.Regex.Match(e.Message, "Invalid string encoding found in Parquet file \"(?<file>.*)\": value \"(?<value>.*)\" is not valid UTF8");
        if (text.Success)
        {
            string source = statement.StartsWith("typed_", StringComparison.Ordinal) ? $"source '{statement["typed_".Length..]}': " : "";
            return new InputDataException(InputProblem.BadText,
                $"{source}{text.Groups["file"].Value} holds text that is not valid UTF-8 (the value \"{text.Groups["value"].Value}\", non-UTF-8 bytes as \\xNN) " +
                "in a string column the job reads. A Parquet file's text is checked as a whole, so its bad rows cannot be set aside one by one: " +
                "rewrite the file with that column as UTF-8 text (or as binary), or move the file out of the input, and rerun.", text.Groups["file"].Value, e);
        }

        if (CsvStateError(statement, e) is { } csv)
        {
            return csv;
        }

        return new JobFailedException(JobFailure.EngineError, $"{statement}: {e.Message} (inputs of {spec}; run 'sparktf plan' to see the SQL).", inner: e);
    }

    // DuckDB's CSV reader stops the query on a carriage return that neither ends a line nor stands inside quotes (its
    // advice, to turn strict mode off, is not the user's to take): say so, with the file.
    private static InputDataException? CsvStateError(string statement, DuckDB.NET.Data.DuckDBException e)
    {
        var state = System.Text.RegularExpressions.Regex.Match(e.Message, @"CSV Parser state machine reached an invalid state[\s\S]*?\bfile = (?<file>[^\n]*)");
        if (!state.Success)
        {
            return null;
        }

        string source = statement.StartsWith("typed_", StringComparison.Ordinal) ? $"source '{statement["typed_".Length..]}': " : "";
        string file = state.Groups["file"].Value.TrimEnd();
        return new InputDataException(InputProblem.BadText,
            $"{source}{file}: the CSV reader stopped at a character it cannot place (DuckDB: \"The CSV Parser state machine reached an invalid state\"), " +
            "most often a carriage return (\\r) that does not end a line and is not inside quotes. Nothing was written. " +
            "Remove the stray carriage returns (or quote the fields that hold them) and rerun.", file, e);
    }

    /// <summary>The error for running out of memory in a phase, with what to change.</summary>
    /// <param name="phase">The phase: a statement's name, quarantine, counts, write pass N of M, audit.</param>
    /// <param name="e">DuckDB's or .NET's error.</param>
    /// <returns>The exception to throw.</returns>
    private static JobFailedException OutOfMemory(string phase, Exception e)
    {
        string what = e is OutOfMemoryException ? "the process could not allocate more memory" : $"DuckDB: {e.Message.Split('\n')[0]}";
        return new JobFailedException(JobFailure.OutOfMemory,
            $"out of memory in {phase} ({what}). DuckDB spills to disk beyond --memory-limit, but some of its work must fit in memory: " +
            "raise --memory-limit (default 1GB) if the machine has the memory, use fewer --threads (each thread needs its own memory), " +
            "and give --spill-dir a disk with room. The output was left as it was.", inner: e);
    }

    // Runs what reads the input; DuckDB's error becomes InputError's.
    private static void OnInput(string statement, string spec, Action run) => InPhase(statement, spec, () =>
    {
        run();
        return 0;
    });

    // Runs a phase on the engine; DuckDB's error becomes InputError's (out of memory says the phase and what to do).
    private static T InPhase<T>(string phase, string spec, Func<T> run)
    {
        try
        {
            return run();
        }
        catch (DuckDB.NET.Data.DuckDBException e)
        {
            throw InputError(phase, e, spec);
        }
        catch (OutOfMemoryException e)
        {
            throw OutOfMemory(phase, e);
        }
    }

    /// <summary>Removes the <c>OUTPUT.quarantine.jsonl</c> an earlier run left beside the output when it failed on
    /// too many bad rows: a committed output keeps its own quarantine inside it, so the old file only misleads.</summary>
    /// <param name="outputPath">The output folder.</param>
    public static void RemoveStaleQuarantine(string outputPath)
    {
        ArgumentNullException.ThrowIfNull(outputPath);
        string stale = Path.TrimEndingDirectorySeparator(outputPath) + ".quarantine.jsonl";
        if (File.Exists(stale))
        {
            File.Delete(stale);
        }
    }

    // The samples source's time range as read in its declared unit (for a failed day's message).
    private static TimeRange? SamplesTimes(DuckDbEngine engine, JobPlan plan)
    {
        var row = engine.Row($"SELECT min({plan.Names.Time}) AS lo, max({plan.Names.Time}) AS hi FROM {DuckDbDialect.Instance.Identifier("clean_" + plan.Job.Samples)}");
        return row["lo"] is { } lo && row["hi"] is { } hi
            ? new TimeRange(Convert.ToInt64(lo, CultureInfo.InvariantCulture), Convert.ToInt64(hi, CultureInfo.InvariantCulture))
            : null;
    }

    // Every line of every input file is read, quarantined or (CSV) a blank line or header: checked against counts the
    // engine did not make (see InputAccounting). Lines a CSV reader could not read after a broken quote are counted as
    // quarantined and returned as quarantine entries; any other difference fails the job.
    private static List<UnreadLines> CheckInputLines(DuckDbEngine engine, JobPlan plan, Dictionary<string, long> counts)
    {
        try
        {
            return InputAccounting.Check(engine, plan, counts);
        }
        catch (DuckDB.NET.Data.DuckDBException e)
        {
            throw InputError("input-lines", e, plan.Definition.File);
        }
    }

    private static void InPhase(string phase, string spec, Action run) => InPhase(phase, spec, () =>
    {
        run();
        return 0;
    });

    private static Dictionary<string, long> ReadCounts(DuckDbEngine engine, RenderedJob sql)
    {
        var row = engine.Row(sql.StatsQuery);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var column in sql.Counts)
        {
            object? v = row[column.Column];
            counts[column.Count] = v is null ? 0 : Convert.ToInt64(v, CultureInfo.InvariantCulture);
        }

        return counts;
    }

    private static void WriteQuarantine(DuckDbEngine engine, RenderedJob sql, JobPlan plan, string file, IReadOnlyList<UnreadLines> unread)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        string spec = plan.Definition.File;
        foreach (var statement in sql.QuarantineStatements)
        {
            OnInput(statement.Name, spec, () => engine.Execute(statement.Sql));
        }

        using var stream = File.Create(file);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        OnInput("quarantine", spec, () => engine.Query(sql.QuarantineQuery, r =>
        {
            while (r.Read())
            {
                w.WriteStartObject();
                string source = r.GetString(0);
                w.WriteString(QuarantineFiles.SourceField, source);
                object? f = r.IsDBNull(1) ? null : r.GetValue(1);
                w.WriteString(QuarantineFiles.FileField, f switch
                {
                    null => null,
                    string name => name,
                    var index => plan.Sources[source].Files[Convert.ToInt32(index, CultureInfo.InvariantCulture)],
                });
                if (r.IsDBNull(2))
                {
                    w.WriteNull(QuarantineFiles.RowField);
                }
                else
                {
                    w.WriteNumber(QuarantineFiles.RowField, r.GetInt64(2));
                }

                w.WriteString(QuarantineFiles.ReasonField, r.GetString(3));
                w.WriteEndObject();
                w.Flush();
                stream.WriteByte((byte)'\n');
                w.Reset();
            }
        }));

        // Then the lines the reader could not read at all (after the rows it gave of the same files).
        foreach (var u in unread)
        {
            w.WriteStartObject();
            w.WriteString(QuarantineFiles.SourceField, u.Source);
            w.WriteString(QuarantineFiles.FileField, u.File);
            w.WriteNumber(QuarantineFiles.RowField, u.Row);
            w.WriteString(QuarantineFiles.ReasonField, u.Reason);
            w.WriteEndObject();
            w.Flush();
            stream.WriteByte((byte)'\n');
            w.Reset();
        }
    }

    private static (List<ManifestShard> Shards, Dictionary<string, (long Min, double Mean, long Max)> Histories) WriteSamples(
        DuckDbEngine engine, RenderedJob sql, JobPlan plan, string work, OutputConfig output, IJobProgress progress, long total, int passes, CancellationToken cancellation)
    {
        var columns = plan.Columns.Features;
        var encoder = new SampleRecordEncoder(columns);
        var lengths = new int[columns.Count];
        bool split = plan.Job.Sampling.HasEval;
        using var writers = new SplitShardWriters(work, split, output);
        // History lengths for the summary, measured on what is written; history[i] is column i's index in them, or -1.
        int[] historyColumns = columns.Select((c, i) => (c, i)).Where(x => plan.Job.Histories.Any(h => h.Feature == x.c.Name)).Select(x => x.i).ToArray();
        int[] history = Enumerable.Range(0, columns.Count).Select(i => Array.IndexOf(historyColumns, i)).ToArray();
        long[] min = historyColumns.Select(_ => long.MaxValue).ToArray();
        long[] max = new long[historyColumns.Length];
        long[] sum = new long[historyColumns.Length];
        progress.Start("write", total);
        long n = 0;
        for (int pass = 0; pass < passes; pass++)
        {
            string phase = $"write pass {pass + 1} of {passes}";
            try
            {
                CommitStepObserver.After($"write-pass-{pass + 1}-of-{passes}");
                engine.Query(sql.OutputPasses.Pass(pass, passes), r =>
                {
                    var at = plan.Columns.Find(r);
                    var featureAt = at.Features;
                    while (r.Read())
                    {
                        var record = encoder.Encode(r, featureAt, lengths);
                        for (int i = 0; i < columns.Count; i++)
                        {
                            int length = lengths[i];
                            int h = history[i];
                            if (h >= 0)
                            {
                                min[h] = Math.Min(min[h], length);
                                max[h] = Math.Max(max[h], length);
                                sum[h] += length;
                            }
                        }

                        writers.Write(r, at, record);
                        if ((++n & 0xFFF) == 0)
                        {
                            cancellation.ThrowIfCancellationRequested();
                            progress.Report(n);
                        }
                    }

                    progress.Report(n);
                });
            }
            catch (DuckDB.NET.Data.DuckDBException e) when (DuckDbEngine.IsOutOfMemory(e))
            {
                throw new PassOutOfMemoryException(phase, e);
            }
            catch (OutOfMemoryException e)
            {
                throw new PassOutOfMemoryException(phase, e);
            }
            catch (DuckDB.NET.Data.DuckDBException e)
            {
                throw InputError(phase, e, plan.Definition.File);
            }
        }

        var parts = writers.Close();

        progress.Stop();
        var histories = new Dictionary<string, (long, double, long)>(StringComparer.Ordinal);
        for (int h = 0; h < historyColumns.Length; h++)
        {
            histories[columns[historyColumns[h]].Name] = n == 0 ? (0, 0.0, 0) : (min[h], (double)sum[h] / n, max[h]);
        }

        return (parts, histories);
    }
}
