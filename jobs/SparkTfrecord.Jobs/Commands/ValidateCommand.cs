using System.CommandLine;
using SparkTfrecord.Engine.Output;
using SparkTfrecord.Spec;
using SparkTfrecord.Spec.Statistics;
using SparkTfrecord.Spec.Validation;
using SparkTfrecord.Tfrecord.Files;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Jobs.Commands;

/// <summary>
/// <c>sparktf validate (--spec FILE | --schema schema.pbtxt) PATH... [--report FILE.json] [--html FILE]
/// [--save-stats FILE] [--baseline PATH [--compare drift|skew]]</c>: checks every record, prints per-feature statistics
/// and compares them with a baseline's; exit 0 clean, 3 anomalies, 1 other failures.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create(CliContext context)
    {
        var paths = CommonOptions.Paths();
        var spec = CommonOptions.Spec(required: false);
        var schema = new Option<string?>("--schema") { Description = "A TensorFlow Data Validation schema.pbtxt (text format) instead of a feature spec." };
        var report = new Option<string?>("--report") { Description = "Also write the report as JSON to this file (format documented in docs/feature-spec.md, with a version field)." };
        var html = new Option<string?>("--html") { Description = "Also write the statistics as one self-contained HTML page (histograms, quantiles, top values, anomalies; docs/report.md)." };
        var saveStats = new Option<string?>("--save-stats") { Description = "Also write the statistics as JSON (docs/report.md), for a later --baseline." };
        var baseline = new Option<string?>("--baseline") { Description = "Compare with this baseline: a dataset (file or folder) or statistics saved by --save-stats; a distance over the spec's threshold is an anomaly." };
        var compare = new Option<string>("--compare") { Description = "Which thresholds --baseline applies: drift (the spec's drift:, against a previous span) or skew (skew:, training against serving data).", DefaultValueFactory = _ => "drift" };
        compare.AcceptOnlyFromAmong("drift", "skew");
        var skipCorrupt = CommonOptions.SkipCorrupt();
        var allowEmpty = CommonOptions.AllowEmpty();
        var maxRecordBytes = CommonOptions.MaxRecordBytes();
        var command = new Command("validate", "Check every record against a feature spec or a TFDV schema and print per-feature statistics and anomalies (TFDV's names). A folder includes its subfolders (a split output's train/ and eval/); no record is an error unless --allow-empty. Exit 0 clean, 3 anomalies found, 1 other failures.")
        {
            paths, spec, schema, report, html, saveStats, baseline, compare, skipCorrupt, allowEmpty, maxRecordBytes,
        };
        command.SetAction(result =>
        {
            string? specPath = result.GetValue(spec);
            string? schemaPath = result.GetValue(schema);
            if ((specPath is null) == (schemaPath is null))
            {
                throw new UsageException("validate needs exactly one of --spec FILE and --schema schema.pbtxt.");
            }

            FeatureSpec? featureSpec = specPath is not null ? SpecLoader.Load(specPath) : null;
            ValidationRules rules = featureSpec is not null ? ValidationRules.FromSpec(featureSpec) : ValidationRules.LoadTfdvSchema(schemaPath!);
            string? htmlPath = result.GetValue(html);
            string? statsPath = result.GetValue(saveStats);
            string? baselinePath = result.GetValue(baseline);
            var mode = result.GetValue(compare) == "skew" ? ComparisonMode.Skew : ComparisonMode.Drift;
            bool statistics = htmlPath is not null || statsPath is not null || baselinePath is not null;
            string[] given = result.GetValue(paths)!;
            bool empty = result.GetValue(allowEmpty);
            var reading = CommonOptions.ReaderOptions(result.GetValue(skipCorrupt), result.GetValue(maxRecordBytes));
            // Checked before the read they follow. A saved statistics file given as --baseline is read before --save-stats
            // writes, so the two may be one file (a rolling "yesterday's statistics").
            OutputGuard.CheckWrittenFiles(
                [new("--report", result.GetValue(report), WrittenFileKind.Json), new("--html", htmlPath, WrittenFileKind.Html), new("--save-stats", statsPath, WrittenFileKind.Json)],
                baselinePath is not null && !IsSavedStatistics(baselinePath) ? [.. given, baselinePath] : given);
            var (summary, skipped) = Validate(context, rules, given, empty, reading, statistics);

            // No record validates as clean but proves nothing: an empty output is an error unless it is expected.
            if (summary.Records == 0 && !empty)
            {
                throw CommonOptions.NoRecords(given, summary.Files.Count);
            }

            summary.WriteText(context.Out);
            if (result.GetValue(report) is { } reportPath)
            {
                AtomicFile.Write(reportPath, summary.WriteJson);
            }

            int exceeded = 0;
            if (statistics)
            {
                var current = DatasetStatistics.Of(summary, string.Join(" ", given), featureSpec?.Hash, DateTimeOffset.UtcNow);
                DatasetStatistics? before = null;
                IReadOnlyList<FeatureComparison> comparisons = [];
                if (baselinePath is not null)
                {
                    before = LoadBaseline(context, rules, baselinePath, reading);
                    comparisons = StatisticsComparison.Compare(current, before, rules, mode);
                    exceeded = StatisticsComparison.WriteText(context.Out, context.Err, comparisons, mode, before);
                }

                if (statsPath is not null)
                {
                    StatisticsJson.WriteFile(statsPath, current);
                }

                if (htmlPath is not null)
                {
                    HtmlReport.WriteFile(htmlPath, current, summary, before, comparisons, mode);
                }
            }

            if (!summary.IsClean || exceeded > 0)
            {
                context.Err.WriteLine($"sparktf: validate found {summary.AnomalyCount + exceeded} anomalies (exit 3)");
                return ExitCodes.Anomalies;
            }

            return skipped ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    private static (ValidationReport Report, bool Skipped) Validate(CliContext context, ValidationRules rules, string[] given, bool empty, TfRecordReaderOptions reading, bool statistics)
    {
        var validator = new DatasetValidator(rules, statistics);
        var files = CommonOptions.DataFiles(given, empty);
        bool skipped = false;
        foreach (string file in files)
        {
            skipped |= CommonOptions.ReportSkipped(context.Err, validator.AddFile(file, reading));
        }

        return (validator.GetReport(), skipped);
    }

    private static bool IsSavedStatistics(string path) => File.Exists(path) && path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    // A saved statistics file is read as it is; a dataset is validated (its anomalies are not this run's, so only its
    // statistics are kept).
    private static DatasetStatistics LoadBaseline(CliContext context, ValidationRules rules, string path, TfRecordReaderOptions reading)
    {
        if (IsSavedStatistics(path))
        {
            return StatisticsJson.Read(path);
        }

        var (report, _) = Validate(context, rules, [path], empty: false, reading, statistics: true);
        return DatasetStatistics.Of(report, path, null, DateTimeOffset.UtcNow);
    }
}
