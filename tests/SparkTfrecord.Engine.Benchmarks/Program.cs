using System.Diagnostics;
using System.Globalization;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Engines;
using SparkTfrecord.Engine.Generation;
using SparkTfrecord.Engine.Jobs;
using SparkTfrecord.TestSupport;

// Usage (from the repository root):
//   dotnet run -c Release --project tests/SparkTfrecord.Engine.Benchmarks -- [--impressions 1000000] [--scale 1,10] [--repeat 2] [--work DIR]
// For each scale s: generates (once, kept in --work) logs with s x 1M impressions on the run day and 16 days of clicks
// (s x 100k users, s x 50k items), then runs, as separate processes, alternately and --repeat times:
//   query: the job's DuckDB query alone, writing the samples to Parquet with DuckDB's writer
//   job:   sparktf samples --compression none (the whole job: query, native TFRecord writer, commit protocol)
//   gzip:  sparktf samples --compression gzip
// and prints the best wall time and the peak resident set (VmHWM, DuckDB included) of each.
// --modes job (or any of query,job,gzip) runs only those; --memory-limit L passes L to each (default: the job's, 1GB).
// With two or more scales, a second table gives each scale's whole-job time as a ratio of the first scale's (issue 12:
// --scale 1,10 --modes job --repeat 1 measures 10M against 1M impressions in one run).
// Profile mode: ... -- --profile --scale 1 [--explain] runs the job's statements one by one in this process and prints
// each one's time and each output pass's (see StatementProfile.cs).
// Incremental mode (issue 12): ... -- --incremental --scale 1,10 [--windows 15,60] [--history-impressions N] generates
// logs with s x --impressions on the run day and the day before, and max(windows) + 1 days of clicks, the earlier days
// drawn from s x N impressions a day (default: a quarter of --impressions), then prints, at each scale and for each window,
// the full recompute against the run with --state (after the day before's run left its snapshot), and the run with
// state against the first window's; the run with state is checked to equal the full one (see IncrementalBenchmark.cs).
// Hot-key mode: ... -- --hot-key 5000000 [--impressions 200000] [--hot-impressions 2000] [--repeat 1] [--work DIR]
// generates logs with that many clicks in the 16-day window, once all of one user's and once spread over 10,001
// users, with the same run-day impressions, and runs sparktf samples (default memory limit) on each (see HotKey.cs).
if (args.Length >= 1 && args[0] == "--query-only")
{
    // Child mode: the query alone. Arguments: spec date input parquet.
    var definition = JobDefinition.Load(args[1]);
    long n = SamplesJob.QueryToParquet(definition, new SamplesJobOptions
    {
        Date = DateOnly.Parse(args[2], CultureInfo.InvariantCulture),
        Input = args[3],
        Output = args[4],
        Engine = new DuckDbEngineOptions { MemoryLimit = args[5] },
    }, args[4]);
    Console.WriteLine(n);
    return 0;
}

int baseImpressions = 1_000_000;
int[] scales = [1];
int repeat = 2;
long hotKey = 0;
long hotImpressions = 2_000;
string[] modes = ["query", "job", "gzip"];
bool profile = false;
bool explain = false;
bool incrementalMode = false;
long? samplesPerPass = null;
int[] windows = [15];
int? historyImpressions = null;
string memoryLimit = new DuckDbEngineOptions().MemoryLimit;
string work = Path.Combine(Path.GetTempPath(), "sparktf-bench");
for (int i = 0; i < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--profile": profile = true; i--; continue;
        case "--explain": explain = true; i--; continue;
        case "--incremental": incrementalMode = true; i--; continue;
        case "--memory-limit" when i + 1 < args.Length: memoryLimit = args[i + 1]; break;
        case var _ when i + 1 >= args.Length: Console.Error.WriteLine($"{args[i]} needs a value"); return 2;
        case "--impressions": baseImpressions = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--scale": scales = args[i + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(); break;
        case "--modes": modes = args[i + 1].Split(','); break;
        case "--repeat": repeat = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--work": work = args[i + 1]; break;
        case "--samples-per-pass": samplesPerPass = long.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--history-impressions": historyImpressions = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--windows": windows = args[i + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(); break;
        case "--hot-key": hotKey = long.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--hot-impressions": hotImpressions = long.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}

string repo = Repo.Root;
string spec = Path.Combine(repo, "conf", "din.yaml");
string self = typeof(Program).Assembly.Location;
string sparktf = Path.Combine(AppContext.BaseDirectory, "sparktf.dll");
const string Date = "2024-01-15";
if (incrementalMode)
{
    Console.Error.WriteLine($"machine: {Environment.ProcessorCount} cores; load average {File.ReadAllText("/proc/loadavg").Trim()}");
    Directory.CreateDirectory(work);
    return IncrementalBenchmark.Run(baseImpressions, historyImpressions ?? baseImpressions / 4, scales, windows, work, sparktf, spec, Date);
}

if (hotKey > 0)
{
    Console.Error.WriteLine($"machine: {Environment.ProcessorCount} cores; load average {File.ReadAllText("/proc/loadavg").Trim()}");
    int code = HotKey.Run(hotKey, args.Contains("--impressions") ? baseImpressions : 200_000, hotImpressions, args.Contains("--repeat") ? repeat : 1, work, sparktf, spec, Date);
    Console.Error.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
    return code;
}

var rows = new List<string>();
var measured = new List<(int Scale, double Seconds, long PeakKb)>();
Console.Error.WriteLine($"machine: {Environment.ProcessorCount} cores; load average {File.ReadAllText("/proc/loadavg").Trim()}");
foreach (int scale in scales)
{
    string logs = Path.Combine(work, $"logs-{scale}x");
    var options = new LogGeneratorOptions
    {
        Output = logs,
        Date = DateOnly.Parse(Date, CultureInfo.InvariantCulture),
        Days = 16,
        ImpressionDays = 1,
        ImpressionsPerDay = baseImpressions * scale,
        Users = 100_000 * scale,
        Items = 50_000 * scale,
        Seed = 7,
    };
    string key = LogsCache.Key(options);
    if (!LogsCache.TryReuse(logs, key))
    {
        Console.Error.WriteLine($"generating {scale}x logs in {logs} ...");
        var generation = Stopwatch.StartNew();
        var generated = LogGenerator.Generate(options);
        LogsCache.Done(logs, key, $"{generated}");
        Console.Error.WriteLine($"{generated}; generated in {generation.Elapsed.TotalSeconds:F0} s");
    }
    if (profile)
    {
        Console.WriteLine($"## {scale * baseImpressions:N0} impressions, memory limit {memoryLimit}");
        StatementProfile.Run(spec, Date, logs, memoryLimit, explain, samplesPerPass);
        continue;
    }

    var best = new Dictionary<string, (double Seconds, long PeakKb)>();
    for (int r = 0; r < repeat; r++)
    {
        foreach (string mode in modes)
        {
            string output = Path.Combine(work, $"out-{scale}x-{mode}");
            string[] command = mode switch
            {
                "query" => [self, "--query-only", spec, Date, logs, output + ".parquet", memoryLimit],
                "job" => [sparktf, "samples", "--conf", spec, "--date", Date, "--input", logs, "--output", output, "--compression", "none", "--summary", output + ".json", "--memory-limit", memoryLimit],
                _ => [sparktf, "samples", "--conf", spec, "--date", Date, "--input", logs, "--output", output, "--compression", "gzip", "--summary", output + ".json", "--memory-limit", memoryLimit],
            };
            var (seconds, peak) = ChildProcess.Measure(command);
            Console.Error.WriteLine($"  {scale}x {mode}: {seconds:F2} s, peak {peak / 1024} MiB");
            if (!best.TryGetValue(mode, out var b) || seconds < b.Seconds)
            {
                best[mode] = (seconds, Math.Max(peak, b.PeakKb));
            }
            else
            {
                best[mode] = (b.Seconds, Math.Max(peak, b.PeakKb));
            }
        }
    }

    if (best.TryGetValue("job", out var job))
    {
        measured.Add((scale, job.Seconds, job.PeakKb));
    }

    if (!modes.SequenceEqual(["query", "job", "gzip"]))
    {
        continue;
    }

    double q = best["query"].Seconds;
    rows.Add($"| {scale * baseImpressions:N0} | {q:F1} s / {best["query"].PeakKb / 1024} MiB | {best["job"].Seconds:F1} s / {best["job"].PeakKb / 1024} MiB | {best["job"].Seconds / q:F2}x | {best["gzip"].Seconds:F1} s / {best["gzip"].PeakKb / 1024} MiB |");
}

if (rows.Count > 0)
{
    Console.WriteLine("| impressions on the run day | query alone → Parquet (time / peak RSS) | whole job, no compression | job / query | whole job, gzip |");
    Console.WriteLine("|---|---|---|---|---|");
    foreach (string row in rows)
    {
        Console.WriteLine(row);
    }
}

// Linear cost (issue 12): each scale's whole job against the first scale's, measured in this run.
if (measured.Count > 1)
{
    var (baseScale, baseSeconds, _) = measured[0];
    Console.WriteLine();
    Console.WriteLine($"| impressions on the run day | whole job, no compression | time ratio vs {baseScale * baseImpressions:N0} | data ratio | peak RSS |");
    Console.WriteLine("|---|---:|---:|---:|---:|");
    foreach (var (scale, seconds, peakKb) in measured)
    {
        Console.WriteLine($"| {scale * baseImpressions:N0} | {seconds:F1} s | {seconds / baseSeconds:F2}x | {(double)scale / baseScale:F0}x | {peakKb / 1024} MiB |");
    }
}

return 0;
