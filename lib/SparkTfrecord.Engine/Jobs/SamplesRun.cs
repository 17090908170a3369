using System.Diagnostics;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Output;
using SparkTfrecord.Engine.Planning;

namespace SparkTfrecord.Engine.Jobs;

/// <summary>
/// <c>sparktf samples</c> on the embedded engine over one date or a range: checks every day's output before the first
/// day runs (a backfill stops before any work when one is refused), runs the days in order, and writes the summaries.
/// A failed or stopped day still gets its summary (status failed, the error, the counts known) after the days before it;
/// then the error propagates for the caller to report (a stop as <see cref="JobStoppedException"/>).
/// </summary>
public sealed class SamplesRun
{
    private readonly SamplesRunOptions _options;
    private readonly List<string> _summaries = [];
    private readonly List<DateOnly> _committed = [];
    private readonly Stopwatch _clock = new();
    private DateOnly? _current;

    private SamplesRun(SamplesRunOptions options) => _options = options;

    /// <summary>Runs every day of <paramref name="options"/> and writes the summaries.</summary>
    /// <param name="options">The run.</param>
    /// <param name="cancellation">Stops the run: the day being written is left as it was, its temporary files removed.</param>
    /// <exception cref="JobConfigException">The spec is wrong (nothing ran).</exception>
    /// <exception cref="JobStoppedException">Cancelled; the message says what the stop left.</exception>
    /// <exception cref="JobFailedException">A day failed for a reason the user can act on (the disk full among them).</exception>
    /// <exception cref="InputDataException">An input is missing or cannot be read.</exception>
    /// <exception cref="OutputRefusedException">The output (or the summary file) is refused, locked, or exists with no-clobber.</exception>
    public static void Run(SamplesRunOptions options, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var definition = SamplesStart.LoadOrReport(options.Spec, options.Overrides, options.Dates[0], options.Output, "duckdb", options.SummaryFile, options.Stdout);
        new SamplesRun(options).Run(definition, cancellation);
    }

    private void Run(JobDefinition definition, CancellationToken cancellation)
    {
        try
        {
            SamplesStart.CheckEmbeddedEngine(definition);
            CheckEveryOutput(definition);
            foreach (var date in _options.Dates)
            {
                _current = date;
                _clock.Restart();
                SamplesSummary summary = _options.WithProgress(date, progress => SayWhenTheDiskIsFull(() => SamplesJob.Run(definition, DayOptions(date, progress), cancellation)));
                _summaries.Add(summary.ToJson().TrimEnd());
                _committed.Add(date);
                _current = null;
            }
        }
        catch (Exception e) when (e is OperationCanceledException || cancellation.IsCancellationRequested)
        {
            // Whatever the cancellation interrupted (DuckDB's statement, a file being written) ends here: the job's
            // disposal has removed its work folder and spill folder.
            string outcome = StopOutcome();
            Failed($"samples: stopped by {_options.StoppedBy()}{(outcome.Length > 0 ? "; " + outcome : "")}.", null);
            throw new JobStoppedException(outcome, e);
        }
        catch (JobFailedException e)
        {
            Failed(e.Message, e.Counts);
            throw;
        }
        catch (Exception e) when (e is JobConfigException or IOException or UnauthorizedAccessException)
        {
            Failed(e.Message, null);
            throw;
        }

        SamplesSummaries.Write(_summaries, _options.SummaryFile, _options.Stdout);
        if (cancellation.IsCancellationRequested)
        {
            // The cancellation came after the last commit: the outputs are complete, but the run still reports it.
            throw new JobStoppedException(StopOutcome());
        }
    }

    /// <summary>A backfill checks every day's output before the first day runs, so a refused output stops it before any work.</summary>
    private void CheckEveryOutput(JobDefinition definition)
    {
        if (_options.Dates.Count < 2)
        {
            return;
        }

        foreach (var date in _options.Dates)
        {
            var plan = JobPlan.Create(definition, date, _options.Input, resolveFiles: false);
            OutputGuard.CheckFolder(PathTemplate.ExpandOne(_options.Output, date), new OutputGuardOptions
            {
                Force = _options.Force,
                InputPaths = OutputGuard.InputsOf(plan, _options.Input),
            });
        }
    }

    private SamplesJobOptions DayOptions(DateOnly date, IJobProgress progress) => new()
    {
        Date = date,
        Input = _options.Input,
        Output = _options.Output,
        NoClobber = _options.NoClobber,
        Force = _options.Force,
        Audit = _options.Audit,
        Engine = _options.Engine,
        Progress = progress,
        OnMemoryRetry = note => _options.OnMemoryRetry?.Invoke(date, note),
        State = _options.State,
        OnState = note => _options.OnState?.Invoke(date, note),
        OnInputs = note => _options.OnInputs?.Invoke(date, note),
        ReportHtml = _options.ReportHtml,
        OnStatistics = note => _options.OnStatistics?.Invoke(date, note),
    };

    /// <summary>What a stop left: the day being written as it was, and the days committed before it.</summary>
    private string StopOutcome()
    {
        var parts = new List<string>();
        if (_current is { } day)
        {
            parts.Add($"temporary files removed, the output of {PathTemplate.Format(day)} is as it was");
        }

        if (_committed.Count > 0)
        {
            parts.Add($"complete and committed before the signal: {string.Join(", ", _committed.Select(PathTemplate.Format))}");
        }

        return string.Join("; ", parts);
    }

    /// <summary>Adds the failed day's summary (the day being run, else the last) and writes the summaries.</summary>
    private void Failed(string error, IReadOnlyDictionary<string, long>? counts)
    {
        DateOnly day = _current ?? _options.Dates[^1];
        string path = Path.GetFullPath(PathTemplate.ExpandOne(_options.Output, day));
        _summaries.Add(SamplesSummary.Failed(day, path, "duckdb", error, counts, _clock.Elapsed.TotalSeconds).ToJson().TrimEnd());
        SamplesSummaries.Write(_summaries, _options.SummaryFile, _options.Stdout, failed: true);
    }

    /// <summary>
    /// Runs a day's job and, when its file system fills up, says so with what it means and what to do (the I/O error
    /// alone names a part file in a hidden folder). The job has removed its work folder by the time the error gets
    /// here; the error becomes <see cref="JobFailure.DiskFull"/>.
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
            throw new JobFailedException(JobFailure.DiskFull, $"samples: the file system is full ({e.Message.Trim()}). Nothing was committed: the output is as it was and " +
                                  "this run's temporary files are removed. Free space there (or write --output, or spill with --spill-dir, elsewhere) and run again.", inner: e);
        }
    }
}
