using System.CommandLine;
using SparkTfrecord.Tfrecord.Framing;

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
            long total = 0;

            // Printed once every file is read, so a failure leaves stdout empty rather than a partial count.
            var lines = new List<string>();
            var splits = new List<(string Folder, long Count)>();
            foreach (string file in files)
            {
                using TfRecordReader reader = TfRecordReader.Open(file, CommonOptions.ReaderOptions(result.GetValue(skipCorrupt), result.GetValue(maxRecordBytes)));
                while (reader.TryRead(out _))
                {
                }

                CommonOptions.ReportSkipped(context.Err, file, reader);
                total += reader.RecordCount;
                lines.Add($"{reader.RecordCount}\t{file}");
                string folder = Path.GetDirectoryName(file) is { Length: > 0 } d ? d : ".";
                int at = splits.FindIndex(s => s.Folder == folder);
                if (at < 0)
                {
                    splits.Add((folder, reader.RecordCount));
                }
                else
                {
                    splits[at] = (folder, splits[at].Count + reader.RecordCount);
                }
            }

            if (total == 0 && !empty)
            {
                throw CommonOptions.NoRecords(given, files.Count);
            }

            if (result.GetValue(perFile))
            {
                lines.ForEach(context.Out.WriteLine);
            }
            else if (result.GetValue(perSplit))
            {
                splits.ForEach(s => context.Out.WriteLine($"{s.Count}\t{s.Folder}"));
            }
            else
            {
                context.Out.WriteLine(total);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
