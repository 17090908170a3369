using System.CommandLine;
using SparkTfrecord.Tfrecord.Files;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Jobs.Commands;

/// <summary><c>sparktf count PATH... [--per-file]</c>: the number of records (both CRCs checked).</summary>
internal static class CountCommand
{
    public static Command Create()
    {
        var paths = CommonOptions.Paths();
        var perFile = new Option<bool>("--per-file") { Description = "Print one line per file: the count, a tab, the path." };
        var skipCorrupt = CommonOptions.SkipCorrupt();
        var maxRecordBytes = CommonOptions.MaxRecordBytes();
        var command = new Command("count", "Count the records of TFRecord files (every record's CRCs are checked).")
        {
            paths, perFile, skipCorrupt, maxRecordBytes,
        };
        command.SetAction(result =>
        {
            using var context = new CliContext(Console.OpenStandardOutput(), Console.Error);
            long total = 0;
            foreach (string file in TfRecordPaths.Expand(result.GetValue(paths)!))
            {
                using TfRecordReader reader = TfRecordReader.Open(file, CommonOptions.ReaderOptions(result.GetValue(skipCorrupt), result.GetValue(maxRecordBytes)));
                while (reader.TryRead(out _))
                {
                }

                CommonOptions.ReportSkipped(context.Err, file, reader);
                total += reader.RecordCount;
                if (result.GetValue(perFile))
                {
                    context.Out.WriteLine($"{reader.RecordCount}\t{file}");
                }
            }

            if (!result.GetValue(perFile))
            {
                context.Out.WriteLine(total);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
