using System.Diagnostics;
using System.Runtime.InteropServices;
using SparkTfrecord.Engine.Engines;
using SparkTfrecord.Engine.Jobs;
using SparkTfrecord.Engine.Output;
using SparkTfrecord.Engine.Planning;

namespace SparkTfrecord.Engine.Spark;

/// <summary>
/// Runs <c>samples</c> on Spark, a day at a time: writes the day's script, runs spark-sql (client mode) or spark-submit
/// with the PySpark runner (cluster mode) with Spark's output streamed to the log, checks what Spark reports (its exit
/// code, the count, the bad rows, <c>_SUCCESS</c>, the day's checks), then adds <c>_manifest.json</c> (connector) or
/// encodes Spark's Parquet (native writer) and commits a local output. A cancelled token forwards the stop signal to
/// Spark, kills it after <see cref="SparkSamplesRunOptions.KillAfter"/>, cleans up and throws
/// <see cref="JobStoppedException"/>.
/// </summary>
internal sealed class SparkLauncher
{
    private readonly SparkLaunchOptions _options;
    private readonly TextWriter _log;

    /// <summary>Creates a launcher.</summary>
    /// <param name="options">What to run.</param>
    /// <param name="log">Where progress, Spark's output and errors go, one line each (a command's stderr).</param>
    public SparkLauncher(SparkLaunchOptions options, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        _options = options;
        _log = log;
    }

    /// <summary>Runs every day. A backfill first checks each day's local output with the output guard, so that a refused
    /// output stops it before Spark starts.</summary>
    /// <param name="cancellationToken">Cancelled by a stop signal (see <see cref="SparkSamplesRunOptions.StopSignal"/>).</param>
    /// <returns>The days' summaries, and the failed day's error when one failed.</returns>
    /// <exception cref="JobStoppedException">The token was cancelled; the outputs are as the message says, and its
    /// <see cref="JobStoppedException.Summaries"/> are the days'.</exception>
    /// <exception cref="EngineSetupException">The Spark options do not fit together.</exception>
    /// <exception cref="IOException">A local output is refused, locked, or an input is missing.</exception>
    public SparkLaunchResult Run(CancellationToken cancellationToken)
    {
        if (_options.Run.Dates.Count > 1)
        {
            CheckLocalOutputs();
        }

        var summaries = new List<SamplesSummary>();
        foreach (var date in _options.Run.Dates)
        {
            var clock = Stopwatch.StartNew();
            var day = new SparkDayLaunch(_options, ForDay(date), _log);
            try
            {
                if (day.Run(cancellationToken) is { } summary)
                {
                    summaries.Add(summary);
                    continue;
                }
            }
            catch (JobStoppedException e)
            {
                summaries.Add(FailedDay(date, $"stopped by {SignalName()}", null, clock));
                throw new JobStoppedException(e.Message, summaries, e);
            }

            // A failed day still gets its summary (status failed, the error, the counts known), after the days before it.
            summaries.Add(FailedDay(date, day.Failure, day.FailureCounts, clock));
            return new SparkLaunchResult(summaries, day.Failure);
        }

        return new SparkLaunchResult(summaries, null);
    }

    /// <summary>Writes what <see cref="Run"/> would do, day by day, without running anything: the command line, where
    /// the output goes, and the script. Spark need not be installed.</summary>
    /// <param name="output">Where the description goes (a command's stdout).</param>
    /// <returns>No summaries; the failed day's error (reported on the log) when a day cannot be described.</returns>
    /// <exception cref="EngineSetupException">The Spark options do not fit together.</exception>
    public SparkLaunchResult DryRun(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (var date in _options.Run.Dates)
        {
            var day = new SparkDayLaunch(_options, ForDay(date), _log);
            if (!day.Describe(output))
            {
                return new SparkLaunchResult([], day.Failure);
            }
        }

        return new SparkLaunchResult([], null);
    }

    private SparkRunOptions ForDay(DateOnly date) => _options.Run.Spark with { Date = date };

    private SamplesSummary FailedDay(DateOnly date, string error, IReadOnlyDictionary<string, long>? counts, Stopwatch clock) =>
        SamplesSummary.Failed(date, Target(_options.Run.Spark.Output, date), "spark", error, counts, clock.Elapsed.TotalSeconds);

    // A URI as given (file:/x too, which Path.GetFullPath would take for a relative name); a plain path in full.
    private static string Target(string output, DateOnly date) =>
        output.Contains("://", StringComparison.Ordinal) || output.StartsWith("file:", StringComparison.Ordinal)
            ? PathTemplate.ExpandOne(output, date)
            : Path.GetFullPath(PathTemplate.ExpandOne(output, date));

    private string SignalName() => SparkDayLaunch.Signal(_options) == PosixSignal.SIGTERM ? "SIGTERM" : "Ctrl-C";

    /// <summary>Each day's local output through the output guard (remote outputs are not checked here).</summary>
    private void CheckLocalOutputs()
    {
        string? input = _options.Run.Spark.Input;
        foreach (var date in _options.Run.Dates)
        {
            var options = ForDay(date);
            string expanded = PathTemplate.ExpandOne(options.Output, date);
            if (!SparkSetup.IsLocalPath(expanded, options))
            {
                continue;
            }

            bool localInput = input is not null && SparkSetup.IsLocalPath(input, options);
            var plan = JobPlan.Create(_options.Definition, date, localInput ? input : "{input}", resolveFiles: false);
            OutputGuard.CheckFolder(expanded, new OutputGuardOptions
            {
                Force = _options.Run.Force,
                InputPaths = OutputGuard.InputsOf(plan, localInput ? input : null),
            });
        }
    }
}
