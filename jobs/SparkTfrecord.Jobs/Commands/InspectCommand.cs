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

    public static Command Create()
    {
        var paths = CommonOptions.Paths();
        var limit = new Option<long?>("--limit", "-n") { Description = "Print at most N records in all." };
        var seq = new Option<bool>("--seq") { Description = "Read every record as a tf.train.SequenceExample (default: decided per file from its first records)." };
        var skipCorrupt = CommonOptions.SkipCorrupt();
        var allowEmpty = CommonOptions.AllowEmpty();
        var command = new Command("inspect", "Print TFRecord records as JSON, one object per line: {\"feature\": {\"int64\"|\"float\"|\"bytes\": [...]}}, keys sorted; SequenceExamples as {\"context\": {...}, \"feature_lists\": {...}}.")
        {
            paths, limit, seq, skipCorrupt, allowEmpty,
        };
        command.SetAction(result =>
        {
            long? max = result.GetValue(limit);
            if (max < 0)
            {
                throw new UsageException("--limit must be 0 or more.");
            }

            using var context = new CliContext(Console.OpenStandardOutput(), Console.Error);
            string[] given = result.GetValue(paths)!;
            var files = CommonOptions.DataFiles(given, result.GetValue(allowEmpty));
            if (!result.GetValue(allowEmpty) && !CommonOptions.AnyRecord(files, result.GetValue(skipCorrupt)))
            {
                throw CommonOptions.NoRecords(given, files.Count);
            }

            return Run(context, files, max ?? long.MaxValue, result.GetValue(seq), result.GetValue(skipCorrupt));
        });
        return command;
    }

    private static int Run(CliContext context, IReadOnlyList<string> files, long limit, bool forceSequence, bool skipCorrupt)
    {
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

            using TfRecordReader reader = TfRecordReader.Open(file, CommonOptions.ReaderOptions(skipCorrupt));
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
                            Print(json, context.Stdout, decoder, held, sequence.Value, file, offset);
                        }
                    }

                    pending.Clear();
                    continue;
                }

                Print(json, context.Stdout, decoder, payload, sequence.Value, file, reader.RecordOffset);
                printed++;
            }

            foreach ((byte[] held, long offset) in pending)
            {
                if (printed++ < limit)
                {
                    Print(json, context.Stdout, decoder, held, sequence ?? false, file, offset);
                }
            }

            CommonOptions.ReportSkipped(context.Err, file, reader);
        }

        return ExitCodes.Success;
    }

    private static void Print(Utf8JsonWriter json, Stream stdout, ExampleDecoder decoder, ReadOnlySpan<byte> payload, bool sequence, string file, long offset)
    {
        try
        {
            if (sequence)
            {
                ExampleJson.WriteSequenceExample(json, decoder.DecodeSequenceExample(payload));
            }
            else
            {
                ExampleJson.WriteExample(json, decoder.DecodeExample(payload));
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
