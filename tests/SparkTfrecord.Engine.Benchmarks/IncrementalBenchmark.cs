using System.Globalization;
using System.Text.Json;
using SparkTfrecord.Engine.Generation;

/// <summary>
/// Issue 12's benchmark, in one run: the full recompute at each scale (its time as a ratio of the first scale's, and
/// its peak resident set), and at the largest scale the run with a usable snapshot (<c>--state</c>) against the full
/// recompute, for each history window (the same logs; a copy of the spec with the window and the clicks' day range
/// changed). Each run is <c>sparktf samples</c> as its own process with the default memory limit. The run with state
/// is checked, not only timed: its summary must say it used the day before's snapshot and read at most two click
/// partitions, and its part files must equal the full recompute's byte for byte.
/// </summary>
internal static class IncrementalBenchmark
{
    private const int HistoryWindowInSpec = 15;

    /// <summary>Generates (once, kept in <paramref name="work"/>), runs and prints the tables.</summary>
    /// <param name="baseImpressions">Impressions on the run day at scale 1.</param>
    /// <param name="scales">The scales (the first is the baseline).</param>
    /// <param name="windows">History windows in days (the first is the spec's own, 15).</param>
    /// <param name="work">Folder for logs, specs, states and outputs.</param>
    /// <param name="sparktf">The sparktf assembly.</param>
    /// <param name="spec">The spec (conf/din.yaml).</param>
    /// <param name="date">The run day.</param>
    /// <returns>The exit code: 1 when a check failed.</returns>
    public static int Run(int baseImpressions, int[] scales, int[] windows, string work, string sparktf, string spec, string date)
    {
        var day = DateOnly.Parse(date, CultureInfo.InvariantCulture);
        string dayBefore = day.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        int days = windows.Max() + 1;
        var full = new List<(int Scale, (double Wall, double Cpu, long PeakKb) M)>();
        var incremental = new List<(int Window, (double Wall, double Cpu, long PeakKb) Full, (double Wall, double Cpu, long PeakKb) State)>();
        bool ok = true;
        foreach (int scale in scales)
        {
            string logs = Logs(work, scale, baseImpressions, days, day);
            bool largest = scale == scales.Max();
            foreach (int window in largest ? windows : windows.Take(1))
            {
                string windowSpec = SpecWithWindow(spec, window, work);
                string name = $"{scale}x-{window}d";
                string fullOut = Path.Combine(work, $"out-full-{name}");
                var fullRun = Measure($"full recompute {name}", Samples(sparktf, windowSpec, date, logs, fullOut));
                if (window == windows[0])
                {
                    full.Add((scale, fullRun));
                }

                if (!largest)
                {
                    continue;
                }

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
                incremental.Add((window, fullRun, stateRun));
            }
        }

        Console.WriteLine($"| run | impressions on the run day | wall | CPU | peak RSS | wall ratio | CPU ratio |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        var (_, b) = full[0];
        foreach (var (scale, m) in full)
        {
            Console.WriteLine($"| full recompute, {HistoryWindowInSpec}-day window | {scale * baseImpressions:N0} | {m.Wall:F1} s | {m.Cpu:F1} s | {m.PeakKb / 1024} MiB | {m.Wall / b.Wall:F2}x | {m.Cpu / b.Cpu:F2}x |");
        }

        foreach (var (window, f, s) in incremental)
        {
            Console.WriteLine($"| with state vs full, {window}-day window | {scales.Max() * baseImpressions:N0} | {s.Wall:F1} s | {s.Cpu:F1} s | {s.PeakKb / 1024} MiB | {s.Wall / f.Wall:F2}x | {s.Cpu / f.Cpu:F2}x |");
        }

        if (incremental.Count > 1)
        {
            var first = incremental[0].State;
            foreach (var (window, _, s) in incremental.Skip(1))
            {
                Console.WriteLine($"| with state, {window}-day vs {incremental[0].Window}-day window | {scales.Max() * baseImpressions:N0} | {s.Wall:F1} s | {s.Cpu:F1} s | {s.PeakKb / 1024} MiB | {s.Wall / first.Wall:F2}x | {s.Cpu / first.Cpu:F2}x |");
            }
        }

        return ok ? 0 : 1;
    }

    // Logs with impressions on the run day and the day before (the day before's run leaves the snapshot) and `days` days
    // of clicks.
    private static string Logs(string work, int scale, int baseImpressions, int days, DateOnly day)
    {
        string logs = Path.Combine(work, $"logs-{scale}x-{days}d");
        if (File.Exists(Path.Combine(logs, "_DONE")))
        {
            Console.Error.WriteLine(File.ReadAllText(Path.Combine(logs, "_DONE")).Trim());
            return logs;
        }

        Console.Error.WriteLine($"generating {scale}x logs with {days} days of clicks in {logs} ...");
        if (Directory.Exists(logs))
        {
            Directory.Delete(logs, true);
        }

        var generated = LogGenerator.Generate(new LogGeneratorOptions
        {
            Output = logs,
            Date = day,
            Days = days,
            ImpressionDays = 2,
            ImpressionsPerDay = baseImpressions * scale,
            Users = 100_000 * scale,
            Items = 50_000 * scale,
            Seed = 7,
        });
        File.WriteAllText(Path.Combine(logs, "_DONE"), $"{generated}\n");
        Console.Error.WriteLine(generated);
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

    private static string[] Samples(string sparktf, string spec, string date, string logs, string output, string? state = null)
    {
        string[] command = [sparktf, "samples", "--conf", spec, "--date", date, "--input", logs, "--output", output, "--compression", "none", "--summary", output + ".json"];
        return state is null ? command : [.. command, "--state", state];
    }

    private static (double Wall, double Cpu, long PeakKb) Measure(string what, string[] command)
    {
        var m = ChildProcess.MeasureWithCpu(command);
        Console.Error.WriteLine($"  {what}: {m.Wall:F1} s wall, {m.Cpu:F1} s CPU, peak {m.PeakKb / 1024} MiB; load average {File.ReadAllText("/proc/loadavg").Trim()}");
        return m;
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
}
