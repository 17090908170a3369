using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using SparkTfrecord.Tfrecord.Example;
using SparkTfrecord.Tfrecord.Framing;
using SparkTfrecord.Tfrecord.Json;

namespace SparkTfrecord.Jobs.Commands;

/// <summary><c>sparktf inspect PATH... [--limit N] [--seq]</c>: one JSON object per record on stdout.</summary>
internal static class InspectCommand
{
    // How many records decide whether a file holds SequenceExamples.
    private const int SniffRecords = 16;

    // The longest bytes value printed whole by default: one JSON string of it takes up to six times its size in
    // memory while the line is built, and System.Text.Json refuses values much above it.
    private const int MaxPrintedWhole = 64 << 20;

    public static Command Create(CliContext context)
    {
        var paths = CommonOptions.Paths();
        var limit = new Option<long?>("--limit", "-n") { Description = "Print at most N records in all." };
        var seq = new Option<bool>("--seq") { Description = "Read every record as a tf.train.SequenceExample (default: decided per file from its first records)." };
        var skipCorrupt = CommonOptions.SkipCorrupt();
        var allowEmpty = CommonOptions.AllowEmpty();
        var maxRecordBytes = CommonOptions.MaxRecordBytes();
        var maxBytesShown = new Option<int?>("--max-bytes-shown")
        {
            Description = $"Show bytes values longer than N bytes shortened, as {{\"length\": L, \"head\": \"first N bytes\"}} (or \"b64_head\" when not text); 'write' refuses that form. Without it, a value above {MaxPrintedWhole >> 20} MiB stops inspect with a message.",
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

            return Run(context, files, max ?? long.MaxValue, result.GetValue(seq), reading, result.GetValue(maxBytesShown));
        });
        return command;
    }

    private static int Run(CliContext context, IReadOnlyList<string> files, long limit, bool forceSequence, TfRecordReaderOptions reading, int? maxBytesShown)
    {
        var show = new Shown(maxBytesShown);
        var decoder = new ExampleDecoder();
        var options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };
        using var json = new Utf8JsonWriter(context.Stdout, options);
        long printed = 0;
        foreach (string file in files)
        {
            if (printed >= limit)
            {
                break;
            }

            using TfRecordReader reader = TfRecordReader.Open(file, reading);
            bool? sequence = forceSequence ? true : null;
            var pending = new List<(byte[] Payload, long Offset)>();
            while (printed < limit && reader.TryRead(out ReadOnlySpan<byte> payload))
            {
                if (sequence is null)
                {
                    // Hold the first records until they tell whether the file holds SequenceExamples.
                    pending.Add((payload.ToArray(), reader.RecordOffset));
                    if (ExampleDecoder.LooksLikeSequenceExample(payload))
                    {
                        sequence = true;
                    }
                    else if (pending.Count < SniffRecords)
                    {
                        continue;
                    }

                    sequence ??= false;
                    foreach ((byte[] held, long offset) in pending)
                    {
                        if (printed++ < limit)
                        {
                            Print(json, context.Stdout, show, decoder, held, sequence.Value, file, offset);
                        }
                    }

                    pending.Clear();
                    continue;
                }

                Print(json, context.Stdout, show, decoder, payload, sequence.Value, file, reader.RecordOffset);
                printed++;
            }

            foreach ((byte[] held, long offset) in pending)
            {
                if (printed++ < limit)
                {
                    Print(json, context.Stdout, show, decoder, held, sequence ?? false, file, offset);
                }
            }

            CommonOptions.ReportSkipped(context.Err, file, reader);
        }

        return ExitCodes.Success;
    }

    private sealed record Shown(int? MaxBytesShown)
    {
        public long Limit => MaxBytesShown ?? long.MaxValue;

        // Refuses, before a byte of its line is printed, a record with a value too long to print whole.
        public void Check((long Length, string? Feature) longest, string file, long offset)
        {
            if (MaxBytesShown is null && longest.Length > MaxPrintedWhole)
            {
                throw new IOException(
                    $"{file}: the record at byte offset {offset} holds a bytes value of {longest.Length} bytes (feature '{longest.Feature}'), more than inspect prints whole " +
                    $"({MaxPrintedWhole >> 20} MiB). Rerun with --max-bytes-shown N to see such values' length and first N bytes, or read the record with a TFRecord library.");
            }
        }
    }

    private static void Print(Utf8JsonWriter json, Stream stdout, Shown show, ExampleDecoder decoder, ReadOnlySpan<byte> payload, bool sequence, string file, long offset)
    {
        try
        {
            if (sequence)
            {
                var view = decoder.DecodeSequenceExample(payload);
                show.Check(ExampleJson.LongestBytes(view), file, offset);
                ExampleJson.WriteSequenceExample(json, view, show.Limit);
            }
            else
            {
                var view = decoder.DecodeExample(payload);
                show.Check(ExampleJson.LongestBytes(view), file, offset);
                ExampleJson.WriteExample(json, view, show.Limit);
            }
        }
        catch (Tfrecord.TfRecordFormatException e)
        {
            throw e.InRecord(file, offset);
        }

        json.Flush();
        json.Reset();
        stdout.WriteByte((byte)'\n');
    }
}
