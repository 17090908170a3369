using System.Text.Encodings.Web;
using System.Text.Json;
using SparkTfrecord.Tfrecord.Example;
using SparkTfrecord.Tfrecord.Files;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Tfrecord.Json;

/// <summary>
/// Prints the records of TFRecord files as JSON lines, one object per record in the form of <see cref="ExampleJson"/>
/// (tf.train.Example as its features; tf.train.SequenceExample as its context and feature lists). Whether a file holds
/// SequenceExamples is decided from its first records unless <see cref="ExampleJsonLinesOptions.ForceSequence"/>.
/// </summary>
public sealed class ExampleJsonLines
{
    /// <summary>
    /// The longest bytes value printed whole by default: one JSON string of it takes up to six times its size in memory
    /// while the line is built, and System.Text.Json refuses values much above it.
    /// </summary>
    public const int MaxPrintedWhole = 64 << 20;

    // How many records decide whether a file holds SequenceExamples.
    private const int SniffRecords = 16;

    private readonly Stream _output;
    private readonly ExampleJsonLinesOptions _options;
    private readonly ExampleDecoder _decoder = new();

    /// <summary>Creates a printer writing UTF-8 JSON lines to <paramref name="output"/>.</summary>
    /// <param name="output">Where the lines go.</param>
    /// <param name="options">The limit, the record type and how long values are shown; null for the defaults.</param>
    public ExampleJsonLines(Stream output, ExampleJsonLinesOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _options = options ?? new ExampleJsonLinesOptions();
    }

    /// <summary>The records printed so far.</summary>
    public long Printed { get; private set; }

    /// <summary>
    /// Prints the records of <paramref name="files"/>, in order, until <see cref="ExampleJsonLinesOptions.Limit"/>
    /// records are printed (the files after that are not opened).
    /// </summary>
    /// <param name="files">The files.</param>
    /// <param name="reading">The reader's options, or null for the defaults.</param>
    /// <param name="fileRead">Called after each file opened is read, before the next is opened, or null.</param>
    /// <exception cref="TfRecordFormatException">A file or a record is damaged (naming the file and the record's offset).</exception>
    /// <exception cref="BytesValueTooLongException">A value too long to print whole, without <see cref="ExampleJsonLinesOptions.MaxBytesShown"/>.</exception>
    /// <exception cref="IOException">A file cannot be read, or the output written.</exception>
    public void Write(IEnumerable<string> files, TfRecordReaderOptions? reading = null, Action<TfRecordFileSummary>? fileRead = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        var json = new Utf8JsonWriter(_output, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
        using (json)
        {
            foreach (string file in files)
            {
                if (Printed >= _options.Limit)
                {
                    break;
                }

                using TfRecordReader reader = TfRecordReader.Open(file, reading);
                WriteFile(json, file, reader);
                fileRead?.Invoke(TfRecordFileSummary.Of(file, reader));
            }
        }
    }

    private void WriteFile(Utf8JsonWriter json, string file, TfRecordReader reader)
    {
        long limit = _options.Limit;
        // The first records decide, also with ForceSequence: there, a file none of whose first records has feature
        // lists is refused rather than printed as SequenceExamples of context only.
        bool? sequence = null;
        var pending = new List<(byte[] Payload, long Offset)>();
        while (Printed < limit && reader.TryRead(out ReadOnlySpan<byte> payload))
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
                RefuseExamplesAsSequences(sequence.Value, pending, file);
                PrintPending(json, pending, _options.ForceSequence || sequence.Value, file);
                continue;
            }

            Print(json, payload, _options.ForceSequence || sequence.Value, file, reader.RecordOffset);
        }

        if (sequence is null && pending.Count > 0)
        {
            RefuseExamplesAsSequences(false, pending, file);
        }

        PrintPending(json, pending, _options.ForceSequence || (sequence ?? false), file);
    }

    private void RefuseExamplesAsSequences(bool sequence, List<(byte[] Payload, long Offset)> pending, string file)
    {
        if (_options.ForceSequence && !sequence)
        {
            throw TfRecordFormatException.NotSequenceExamples(file, pending[0].Offset, pending.Count);
        }
    }

    private void PrintPending(Utf8JsonWriter json, List<(byte[] Payload, long Offset)> pending, bool sequence, string file)
    {
        foreach ((byte[] held, long offset) in pending)
        {
            if (Printed < _options.Limit)
            {
                Print(json, held, sequence, file, offset);
            }
        }

        pending.Clear();
    }

    private void Print(Utf8JsonWriter json, ReadOnlySpan<byte> payload, bool sequence, string file, long offset)
    {
        long shown = _options.MaxBytesShown ?? long.MaxValue;
        try
        {
            if (sequence)
            {
                var view = _decoder.DecodeSequenceExample(payload);
                CheckPrintable(ExampleJson.LongestBytes(view), file, offset);
                ExampleJson.WriteSequenceExample(json, view, shown);
            }
            else
            {
                var view = _decoder.DecodeExample(payload);
                CheckPrintable(ExampleJson.LongestBytes(view), file, offset);
                ExampleJson.WriteExample(json, view, shown);
            }
        }
        catch (TfRecordFormatException e)
        {
            throw e.InRecord(file, offset);
        }

        json.Flush();
        json.Reset();
        _output.WriteByte((byte)'\n');
        Printed++;
    }

    // Refuses, before a byte of its line is printed, a record with a value too long to print whole.
    private void CheckPrintable((long Length, string? Feature) longest, string file, long offset)
    {
        if (_options.MaxBytesShown is null && longest.Length > MaxPrintedWhole)
        {
            throw new BytesValueTooLongException(file, offset, longest.Length, longest.Feature);
        }
    }
}
