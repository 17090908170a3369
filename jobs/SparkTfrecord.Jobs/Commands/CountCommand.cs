using System.CommandLine;
using System.Globalization;
using SparkTfrecord.Tfrecord.Files;

namespace SparkTfrecord.Jobs.Commands;

/// <summary>
/// <c>sparktf count PATH... [--per-file | --per-split] [--allow-empty]</c>: the number of records (both CRCs checked).
/// No file, or no record, is an error unless <c>--allow-empty</c>, so an empty output never reads as a count of 0.
/// </summary>
internal static class CountCommand
{
    public static Command Create(CliContext context)
    {
        var paths = CommonOptions.Paths();
        var perFile = new Option<bool>("--per-file") { Description = "Print one line per file: the count, a tab, the path." };
        var perSplit = new Option<bool>("--per-split") { Description = "Print one line per folder of files (a split output's train/ and eval/): the count, a tab, the folder." };
        var skipCorrupt = CommonOptions.SkipCorrupt();
        var allowEmpty = CommonOptions.AllowEmpty();
        var maxRecordBytes = CommonOptions.MaxRecordBytes();
        var command = new Command("count", "Count the records of TFRecord files (every record's CRCs are checked); a folder includes its subfolders (a split output's train/ and eval/).")
        {
            paths, perFile, perSplit, skipCorrupt, allowEmpty, maxRecordBytes,
        };
        command.SetAction(result =>
        {
            if (result.GetValue(perFile) && result.GetValue(perSplit))
            {
                throw new UsageException("count takes --per-file or --per-split, not both.");
            }

            string[] given = result.GetValue(paths)!;
            bool empty = result.GetValue(allowEmpty);
            var files = CommonOptions.DataFiles(given, empty);
            var reading = CommonOptions.ReaderOptions(result.GetValue(skipCorrupt), result.GetValue(maxRecordBytes));

            // Printed once every file is read, so a failure leaves stdout empty rather than a partial count.
            var counts = TfRecordCounts.Count(files, reading, file => CommonOptions.ReportSkipped(context.Err, file));
            if (counts.Total == 0 && !empty)
            {
                throw CommonOptions.NoRecords(given, files.Count);
            }

            IEnumerable<string> lines =
                result.GetValue(perFile) ? counts.Files.Select(f => $"{f.Records}\t{f.Path}")
                : result.GetValue(perSplit) ? counts.PerFolder.Select(f => $"{f.Records}\t{f.Folder}")
                : [counts.Total.ToString(CultureInfo.InvariantCulture)];
            foreach (string line in lines)
            {
                context.Out.WriteLine(line);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
