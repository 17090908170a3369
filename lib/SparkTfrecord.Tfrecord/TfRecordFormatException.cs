using System.Globalization;

namespace SparkTfrecord.Tfrecord;

/// <summary>What is wrong with a TFRecord file or a record's payload.</summary>
public enum TfRecordErrorKind
{
    /// <summary>The masked CRC32C of a record's 8-byte length does not match; reported at the record's start.</summary>
    CorruptLength,

    /// <summary>The masked CRC32C of a record's payload does not match; reported at the payload's start (record + 12).</summary>
    CorruptData,

    /// <summary>The file ends inside a record; reported at the record's start.</summary>
    Truncated,

    /// <summary>A record's length is above the reader's cap; reported at the record's start.</summary>
    RecordTooLarge,

    /// <summary>The compressed stream (GZIP or ZLIB) is damaged.</summary>
    CorruptCompression,

    /// <summary>A record's payload is not a valid serialized tf.train.Example or tf.train.SequenceExample.</summary>
    InvalidPayload,
}

/// <summary>
/// The one exception this library throws for bad data: a damaged TFRecord file or a payload that is not a valid
/// Example. Its message names the file, the byte offset and the kind of damage, and says what to do.
/// </summary>
public sealed class TfRecordFormatException : IOException
{
    private TfRecordFormatException(string message, TfRecordErrorKind kind, string? path, long offset, Exception? inner)
        : base(message, inner)
    {
        Kind = kind;
        FilePath = path;
        Offset = offset;
    }

    /// <summary>The kind of damage.</summary>
    public TfRecordErrorKind Kind { get; }

    /// <summary>The file (or stream description) that was being read, if known.</summary>
    public string? FilePath { get; }

    /// <summary>
    /// The byte offset in the uncompressed stream, as TensorFlow reports it (the record's start for length CRC,
    /// truncation and size errors; the payload's start for data CRC errors); for payload errors, the offset inside the payload.
    /// </summary>
    public long Offset { get; }

    internal static TfRecordFormatException CorruptLength(string? path, long recordStart) =>
        Framing(TfRecordErrorKind.CorruptLength, path, recordStart,
            recordStart == 0
                ? "corrupted record: the CRC of the record length does not match (at the very first record: is this a TFRecord file at all?)"
                : "corrupted record: the CRC of the record length does not match");

    internal static TfRecordFormatException CorruptData(string? path, long payloadStart) =>
        Framing(TfRecordErrorKind.CorruptData, path, payloadStart,
            "corrupted record: the CRC of the record data does not match");

    internal static TfRecordFormatException Truncated(string? path, long recordStart) =>
        Framing(TfRecordErrorKind.Truncated, path, recordStart,
            "truncated record: the file ends inside a record (was it still being written, or cut short in a copy?)");

    internal static TfRecordFormatException TooLarge(string? path, long recordStart, ulong length, long cap) =>
        new(Invariant($"{Where(path)}: record too large at byte offset {recordStart}: its length field says {length} bytes, above the cap of {cap} bytes. If the file is genuine, raise the cap (sparktf inspect, count and validate: --max-record-bytes N; the library: TfRecordReaderOptions.MaxRecordLength) up to {int.MaxValue - 16} bytes; otherwise the file is damaged."),
            TfRecordErrorKind.RecordTooLarge, path, recordStart, null);

    internal static TfRecordFormatException CorruptCompression(string? path, long offset, Exception inner) =>
        new(Invariant($"{Where(path)}: damaged compressed stream near uncompressed byte offset {offset}: {inner.Message} Re-create the file, or read it with --skip-corrupt to keep the records before the damage."),
            TfRecordErrorKind.CorruptCompression, path, offset, inner);

    // `inspect --seq` on a file of tf.train.Examples: both messages parse either payload, so without this the Examples
    // would print as SequenceExamples with a context and no feature lists.
    internal static TfRecordFormatException NotSequenceExamples(string path, long offset, int records) =>
        new(Invariant($"{Where(path)}: record at byte offset {offset}: {(records == 1 ? "the file's only record has" : $"none of the file's first {records} records has")} a feature_lists field: ") +
            "the file holds tf.train.Examples, not tf.train.SequenceExamples. Read it without --seq.",
            TfRecordErrorKind.InvalidPayload, path, offset, null);

    internal static TfRecordFormatException InvalidPayload(string what, long offset) =>
        new(Invariant($"invalid record payload at byte offset {offset} of the payload: {what}. The record is not a valid tf.train.Example / SequenceExample."),
            TfRecordErrorKind.InvalidPayload, null, offset, null);

    /// <summary>Returns a copy of a payload error that also names the file and the record holding the payload.</summary>
    /// <param name="path">The file.</param>
    /// <param name="recordStart">The byte offset of the record in the (uncompressed) file.</param>
    /// <returns>The new exception, with this one as its inner exception.</returns>
    public TfRecordFormatException InRecord(string? path, long recordStart) =>
        new(Invariant($"{Where(path)}: record at byte offset {recordStart}: {Message}"), Kind, path, recordStart, this);

    /// <summary>This framing error as <see cref="Files.TfRecordIndex.Build"/> reports it: an index must cover every
    /// record, so there is no skipping past the damage.</summary>
    internal TfRecordFormatException NotIndexed()
    {
        string what = Kind switch
        {
            TfRecordErrorKind.CorruptLength when Offset == 0 => "the CRC of the first record's length does not match (is this a TFRecord file at all?)",
            TfRecordErrorKind.CorruptLength => "corrupted record: the CRC of the record length does not match",
            TfRecordErrorKind.CorruptData => "corrupted record: the CRC of the record data does not match",
            TfRecordErrorKind.Truncated => "truncated record: the file ends inside a record",
            _ => Message,
        };
        return new(Invariant($"{Where(FilePath)}: cannot index: {what} at byte offset {Offset}. No index was written for this file; an index must cover every record, so re-create the file (or copy the records before the damage out with 'sparktf inspect --skip-corrupt' and 'sparktf write') and index that."),
            Kind, FilePath, Offset, this);
    }

    private static TfRecordFormatException Framing(TfRecordErrorKind kind, string? path, long offset, string what) =>
        new(Invariant($"{Where(path)}: {what} at byte offset {offset}. Re-create the file, or read it with --skip-corrupt to keep the records before the damage."),
            kind, path, offset, null);

    private static string Where(string? path) => path ?? "<stream>";

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
