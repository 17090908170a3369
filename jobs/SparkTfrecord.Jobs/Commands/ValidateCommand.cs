using System.CommandLine;
using SparkTfrecord.Spec;
using SparkTfrecord.Spec.Validation;
using SparkTfrecord.Tfrecord.Files;

namespace SparkTfrecord.Jobs.Commands;

/// <summary>
/// <c>sparktf validate (--spec FILE | --schema schema.pbtxt) PATH... [--report FILE.json]</c>: checks every record and
/// prints per-feature statistics; exit 0 clean, 3 anomalies, 1 other failures.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create(CliContext context)
    {
        var paths = CommonOptions.Paths();
        var spec = CommonOptions.Spec(required: false);
        var schema = new Option<string?>("--schema") { Description = "A TensorFlow Data Validation schema.pbtxt (text format) instead of a feature spec." };
        var report = new Option<string?>("--report") { Description = "Also write the report as JSON to this file (format documented in docs/feature-spec.md, with a version field)." };
        var skipCorrupt = CommonOptions.SkipCorrupt();
        var allowEmpty = CommonOptions.AllowEmpty();
        var maxRecordBytes = CommonOptions.MaxRecordBytes();
        var command = new Command("validate", "Check every record against a feature spec or a TFDV schema and print per-feature statistics and anomalies (TFDV's names). A folder includes its subfolders (a split output's train/ and eval/); no record is an error unless --allow-empty. Exit 0 clean, 3 anomalies found, 1 other failures.")
        {
            paths, spec, schema, report, skipCorrupt, allowEmpty, maxRecordBytes,
        };
        command.SetAction(result =>
        {
            string? specPath = result.GetValue(spec);
            string? schemaPath = result.GetValue(schema);
            if ((specPath is null) == (schemaPath is null))
            {
                throw new UsageException("validate needs exactly one of --spec FILE and --schema schema.pbtxt.");
            }

            ValidationRules rules = specPath is not null ? ValidationRules.FromSpec(SpecLoader.Load(specPath)) : ValidationRules.LoadTfdvSchema(schemaPath!);
            var validator = new DatasetValidator(rules);
            string[] given = result.GetValue(paths)!;
            bool empty = result.GetValue(allowEmpty);
            var files = CommonOptions.DataFiles(given, empty);
            var reading = CommonOptions.ReaderOptions(result.GetValue(skipCorrupt), result.GetValue(maxRecordBytes));
            bool skipped = false;
            foreach (string file in files)
            {
                skipped |= CommonOptions.ReportSkipped(context.Err, validator.AddFile(file, reading));
            }

            // No record validates as clean but proves nothing: an empty output is an error unless it is expected.
            if (validator.RecordCount == 0 && !empty)
            {
                throw CommonOptions.NoRecords(given, files.Count);
            }

            ValidationReport summary = validator.GetReport();
            summary.WriteText(context.Out);
            if (result.GetValue(report) is { } reportPath)
            {
                AtomicFile.Write(reportPath, summary.WriteJson);
            }

            if (!summary.IsClean)
            {
                context.Err.WriteLine($"sparktf: validate found {summary.AnomalyCount} anomalies (exit 3)");
                return ExitCodes.Anomalies;
            }

            return skipped ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }
}
