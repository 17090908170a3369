using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Jobs;
using SparkTfrecord.Engine.Output;
using SparkTfrecord.Engine.Planning;
using Spectre.Console;

namespace SparkTfrecord.Jobs.Commands;

/// <summary>
/// <c>sparktf samples</c>: the click-log join on the embedded engine, written as TFRecord shards with the commit protocol.
/// SIGTERM and Ctrl-C stop it promptly (the output is left as it was) with exit 143 / 130.
/// </summary>
internal static class SamplesCommand
{
    /// <summary>Test-only hook: SIGKILL the process right after the named commit step (see OutputCommitter.Steps).</summary>
    public const string KillAtStepVariable = "SPARKTF_TEST_KILL_AT_STEP";

    /// <summary>Test-only hook: wait (interruptibly) after a commit step, <c>STEP:MILLISECONDS</c>, so a test can act mid-run;
    /// <c>STEP:MILLISECONDS:continue</c> then goes on even after a signal.</summary>
    public const string PauseAtStepVariable = "SPARKTF_TEST_PAUSE_AT_STEP";

    public static Command Create(CliContext context)
    {
        var options = new JobOptions();
        var spark = new SparkOptions();
        var command = options.AddTo(new Command("samples", "Build training samples for a date: join the click logs point-in-time correctly and write TFRecord shards, _manifest.json and _SUCCESS."));
        spark.AddTo(command, withDryRun: true);
        command.SetAction(result => result.GetValue(options.Engine) == "spark" ? SparkEngineCommand.Samples(context, result, options, spark) : Run(context, result, options));
        return command;
    }

    private static int Run(CliContext context, ParseResult result, JobOptions o)
    {
        // Signals are taken from the start, so that one arriving while the spec loads also ends with the message.
        using var cancel = new CancellationTokenSource();
        int interruptedCode = ExitCodes.Interrupted;
        void OnSignal(PosixSignalContext context, int code)
        {
            context.Cancel = true; // we stop ourselves, after cleaning up
            interruptedCode = code;
            cancel.Cancel();
        }

        s_sigterm ??= PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Signalled(c, ExitCodes.Terminated));
        s_sigint ??= PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Signalled(c, ExitCodes.Interrupted));
        s_onSignal = OnSignal;
        try
        {
            return Run(context, result, o, cancel, () => interruptedCode);
        }
        finally
        {
            s_onSignal = null;
        }
    }

    // The signal handlers stay for the life of the process: a signal that comes after the run returned, while the
    // process ends, still gets the exit code and a message instead of the runtime's silent default.
    private static PosixSignalRegistration? s_sigterm;
    private static PosixSignalRegistration? s_sigint;
    private static volatile Action<PosixSignalContext, int>? s_onSignal;

    private static void Signalled(PosixSignalContext context, int code)
    {
        try
        {
            if (s_onSignal is { } during)
            {
                during(context, code);
                return;
            }
        }
        catch (ObjectDisposedException)
        {
            // The run ended while the signal came: as after it.
        }

        context.Cancel = true;
        Console.Error.WriteLine($"sparktf: samples: stopped by {(code == ExitCodes.Terminated ? "SIGTERM" : "Ctrl-C")} as it was ending; what it reported above stands.");
        Environment.Exit(code);
    }

    private static int Run(CliContext context, ParseResult result, JobOptions o, CancellationTokenSource cancel, Func<int> signalCode)
    {
        var err = context.Err;
        var (dates, output) = DatesAndOutput(result, o);
        CheckSummaryTarget(result, o);
        JobDefinition definition;
        try
        {
            definition = JobDefinition.Load(result.GetValue(o.Spec)!);
        }
        catch (JobConfigException e)
        {
            err.WriteLine($"sparktf: {e.Message}");
            WriteSummaries(context, result, o, [FailedBeforeStart(dates[0], output, "duckdb", e.Message)], failed: true);
            return ExitCodes.Failure;
        }

        string? killAt = Environment.GetEnvironmentVariable(KillAtStepVariable);
        string[] pauseAt = (Environment.GetEnvironmentVariable(PauseAtStepVariable) ?? "").Split(':');

        var summaries = new List<string>();
        var clock = Stopwatch.StartNew();
        var committed = new List<DateOnly>();
        DateOnly? current = null;
        string Stopped() =>
            $"samples: stopped by {(signalCode() == ExitCodes.Terminated ? "SIGTERM" : "Ctrl-C")}" +
            (current is { } day ? $"; temporary files removed, the output of {day:yyyy-MM-dd} is as it was" : "") +
            (committed.Count > 0 ? $"; complete and committed before the signal: {string.Join(", ", committed.Select(d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)))}" : "") + ".";

        // A failed day still gets its summary (status failed, the error, the counts known), after the days before it.
        int Failed(string error, IReadOnlyDictionary<string, long>? counts, int code)
        {
            err.WriteLine($"sparktf: {error}");
            DateOnly day = current ?? dates[^1];
            string path = Path.GetFullPath(PathTemplate.ExpandOne(output, day));
            summaries.Add(SamplesSummary.Failed(day, path, "duckdb", error, counts, clock.Elapsed.TotalSeconds).ToJson().TrimEnd());
            WriteSummaries(context, result, o, summaries, failed: true);
            return code;
        }

        try
        {
            // A backfill checks every day's output before the first day runs, so a refused output stops it before any work.
            if (dates.Count > 1)
            {
                foreach (var date in dates)
                {
                    var plan = SparkTfrecord.Engine.Planning.JobPlan.Create(definition, date, result.GetValue(o.Input), resolveFiles: false);
                    OutputGuard.CheckFolder(SparkTfrecord.Engine.Planning.PathTemplate.ExpandOne(output, date), new OutputGuardOptions
                    {
                        Force = result.GetValue(o.Force),
                        InputPaths = OutputGuard.InputsOf(plan, result.GetValue(o.Input)),
                    });
                }
            }

            foreach (var date in dates)
            {
                current = date;
                clock.Restart();
                var options = new SamplesJobOptions
                {
                    Date = date,
                    Input = result.GetValue(o.Input),
                    Output = output,
                    Overrides = new JobOverrides(result.GetValue(o.Shards), result.GetValue(o.Compression), result.GetValue(o.MaxBadFraction)),
                    NoClobber = result.GetValue(o.NoClobber),
                    Force = result.GetValue(o.Force),
                    Audit = result.GetValue(o.Audit),
                    OnMemoryRetry = note => err.WriteLine($"sparktf: {date:yyyy-MM-dd} write: {note}"),
                    Engine = o.EngineOptions(result),
                    OnCommitStep = step =>
                    {
                        if (step == killAt)
                        {
                            Process.GetCurrentProcess().Kill(); // SIGKILL: no cleanup of any kind, as a crash would be
                        }

                        if (pauseAt.Length is 2 or 3 && step == pauseAt[0])
                        {
                            err.WriteLine($"sparktf: test hook: pausing after step {step}");
                            cancel.Token.WaitHandle.WaitOne(int.Parse(pauseAt[1], System.Globalization.CultureInfo.InvariantCulture));

                            // STEP:MS:continue goes on into the next phase even when a signal came, as a signal arriving
                            // just after the step would (the engine and the committer must then stop on their own).
                            if (pauseAt.Length == 2)
                            {
                                cancel.Token.ThrowIfCancellationRequested();
                            }
                        }
                    },
                };
                SamplesSummary summary = WithProgress(context, date, progress => SayWhenTheDiskIsFull(() => SamplesJob.Run(definition, Copy(options, progress), cancel.Token)));
                summaries.Add(summary.ToJson().TrimEnd());
                committed.Add(date);
                current = null;
            }
        }
        catch (Exception e) when (e is OperationCanceledException || cancel.IsCancellationRequested)
        {
            // Whatever a signal interrupted (DuckDB's statement, a file being written) ends here: the run stops with
            // the signal's exit code, its work folder and spill folder already removed by the job's disposal.
            return Failed(Stopped(), null, signalCode());
        }
        catch (JobFailedException e)
        {
            return Failed(e.Message, e.Counts, ExitCodes.Failure);
        }
        catch (Exception e) when (e is JobConfigException or OutputLockedException or OutputExistsException or IOException or UnauthorizedAccessException)
        {
            return Failed(e.Message, null, ExitCodes.Failure);
        }
        catch (ArgumentException e) when (e.ParamName == "options")
        {
            // The engine refused a setting the command line let through.
            err.WriteLine($"sparktf: samples: {e.Message.Replace(" (Parameter 'options')", "", StringComparison.Ordinal)}; check --memory-limit and --threads.");
            return ExitCodes.Usage;
        }

        WriteSummaries(context, result, o, summaries);
        if (cancel.IsCancellationRequested)
        {
            // The signal came after the last commit: the outputs are complete, but the run still reports the signal.
            err.WriteLine($"sparktf: {Stopped()}");
            return signalCode();
        }

        return ExitCodes.Success;
    }

    /// <summary>The run's dates and its <c>--output</c>, which is required and, for a range of dates, must contain
    /// <c>{date}</c>; shared by both engines.</summary>
    internal static (IReadOnlyList<DateOnly> Dates, string Output) DatesAndOutput(ParseResult result, JobOptions o)
    {
        var dates = DateOnlyOption.ParseRange(result.GetValue(o.Date)!);
        string output = result.GetValue(o.Output) ?? throw new UsageException("--output is required: the folder of this run's samples.");
        if (dates.Count > 1 && !output.Contains("{date}", StringComparison.Ordinal))
        {
            throw new UsageException($"--date {result.GetValue(o.Date)} is a range: --output must contain {{date}} so that each day has its own output.");
        }

        return (dates, output);
    }

    /// <summary>The summary of a run that failed before its first day started (a config error): the first day's, with
    /// no counts. Shared by both engines.</summary>
    internal static string FailedBeforeStart(DateOnly date, string output, string engine, string error) =>
        SamplesSummary.Failed(date, output.Contains("://", StringComparison.Ordinal) ? PathTemplate.ExpandOne(output, date) : Path.GetFullPath(PathTemplate.ExpandOne(output, date)), engine, error, null, 0).ToJson().TrimEnd();

    /// <summary>
    /// Refuses a <c>--summary</c> that cannot be written, before any work: a folder is a usage error (exit 2); a missing
    /// folder or a file that cannot be opened for writing is exit 1. Shared by both engines.
    /// </summary>
    internal static void CheckSummaryTarget(ParseResult result, JobOptions o)
    {
        if (result.GetValue(o.Summary) is not { } file)
        {
            return;
        }

        if (file.Length == 0 || Directory.Exists(file) || file.EndsWith('/'))
        {
            throw new UsageException($"--summary '{file}' is a folder, not a file: give the JSON summary's file, for example {Path.Combine(file, "summary.json")}. Nothing was run.");
        }

        string full = Path.GetFullPath(file);
        string folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
        {
            throw new IOException($"--summary {file}: the folder {folder} does not exist, so the summary could not be written; create it or choose another file. Nothing was run.");
        }

        bool existed = File.Exists(full);
        try
        {
            // Opened for writing without truncating it, so an existing summary stays until this run writes its own.
            using (File.Open(full, existed ? FileMode.Open : FileMode.CreateNew, FileAccess.Write))
            {
            }

            if (!existed)
            {
                File.Delete(full);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"--summary {file} cannot be written ({e.Message}); choose a file you can write. Nothing was run.", e);
        }
    }

    /// <summary>Writes the summaries (JSON objects without their last newline) to <c>--summary</c>, else stdout: one
    /// object, or an array of them for a range of dates; nothing when there are none (a dry run). A failed run's
    /// summaries (<paramref name="failed"/>, the last with status failed) go to <c>--summary</c> only: stdout carries a
    /// summary only when every day was committed. Shared by both engines.</summary>
    internal static void WriteSummaries(CliContext context, ParseResult result, JobOptions o, IReadOnlyList<string> summaries, bool failed = false)
    {
        if (summaries.Count == 0 || (failed && result.GetValue(o.Summary) is null))
        {
            return;
        }

        string json = summaries.Count == 1 ? summaries[0] + "\n" : "[\n" + string.Join(",\n", summaries) + "\n]\n";
        if (result.GetValue(o.Summary) is { } file)
        {
            // Written beside and moved into place, so a reader never sees half a summary.
            string full = Path.GetFullPath(file);
            string temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
            File.WriteAllText(temp, json, new UTF8Encoding(false));
            File.Move(temp, full, overwrite: true);
        }
        else
        {
            context.Out.Write(json);
        }
    }

    private static SamplesJobOptions Copy(SamplesJobOptions o, IJobProgress progress) => new()
    {
        Date = o.Date,
        Input = o.Input,
        Output = o.Output,
        Overrides = o.Overrides,
        NoClobber = o.NoClobber,
        Force = o.Force,
        Audit = o.Audit,
        Engine = o.Engine,
        OnCommitStep = o.OnCommitStep,
        SamplesPerPass = o.SamplesPerPass,
        OnMemoryRetry = o.OnMemoryRetry,
        Progress = progress,
    };

    /// <summary>
    /// Runs a day's job and, when its file system fills up, says so with what it means and what to do (the I/O error
    /// alone names a part file in a hidden folder). The job has removed its work folder by the time the error gets
    /// here; the error stays an IOException, reported as the other I/O errors are (exit 1).
    /// </summary>
    private static T SayWhenTheDiskIsFull<T>(Func<T> run)
    {
        const int noSpace = 28; // ENOSPC: .NET's IOException carries the errno on Unix
        const int quotaExceeded = 122; // EDQUOT on Linux
        try
        {
            return run();
        }
        catch (IOException e) when (e.HResult is noSpace or quotaExceeded)
        {
            throw new IOException($"samples: the file system is full ({e.Message.Trim()}). Nothing was committed: the output is as it was and " +
                                  "this run's temporary files are removed. Free space there (or write --output, or spill with --spill-dir, elsewhere) and run again.", e);
        }
    }

    /// <summary>Runs with a progress display on stderr (plain milestone lines when stderr is not a terminal).</summary>
    private static T WithProgress<T>(CliContext context, DateOnly date, Func<IJobProgress, T> run)
    {
        if (!context.StderrIsTerminal)
        {
            return run(new PlainProgress(context.Err, $"{date:yyyy-MM-dd}"));
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(context.Err) });
        T value = default!;
        console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(context => value = run(new ConsoleProgress(context, $"{date:yyyy-MM-dd}")));
        return value;
    }

    private sealed class ConsoleProgress(ProgressContext context, string prefix) : IJobProgress
    {
        private ProgressTask? _task;

        public void Start(string stage, long? total)
        {
            _task = context.AddTask($"{prefix} {stage}", maxValue: Math.Max(1, total ?? 1));
            _task.IsIndeterminate = total is null;
        }

        public void Report(long done)
        {
            if (_task is not null)
            {
                _task.Value = done;
            }
        }

        public void Stop()
        {
            if (_task is not null)
            {
                _task.IsIndeterminate = false;
                _task.Value = _task.MaxValue;
                _task.StopTask();
            }
        }
    }

    /// <summary>Milestone lines for logs and schedulers: each stage's start and end, and every quarter of a long stage.</summary>
    private sealed class PlainProgress(TextWriter err, string prefix) : IJobProgress
    {
        private readonly Stopwatch _clock = new();
        private string _stage = "";
        private long? _total;
        private int _quarter;

        public void Start(string stage, long? total)
        {
            _stage = stage;
            _total = total;
            _quarter = 0;
            _clock.Restart();
            err.WriteLine($"sparktf: {prefix} {stage}: started{(total is { } t && stage == "write" ? $" ({t} samples)" : "")}");
        }

        public void Report(long done)
        {
            if (_total is > 0 && _stage == "write")
            {
                int quarter = (int)(4 * done / _total.Value);
                if (quarter > _quarter && quarter < 4)
                {
                    _quarter = quarter;
                    // The line says how far the stage is (done / total, rounded down), not which quarter it passed:
                    // reports come every 4096 samples, so the quarter's mark and the fraction differ.
                    err.WriteLine($"sparktf: {prefix} {_stage}: {done}/{_total} ({100 * done / _total.Value}%)");
                }
            }
        }

        public void Stop() => err.WriteLine($"sparktf: {prefix} {_stage}: done in {_clock.Elapsed.TotalSeconds:F1} s");
    }
}
