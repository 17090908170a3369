using System.Buffers.Binary;
using System.IO.Compression;

namespace SparkTfrecord.Tfrecord.Framing;

/// <summary>
/// Writes TFRecord files: each record is its length (uint64 little-endian), the masked CRC32C of the length, the
/// payload and the masked CRC32C of the payload. Not thread-safe.
/// </summary>
public sealed class TfRecordWriter : IDisposable
{
    /// <summary>Bytes a record adds around its payload: 8 (length) + 4 (length CRC) + 4 (payload CRC).</summary>
    public const int FramingOverhead = 16;

    /// <summary>Bytes before the payload: the length and its CRC.</summary>
    public const int HeaderSize = 12;

    private readonly Stream _sink;
    private readonly Stream _target;
    private readonly bool _leaveOpen;
    private readonly byte[] _buffer;
    private int _used;
    private bool _disposed;

    /// <summary>Creates a writer over <paramref name="stream"/>.</summary>
    /// <param name="stream">The destination; it is written to sequentially.</param>
    /// <param name="options">Options, or null for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The buffer size is not positive.</exception>
    public TfRecordWriter(Stream stream, TfRecordWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= new TfRecordWriterOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BufferSize);
        _target = stream;
        _leaveOpen = options.LeaveOpen;
        _sink = options.Compression switch
        {
            TfRecordCompression.None => stream,
            TfRecordCompression.Gzip => new GZipStream(stream, options.CompressionLevel, leaveOpen: true),
            TfRecordCompression.Zlib => new ZLibStream(stream, options.CompressionLevel, leaveOpen: true),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Compression, "unknown compression"),
        };
        _buffer = new byte[options.BufferSize];
    }

    /// <summary>Creates (or replaces) the file at <paramref name="path"/> and returns a writer over it.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="options">Options, or null for the defaults.</param>
    /// <returns>The writer; dispose it to flush and close the file.</returns>
    /// <exception cref="IOException">The file cannot be created.</exception>
    public static TfRecordWriter Create(string path, TfRecordWriterOptions? options = null)
    {
        var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.SequentialScan);
        return new TfRecordWriter(file, options is null ? null : new TfRecordWriterOptions
        {
            Compression = options.Compression,
            CompressionLevel = options.CompressionLevel,
            BufferSize = options.BufferSize,
            LeaveOpen = false,
        });
    }

    /// <summary>Number of records written so far.</summary>
    public long RecordCount { get; private set; }

    /// <summary>Frames <paramref name="payload"/> as one record and writes it.</summary>
    /// <param name="payload">The record's bytes, usually a serialized tf.train.Example.</param>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    public void Write(ReadOnlySpan<byte> payload)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int total = payload.Length + FramingOverhead;
        if (total > _buffer.Length - _used)
        {
            FlushBuffer();
            if (total > _buffer.Length)
            {
                WriteLarge(payload);
                return;
            }
        }

        Span<byte> dest = _buffer.AsSpan(_used, total);
        WriteHeader(dest, payload.Length);
        payload.CopyTo(dest[HeaderSize..]);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[(HeaderSize + payload.Length)..], MaskedCrc32C.Compute(payload));
        _used += total;
        RecordCount++;
    }

    /// <summary>
    /// Writes a record that is already framed (as <see cref="Example.ExampleEncoder.GetRecord"/> returns it). The framing
    /// is not checked here.
    /// </summary>
    /// <param name="framedRecord">Length, length CRC, payload and payload CRC.</param>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    public void WriteFramed(ReadOnlySpan<byte> framedRecord)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (framedRecord.Length > _buffer.Length - _used)
        {
            FlushBuffer();
            if (framedRecord.Length > _buffer.Length)
            {
                _sink.Write(framedRecord);
                RecordCount++;
                return;
            }
        }

        framedRecord.CopyTo(_buffer.AsSpan(_used));
        _used += framedRecord.Length;
        RecordCount++;
    }

    /// <summary>Writes the 12-byte record header (length and masked CRC of the length) into <paramref name="dest"/>.</summary>
    /// <param name="dest">At least 12 bytes.</param>
    /// <param name="payloadLength">The payload's length.</param>
    public static void WriteHeader(Span<byte> dest, int payloadLength)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(dest, (ulong)payloadLength);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[8..], MaskedCrc32C.Compute(dest[..8]));
    }

    /// <summary>Writes buffered records to the stream and flushes it (a compressed stream stays open for more records).</summary>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        FlushBuffer();
        _sink.Flush();
    }

    /// <summary>Writes what is buffered, ends the compressed stream and closes the stream unless asked to leave it open.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            try
            {
                FlushBuffer();
            }
            finally
            {
                // Ends the deflate stream and frees its native state even when the last write failed.
                if (!ReferenceEquals(_sink, _target))
                {
                    _sink.Dispose();
                }
            }

            _target.Flush();
        }
        finally
        {
            if (!_leaveOpen)
            {
                _target.Dispose();
            }
        }
    }

    private void WriteLarge(ReadOnlySpan<byte> payload)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        WriteHeader(header, payload.Length);
        _sink.Write(header);
        _sink.Write(payload);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(crc, MaskedCrc32C.Compute(payload));
        _sink.Write(crc);
        RecordCount++;
    }

    private void FlushBuffer()
    {
        if (_used > 0)
        {
            _sink.Write(_buffer, 0, _used);
            _used = 0;
        }
    }
}
