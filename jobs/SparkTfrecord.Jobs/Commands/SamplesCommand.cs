using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Jobs;
using SparkTfrecord.Engine.Output;
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

    /// <summary>Test-only hook: wait (interruptibly) after a commit step, <c>STEP:MILLISECONDS</c>, so a test can act mid-run.</summary>
    public const string PauseAtStepVariable = "SPARKTF_TEST_PAUSE_AT_STEP";

    public static Command Create()
    {
        var options = new JobOptions();
        var spark = new SparkOptions();
        var command = options.AddTo(new Command("samples", "Build training samples for a date: join the click logs point-in-time correctly and write TFRecord shards, _manifest.json and _SUCCESS."));
        spark.AddTo(command, withDryRun: true);
        command.SetAction(result => result.GetValue(options.Engine) == "spark" ? SparkEngineCommand.Samples(result, options, spark) : Run(result, options));
        return command;
    }

    private static int Run(ParseResult result, JobOptions o)
    {
        var err = Console.Error;
        var (dates, output) = DatesAndOutput(result, o);
        JobDefinition definition;
        try
        {
            definition = JobDefinition.Load(result.GetValue(o.Spec)!);
        }
        catch (JobConfigException e)
        {
            err.WriteLine($"sparktf: {e.Message}");
            return ExitCodes.Failure;
        }

        using var cancel = new CancellationTokenSource();
        int interruptedCode = ExitCodes.Interrupted;
        void OnSignal(PosixSignalContext context, int code)
        {
            context.Cancel = true; // we stop ourselves, after cleaning up
            interruptedCode = code;
            cancel.Cancel();
        }

        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => OnSignal(c, ExitCodes.Terminated));
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => OnSignal(c, ExitCodes.Interrupted));
        string? killAt = Environment.GetEnvironmentVariable(KillAtStepVariable);
        string[] pauseAt = (Environment.GetEnvironmentVariable(PauseAtStepVariable) ?? "").Split(':');

        var summaries = new List<string>();
        try
        {
            foreach (var date in dates)
            {
                var options = new SamplesJobOptions
                {
                    Date = date,
                    Input = result.GetValue(o.Input),
                    Output = output,
                    Shards = result.GetValue(o.Shards),
                    Compression = result.GetValue(o.Compression),
                    MaxBadFraction = result.GetValue(o.MaxBadFraction),
                    NoClobber = result.GetValue(o.NoClobber),
                    Audit = result.GetValue(o.Audit),
                    Engine = o.EngineOptions(result),
                    OnCommitStep = step =>
                    {
                        if (step == killAt)
                        {
                            Process.GetCurrentProcess().Kill(); // SIGKILL: no cleanup of any kind, as a crash would be
                        }

                        if (pauseAt.Length == 2 && step == pauseAt[0])
                        {
                            err.WriteLine($"sparktf: test hook: pausing after step {step}");
                            cancel.Token.WaitHandle.WaitOne(int.Parse(pauseAt[1], System.Globalization.CultureInfo.InvariantCulture));
                            cancel.Token.ThrowIfCancellationRequested();
                        }
                    },
                };
                SamplesSummary summary = WithProgress(date, progress => SayWhenTheDiskIsFull(() => SamplesJob.Run(definition, Copy(options, progress), cancel.Token)));
                summaries.Add(summary.ToJson().TrimEnd());
            }
        }
        catch (OperationCanceledException)
        {
            err.WriteLine($"sparktf: samples: stopped by {(interruptedCode == ExitCodes.Terminated ? "SIGTERM" : "Ctrl-C")}; temporary files removed, the output is as it was.");
            return interruptedCode;
        }
        catch (Exception e) when (e is JobFailedException or JobConfigException or OutputLockedException or OutputExistsException)
        {
            err.WriteLine($"sparktf: {e.Message}");
            return ExitCodes.Failure;
        }

        WriteSummaries(result, o, summaries);
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

    /// <summary>Writes the summaries (JSON objects without their last newline) to <c>--summary</c>, else stdout: one
    /// object, or an array of them for a range of dates; nothing when there are none (a dry run). Shared by both engines.</summary>
    internal static void WriteSummaries(ParseResult result, JobOptions o, IReadOnlyList<string> summaries)
    {
        if (summaries.Count == 0)
        {
            return;
        }

        string json = summaries.Count == 1 ? summaries[0] + "\n" : "[\n" + string.Join(",\n", summaries) + "\n]\n";
        if (result.GetValue(o.Summary) is { } file)
        {
            File.WriteAllText(file, json, new UTF8Encoding(false));
        }
        else
        {
            Console.Out.Write(json);
        }
    }

    private static SamplesJobOptions Copy(SamplesJobOptions o, IJobProgress progress) => new()
    {
        Date = o.Date,
        Input = o.Input,
        Output = o.Output,
        Shards = o.Shards,
        Compression = o.Compression,
        MaxBadFraction = o.MaxBadFraction,
        NoClobber = o.NoClobber,
        Audit = o.Audit,
        Engine = o.Engine,
        OnCommitStep = o.OnCommitStep,
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
    private static T WithProgress<T>(DateOnly date, Func<IJobProgress, T> run)
    {
        if (Console.IsErrorRedirected)
        {
            return run(new PlainProgress(Console.Error, $"{date:yyyy-MM-dd}"));
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
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
