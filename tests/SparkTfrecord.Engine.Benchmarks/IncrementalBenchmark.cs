using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using SparkTfrecord.Engine.Generation;

/// <summary>
/// Issue 12's benchmark of the incremental run: at each scale, for each history window (the same logs; a copy of the
/// spec with the window and the clicks' day range changed), the full recompute of the run day, then a chain of two runs
/// with <c>--state</c> (the day before, leaving its snapshot, then the run day, which uses it). Each run is
/// <c>sparktf samples</c> as its own process with the default memory limit. The run day with state is checked, not only
/// timed: its summary must say it used the day before's snapshot and read at most two click partitions, and its part
/// files must equal the full recompute's byte for byte. The table gives each window's full recompute, the run with
/// state, their ratio, and the run with state against the first window's.
/// </summary>
internal static class IncrementalBenchmark
{
    private const int HistoryWindowInSpec = 15;

    /// <summary>Generates (once, kept in <paramref name="work"/>), runs and prints the table.</summary>
    /// <param name="baseImpressions">Impressions on the run day (and the day before) at scale 1.</param>
    /// <param name="baseHistoryImpressions">Impressions drawn per history day (before the day before) at scale 1.</param>
    /// <param name="scales">The scales.</param>
    /// <param name="windows">History windows in days (the first is the baseline of the last column).</param>
    /// <param name="work">Folder for logs, specs, states and outputs.</param>
    /// <param name="sparktf">The sparktf assembly.</param>
    /// <param name="spec">The spec (conf/din.yaml).</param>
    /// <param name="date">The run day.</param>
    /// <returns>The exit code: 1 when a check failed.</returns>
    public static int Run(int baseImpressions, int baseHistoryImpressions, int[] scales, int[] windows, string work, string sparktf, string spec, string date)
    {
        var day = DateOnly.Parse(date, CultureInfo.InvariantCulture);
        string dayBefore = day.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        int days = windows.Max() + 1;
        var rows = new List<(int Scale, int Window, Measured Full, Measured State)>();
        var floors = new Dictionary<int, Measured>();
        bool ok = true;
        foreach (int scale in scales)
        {
            string logs = Logs(work, scale, baseImpressions, baseHistoryImpressions, days, day);

            // The floor: the same run day without the history (its feature, its rule, and the clicks read for the
            // label alone). Any run that writes these samples does at least this work, state or not.
            floors[scale] = Measure($"floor {scale}x (no history)", Samples(sparktf, SpecWithoutHistory(spec, work), date, logs, Path.Combine(work, $"out-floor-{scale}x")));
            foreach (int window in windows)
            {
                string windowSpec = SpecWithWindow(spec, window, work);
                string name = $"{scale}x-{window}d";
                string fullOut = Path.Combine(work, $"out-full-{name}");
                var fullRun = Measure($"full recompute {name}", Samples(sparktf, windowSpec, date, logs, fullOut));

                // The day before, with --state: a full recompute that leaves the snapshot the run day uses.
                string state = Path.Combine(work, $"state-{name}");
                if (Directory.Exists(state))
                {
                    Directory.Delete(state, true);
                }

                Measure($"day before with --state {name}", Samples(sparktf, windowSpec, dayBefore, logs, Path.Combine(work, $"out-before-{name}"), state));
                string stateOut = Path.Combine(work, $"out-state-{name}");
                var stateRun = Measure($"run day with --state {name}", Samples(sparktf, windowSpec, date, logs, stateOut, state));
                ok &= Check(name, stateOut, fullOut, dayBefore);
                rows.Add((scale, window, fullRun, stateRun));
            }
        }

        Console.WriteLine($"Logs: the run day and the day before with {baseImpressions:N0} impressions x scale, each earlier day (the history) with " +
            $"{baseHistoryImpressions:N0} x scale drawn for its clicks; {days} days of clicks. Times are wall (CPU) seconds.");
        Console.WriteLine();
        Console.WriteLine($"| impressions on the run day | window | full recompute | with state | with state / full | with state vs the {windows[0]}-day window | floor (no history) / full | peak RSS full / with state |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (scale, window, f, s) in rows)
        {
            var baseline = rows.First(r => r.Scale == scale && r.Window == windows[0]).State;
            var floor = floors[scale];
            Console.WriteLine($"| {scale * baseImpressions:N0} | {window} days | {f.Wall:F1} s ({f.Cpu:F1} s) | {s.Wall:F1} s ({s.Cpu:F1} s) | {s.Wall / f.Wall:F2}x ({s.Cpu / f.Cpu:F2}x) | " +
                $"{s.Wall / baseline.Wall:F2}x ({s.Cpu / baseline.Cpu:F2}x) | {floor.Wall / f.Wall:F2}x ({floor.Cpu / f.Cpu:F2}x) | {f.PeakKb / 1024} / {s.PeakKb / 1024} MiB |");
        }

        return ok ? 0 : 1;
    }

    // Logs with impressions on the run day and the day before (the day before's run leaves the snapshot) at the run
    // day's rate, and `days` days of clicks; the days before those two are drawn at the history's rate (gen-logs
    // --history-impressions-per-day): a 60-day history in a fraction of the time 60 full days would take.
    private static string Logs(string work, int scale, int baseImpressions, int baseHistoryImpressions, int days, DateOnly day)
    {
        string logs = Path.Combine(work, $"logs-{scale}x-{days}d-h{baseHistoryImpressions}");
        var options = new LogGeneratorOptions
        {
            Output = logs,
            Date = day,
            Days = days,
            ImpressionDays = 2,
            ImpressionsPerDay = baseImpressions * scale,
            HistoryImpressionsPerDay = baseHistoryImpressions * scale,
            Users = 100_000 * scale,
            Items = 50_000 * scale,
            Seed = 7,
        };
        string key = LogsCache.Key(options);
        if (LogsCache.TryReuse(logs, key))
        {
            return logs;
        }

        Console.Error.WriteLine($"generating {scale}x logs with {days} days of clicks in {logs} ...");
        var clock = Stopwatch.StartNew();
        var generated = LogGenerator.Generate(options, done =>
        {
            Console.Error.WriteLine($"  {done:yyyy-MM-dd} drawn ({clock.Elapsed.TotalSeconds:F0} s)");
            if (done == day)
            {
                Console.Error.WriteLine("  writing the clicks' partitions, users and items ...");
            }
        });
        string line = $"{generated}; generated in {clock.Elapsed.TotalSeconds:F0} s";
        LogsCache.Done(logs, key, line);
        Console.Error.WriteLine(line);
        return logs;
    }

    // The spec with another history window: the window and the clicks' day range (the window plus the label's next day).
    private static string SpecWithWindow(string spec, int window, string work)
    {
        if (window == HistoryWindowInSpec)
        {
            return spec;
        }

        string text = File.ReadAllText(spec);
        string changed = text
            .Replace($"dt={{date-{HistoryWindowInSpec}d..date+1d}}", $"dt={{date-{window}d..date+1d}}", StringComparison.Ordinal)
            .Replace($"window: {HistoryWindowInSpec}d", $"window: {window}d", StringComparison.Ordinal);
        if (changed.Split($"{window}d").Length != 3)
        {
            throw new InvalidOperationException($"{spec}: expected one clicks range {{date-{HistoryWindowInSpec}d..date+1d}} and one 'window: {HistoryWindowInSpec}d' to change");
        }

        string path = Path.Combine(work, $"din-{window}d.yaml");
        File.WriteAllText(path, changed);
        return path;
    }

    // The spec without its history: the feature's block, its rule under job.history, and the clicks' range cut to the
    // label's days (the run day and the next).
    private static string SpecWithoutHistory(string spec, string work)
    {
        string text = File.ReadAllText(spec);
        string changed = Regex.Replace(text, @"\n  # Items the user clicked.*?\n(?=\n# The jobs)", "\n", RegexOptions.Singleline);
        changed = Regex.Replace(changed, @"  history:\n    clicked_items_15d: \{[^\n]*\}\n", "");
        changed = changed.Replace($"dt={{date-{HistoryWindowInSpec}d..date+1d}}", "dt={date..date+1d}", StringComparison.Ordinal);
        if (changed.Contains("clicked_items_15d", StringComparison.Ordinal) || changed.Contains($"date-{HistoryWindowInSpec}d", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{spec}: expected the clicked_items_15d feature block, its history rule and one clicks range to remove");
        }

        string path = Path.Combine(work, "din-no-history.yaml");
        File.WriteAllText(path, changed);
        return path;
    }

    private static string[] Samples(string sparktf, string spec, string date, string logs, string output, string? state = null)
    {
        string[] command = [sparktf, "samples", "--conf", spec, "--date", date, "--input", logs, "--output", output, "--compression", "none", "--summary", output + ".json"];
        return state is null ? command : [.. command, "--state", state];
    }

    private static Measured Measure(string what, string[] command)
    {
        var (wall, cpu, peakKb) = ChildProcess.MeasureWithCpu(command);
        Console.Error.WriteLine($"  {what}: {wall:F1} s wall, {cpu:F1} s CPU, peak {peakKb / 1024} MiB; load average {File.ReadAllText("/proc/loadavg").Trim()}");
        return new Measured(wall, cpu, peakKb);
    }

    // The run with state used the day before's snapshot, read at most two click partitions, and wrote what the full
    // recompute wrote.
    private static bool Check(string name, string stateOut, string fullOut, string dayBefore)
    {
        using var summary = JsonDocument.Parse(File.ReadAllText(stateOut + ".json"));
        var root = summary.RootElement;
        string? used = root.GetProperty("state").GetProperty("used").GetString();
        int clickFiles = root.GetProperty("files_read").GetProperty("clicks").GetInt32();
        var problems = new List<string>();
        if (used != dayBefore)
        {
            problems.Add($"the snapshot used is {used ?? "none"} ({root.GetProperty("state").GetProperty("reason").GetString()}), not {dayBefore}");
        }

        if (clickFiles > 2)
        {
            problems.Add($"{clickFiles} click files read, more than the run day's and the next day's partitions");
        }

        var a = Directory.GetFiles(stateOut, "part-*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(stateOut, f)).Order(StringComparer.Ordinal).ToList();
        var b = Directory.GetFiles(fullOut, "part-*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(fullOut, f)).Order(StringComparer.Ordinal).ToList();
        if (!a.SequenceEqual(b))
        {
            problems.Add("the part files differ in names");
        }
        else
        {
            problems.AddRange(a.Where(f => !File.ReadAllBytes(Path.Combine(stateOut, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(fullOut, f)))).Select(f => $"{f} differs from the full recompute's"));
        }

        foreach (string p in problems)
        {
            Console.Error.WriteLine($"  CHECK FAILED ({name}): {p}");
        }

        return problems.Count == 0;
    }

    private readonly record struct Measured(double Wall, double Cpu, long PeakKb);
}
