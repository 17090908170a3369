using System.CommandLine;
using SparkTfrecord.Tfrecord.Json;

namespace SparkTfrecord.Jobs.Commands;

/// <summary><c>sparktf inspect PATH... [--limit N] [--seq]</c>: one JSON object per record on stdout.</summary>
internal static class InspectCommand
{
    private const int MaxPrintedWholeMiB = ExampleJsonLines.MaxPrintedWhole >> 20;

    public static Command Create(CliContext context)
    {
        var paths = CommonOptions.Paths();
        var limit = new Option<long?>("--limit", "-n") { Description = "Print at most N records in all." };
        var seq = new Option<bool>("--seq") { Description = "Read every record as a tf.train.SequenceExample, printed as {\"context\": {...}, \"feature_lists\": {...}}; a file of tf.train.Examples (none of its first records has feature lists) is refused. Default: decided per file from its first records." };
        var skipCorrupt = CommonOptions.SkipCorrupt();
        var allowEmpty = CommonOptions.AllowEmpty();
        var maxRecordBytes = CommonOptions.MaxRecordBytes();
        var maxBytesShown = new Option<int?>("--max-bytes-shown")
        {
            Description = $"Show bytes values longer than N bytes shortened, as {{\"length\": L, \"head\": \"first N bytes\"}} (or \"b64_head\" when not text); 'write' refuses that form. Without it, a value above {MaxPrintedWholeMiB} MiB stops inspect with a message.",
        };
        CommonOptions.Between(maxBytesShown, 0, int.MaxValue);
        var command = new Command("inspect", "Print TFRecord records as JSON, one object per line: {\"feature\": {\"int64\"|\"float\"|\"bytes\": [...]}}, keys sorted; SequenceExamples as {\"context\": {...}, \"feature_lists\": {...}}.")
        {
            paths, limit, seq, skipCorrupt, allowEmpty, maxRecordBytes, maxBytesShown,
        };
        command.SetAction(result =>
        {
            long? max = result.GetValue(limit);
            if (max < 0)
            {
                throw new UsageException("--limit must be 0 or more.");
            }

            string[] given = result.GetValue(paths)!;
            var reading = CommonOptions.ReaderOptions(result.GetValue(skipCorrupt), result.GetValue(maxRecordBytes));
            var files = CommonOptions.DataFiles(given, result.GetValue(allowEmpty));
            if (!result.GetValue(allowEmpty) && !CommonOptions.AnyRecord(files, reading))
            {
                throw CommonOptions.NoRecords(given, files.Count);
            }

            var printer = new ExampleJsonLines(context.Stdout, new ExampleJsonLinesOptions
            {
                Limit = max ?? long.MaxValue,
                ForceSequence = result.GetValue(seq),
                MaxBytesShown = result.GetValue(maxBytesShown),
            });
            try
            {
                printer.Write(files, reading, file => CommonOptions.ReportSkipped(context.Err, file));
            }
            catch (BytesValueTooLongException e)
            {
                throw new IOException(
                    $"{e.Path}: the record at byte offset {e.Offset} holds a bytes value of {e.Length} bytes (feature '{e.Feature}'), more than inspect prints whole " +
                    $"({MaxPrintedWholeMiB} MiB). Rerun with --max-bytes-shown N to see such values' length and first N bytes, or read the record with a TFRecord library.", e);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
