using System.Diagnostics;
using System.Text;
using SparkTfrecord.Spec.Statistics;
using SparkTfrecord.Spec.Validation;
using SparkTfrecord.Tfrecord.Files;

namespace SparkTfrecord.Spec.Benchmarks;

/// <summary>
/// <c>--report FOLDER [--spec FILE] [--rounds N]</c>: the cost of the HTML report (issue 15: at most 1.2x the time of
/// validate alone, under 5 MB). Runs what <c>sparktf validate --spec FILE FOLDER</c> runs, and what it runs with
/// <c>--html</c> (the statistics gathered in the same pass, then the page written), alternating in this one process,
/// and reports the best round of each in wall and CPU time (the machine may be shared: CPU time is the steadier
/// figure), their ratios and the page's size.
/// </summary>
internal static class ReportBenchmark
{
    public static int Run(string folder, string specPath, int rounds)
    {
        FeatureSpec spec = SpecLoader.Load(specPath);
        var rules = ValidationRules.FromSpec(spec);
        var files = TfRecordPaths.Expand([folder]);
        string html = Path.Combine(Path.GetTempPath(), $"sparktf-report-bench-{Environment.ProcessId}.html");
        try
        {
            var alone = (Wall: double.MaxValue, Cpu: double.MaxValue);
            var withHtml = (Wall: double.MaxValue, Cpu: double.MaxValue);
            long records = 0;
            for (int round = 0; round < rounds; round++)
            {
                var a = Time(() => records = Validate(rules, files, spec, folder, null));
                var b = Time(() => Validate(rules, files, spec, folder, html));
                alone = (Math.Min(alone.Wall, a.Wall), Math.Min(alone.Cpu, a.Cpu));
                withHtml = (Math.Min(withHtml.Wall, b.Wall), Math.Min(withHtml.Cpu, b.Cpu));
                Console.WriteLine($"round {round + 1}: validate {a.Wall:0.000} s wall / {a.Cpu:0.000} s CPU; with --html {b.Wall:0.000} s / {b.Cpu:0.000} s");
            }

            long size = new FileInfo(html).Length;
            Console.WriteLine($"{records} records in {files.Count} file(s), best of {rounds}: validate {alone.Wall:0.000} s wall / {alone.Cpu:0.000} s CPU; " +
                $"with --html {withHtml.Wall:0.000} s / {withHtml.Cpu:0.000} s: {withHtml.Wall / alone.Wall:0.00}x wall, {withHtml.Cpu / alone.Cpu:0.00}x CPU; " +
                $"the page {size / 1024.0:0.0} KB");
            return 0;
        }
        finally
        {
            File.Delete(html);
        }
    }

    // What ValidateCommand runs: one pass over every file, the text summary; with a page, the statistics in that same
    // pass and the page written.
    private static long Validate(ValidationRules rules, IReadOnlyList<string> files, FeatureSpec spec, string folder, string? html)
    {
        var validator = new DatasetValidator(rules, statistics: html is not null);
        foreach (string file in files)
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

        return report.Records;
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
}
