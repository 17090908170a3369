using System.Diagnostics;
using SparkTfrecord.Engine.Jobs;
using Spectre.Console;

namespace SparkTfrecord.Jobs;

/// <summary>A job's progress on stderr: live bars when a person watches a terminal, else plain milestone lines for logs
/// and schedulers.</summary>
internal static class ProgressDisplay
{
    /// <summary>Runs <paramref name="run"/> with a progress receiver drawing on <paramref name="context"/>'s stderr,
    /// its stages named after <paramref name="prefix"/> (the day).</summary>
    public static T Show<T>(CliContext context, string prefix, Func<IJobProgress, T> run)
    {
        if (!context.StderrIsTerminal)
        {
            return run(new PlainProgress(context.Err, prefix));
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(context.Err) });
        T value = default!;
        console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(progress => value = run(new BarProgress(progress, prefix)));
        return value;
    }

    private sealed class BarProgress(ProgressContext context, string prefix) : IJobProgress
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

    /// <summary>Milestone lines: each stage's start and end, and every quarter of a long stage.</summary>
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
