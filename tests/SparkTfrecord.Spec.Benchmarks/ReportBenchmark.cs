using System.Diagnostics;
using System.Text;
using SparkTfrecord.Spec.Statistics;
using SparkTfrecord.Spec.Validation;
using SparkTfrecord.Tfrecord.Files;

namespace SparkTfrecord.Spec.Benchmarks;

/// <summary>
/// <c>--report FOLDER [--spec FILE] [--rounds N] [--sparktf PROGRAM]</c>: the cost of the HTML report (issue 15: at
/// most 1.2x the time of validate alone, under 5 MB). Runs <c>sparktf validate --spec FILE FOLDER</c> and the same with
/// <c>--html</c>, alternating, each as its own process (with --sparktf: a sparktf.dll run with <c>dotnet exec</c>, or a
/// program such as an installed tool's command or the single file; without it, the same library calls in this process),
/// and reports the best round of each in wall and CPU time (the machine may be shared: CPU time is the steadier figure), their ratios, the median of the rounds' ratios (each round runs both back to back, so a round's
/// ratio sees the same load on both sides) and the page's size.
/// </summary>
internal static class ReportBenchmark
{
    public static int Run(string folder, string specPath, int rounds, string? sparktf)
    {
        string html = Path.Combine(Path.GetTempPath(), $"sparktf-report-bench-{Environment.ProcessId}.html");
        try
        {
            var alone = (Wall: double.MaxValue, Cpu: double.MaxValue);
            var withHtml = (Wall: double.MaxValue, Cpu: double.MaxValue);
            var wallRatios = new List<double>();
            var cpuRatios = new List<double>();
            string how = sparktf is null ? "in this process" : "as sparktf processes";
            for (int round = 0; round < rounds; round++)
            {
                var a = sparktf is null ? Time(() => Validate(folder, specPath, null)) : Child(sparktf, folder, specPath, null);
                var b = sparktf is null ? Time(() => Validate(folder, specPath, html)) : Child(sparktf, folder, specPath, html);
                alone = (Math.Min(alone.Wall, a.Wall), Math.Min(alone.Cpu, a.Cpu));
                withHtml = (Math.Min(withHtml.Wall, b.Wall), Math.Min(withHtml.Cpu, b.Cpu));
                wallRatios.Add(b.Wall / a.Wall);
                cpuRatios.Add(b.Cpu / a.Cpu);
                Console.WriteLine($"round {round + 1}: validate {a.Wall:0.000} s wall / {a.Cpu:0.000} s CPU; with --html {b.Wall:0.000} s / {b.Cpu:0.000} s: {b.Wall / a.Wall:0.00}x wall, {b.Cpu / a.Cpu:0.00}x CPU");
            }

            long size = new FileInfo(html).Length;
            Console.WriteLine($"{folder}, {how}, best of {rounds}: validate {alone.Wall:0.000} s wall / {alone.Cpu:0.000} s CPU; " +
                $"with --html {withHtml.Wall:0.000} s / {withHtml.Cpu:0.000} s: {withHtml.Wall / alone.Wall:0.00}x wall, {withHtml.Cpu / alone.Cpu:0.00}x CPU; " +
                $"the page {size / 1024.0:0.0} KB");
            Console.WriteLine($"median of the {rounds} rounds' ratios: {Median(wallRatios):0.00}x wall, {Median(cpuRatios):0.00}x CPU");
            return 0;
        }
        finally
        {
            File.Delete(html);
        }
    }

    // What ValidateCommand runs: one pass over every file, the text summary; with a page, the statistics in that same
    // pass and the page written. In one process the JIT's profile mixes both variants, so the processes are the
    // figure to quote; this is for a profiler.
    private static void Validate(string folder, string specPath, string? html)
    {
        FeatureSpec spec = SpecLoader.Load(specPath);
        var validator = new DatasetValidator(ValidationRules.FromSpec(spec), statistics: html is not null);
        foreach (string file in TfRecordPaths.Expand([folder]))
        {
            validator.AddFile(file);
        }

        ValidationReport report = validator.GetReport();
        report.WriteText(TextWriter.Null);
        if (html is not null)
        {
            var statistics = DatasetStatistics.Of(report, folder, spec.Hash, DateTimeOffset.UtcNow);
            AtomicFile.Write(html, stream =>
            {
                using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
                HtmlReport.Write(writer, statistics, report, null, [], ComparisonMode.Drift);
            });
        }
    }

    private static (double Wall, double Cpu) Time(Action run)
    {
        using var self = Process.GetCurrentProcess();
        TimeSpan cpu = self.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        run();
        watch.Stop();
        self.Refresh();
        return (watch.Elapsed.TotalSeconds, (self.TotalProcessorTime - cpu).TotalSeconds);
    }

    // `sparktf validate` as a user runs it, under bash, whose `times` then prints the children's user and system CPU
    // time (the child is reaped before .NET could read its own figures). A .dll (a build's or a publish's) is run by the
    // host, as the tool's launcher runs it; anything else is the program itself (the tool's command, the single file).
    private static (double Wall, double Cpu) Child(string sparktf, string folder, string specPath, string? html)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] program = sparktf.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? ["dotnet", "exec", sparktf] : [sparktf];
        foreach (string arg in (string[])["-c", "\"$@\" >/dev/null; code=$?; times; exit $code", "bash", .. program, "validate", "--spec", specPath, folder, .. html is null ? [] : (string[])["--html", html]])
        {
            start.ArgumentList.Add(arg);
        }

        var watch = Stopwatch.StartNew();
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        watch.Stop();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"sparktf validate exited {process.ExitCode}: {errors}");
        }

        // `times` prints two lines, the shell's then its children's: "0m1.234s 0m0.056s" (user, system).
        string[] children = output.Trim().Split('\n')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (watch.Elapsed.TotalSeconds, Seconds(children[0]) + Seconds(children[1]));
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static double Seconds(string time)
    {
        int m = time.IndexOf('m', StringComparison.Ordinal);
        return double.Parse(time[..m], System.Globalization.CultureInfo.InvariantCulture) * 60
            + double.Parse(time[(m + 1)..^1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
