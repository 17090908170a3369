using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace SparkTfrecord.Tfrecord.Framing;

/// <summary>
/// Reads TFRecord files record by record, checking both CRCs, with compression detected from the file's first
/// bytes. Payloads are handed out as spans into the reader's buffer (no allocation per record) and stay valid until
/// the next read or until the reader is disposed. The buffer comes from <see cref="ArrayPool{T}.Shared"/> and goes back
/// on <see cref="Dispose"/>, so opening many small files does not allocate a large buffer each time. Not thread-safe.
/// </summary>
public sealed class TfRecordReader : IDisposable
{
    private readonly Stream _raw;
    private readonly string? _path;
    private readonly TfRecordReaderOptions _options;
    private Stream _source;
    private PrefixedStream? _compressed;
    private byte[] _buffer;
    private int _pos;
    private int _end;
    private long _bufferOffset;
    private bool _eof;
    private bool _done;
    private bool _disposed;

    /// <summary>Creates a reader over <paramref name="stream"/>.</summary>
    /// <param name="stream">The file's bytes; read sequentially, never seeked.</param>
    /// <param name="path">A name for the stream in error messages (usually its file path), or null.</param>
    /// <param name="options">Options, or null for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="TfRecordFormatException">Detecting the compression hit a damaged stream.</exception>
    public TfRecordReader(Stream stream, string? path = null, TfRecordReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= new TfRecordReaderOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BufferSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxRecordLength);
        _raw = stream;
        _path = path;
        _options = options;
        _buffer = ArrayPool<byte>.Shared.Rent(options.BufferSize);
        _source = stream;
        Compression = options.Compression ?? DetectCompression();
        if (Compression != TfRecordCompression.None)
        {
            // The bytes peeked for detection are compressed: hand them to the decompressor ahead of the rest.
            var rest = _compressed = new PrefixedStream(_buffer.AsSpan(0, _end).ToArray(), stream);
            _pos = _end = 0;
            _eof = false;
            _source = Compression == TfRecordCompression.Gzip
                ? new GZipStream(rest, CompressionMode.Decompress)
                : new ZLibStream(rest, CompressionMode.Decompress);
        }
    }

    /// <summary>Opens the file at <paramref name="path"/> for reading.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Options, or null for the defaults.</param>
    /// <returns>The reader; dispose it to close the file.</returns>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    /// <exception cref="TfRecordFormatException">Detecting the compression hit a damaged stream.</exception>
    public static TfRecordReader Open(string path, TfRecordReaderOptions? options = null)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        try
        {
            return new TfRecordReader(file, path, options is null ? null : new TfRecordReaderOptions
            {
                Compression = options.Compression,
                MaxRecordLength = options.MaxRecordLength,
                BufferSize = options.BufferSize,
                SkipCorrupt = options.SkipCorrupt,
                LeaveOpen = false,
            });
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The file's compression, as given or detected.</summary>
    public TfRecordCompression Compression { get; }

    /// <summary>Byte offset (in the uncompressed stream) of the record last returned.</summary>
    public long RecordOffset { get; private set; }

    /// <summary>Number of records returned so far.</summary>
    public long RecordCount { get; private set; }

    /// <summary>In skip mode, what was dropped when the reader met damage; null when nothing was.</summary>
    public TfRecordSkip? Skipped { get; private set; }

    /// <summary>Reads the next record.</summary>
    /// <param name="payload">The record's payload; valid until the next call or until the reader is disposed.</param>
    /// <returns>True if a record was read; false at a clean end of file (or, in skip mode, at damage).</returns>
    /// <exception cref="TfRecordFormatException">The file is damaged (and skip mode is off).</exception>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public bool TryRead(out ReadOnlySpan<byte> payload)
    {
        // The usual case, a whole record already in the buffer and both CRCs right, without the general path's calls.
        // Anything else (the end of the buffer or of the file, damage, a closed reader) goes to the general path, which
        // checks everything again from the record's start, so this changes no outcome.
        int pos = _pos;
        int available = _end - pos;
        if (available >= TfRecordWriter.FramingOverhead && !_done)
        {
            ReadOnlySpan<byte> rest = _buffer.AsSpan(pos, available);
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(rest);
            if (length <= (ulong)(available - TfRecordWriter.FramingOverhead)
                && length <= (ulong)_options.MaxRecordLength
                && MaskedCrc32C.ComputeUInt64(length) == BinaryPrimitives.ReadUInt32LittleEndian(rest[8..]))
            {
                ReadOnlySpan<byte> data = rest.Slice(TfRecordWriter.HeaderSize, (int)length);
                if (MaskedCrc32C.Compute(data) == BinaryPrimitives.ReadUInt32LittleEndian(rest[(TfRecordWriter.HeaderSize + (int)length)..]))
                {
                    _pos = pos + TfRecordWriter.FramingOverhead + (int)length;
                    RecordOffset = _bufferOffset + pos;
                    RecordCount++;
                    payload = data;
                    return true;
                }
            }
        }

        return TryReadSlow(out payload);
    }

    private bool TryReadSlow(out ReadOnlySpan<byte> payload)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        payload = default;
        if (_done)
        {
            return false;
        }

        try
        {
            return ReadNext(out payload);
        }
        catch (TfRecordFormatException e) when (_options.SkipCorrupt)
        {
            _done = true;
            Skipped = new TfRecordSkip(e, e.Kind == TfRecordErrorKind.CorruptCompression ? -1 : CountRest());
            return false;
        }
    }

    private bool ReadNext(out ReadOnlySpan<byte> payload)
    {
        payload = default;
        long recordStart = _bufferOffset + _pos;
        int available = Ensure(TfRecordWriter.HeaderSize);
        if (available < TfRecordWriter.HeaderSize)
        {
            if (available == 0)
            {
                _done = true;
                return false;
            }

            return Fail(TfRecordFormatException.Truncated(_path, recordStart));
        }

        ReadOnlySpan<byte> header = _buffer.AsSpan(_pos, TfRecordWriter.HeaderSize);
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(header);
        if (MaskedCrc32C.Compute(header[..8]) != BinaryPrimitives.ReadUInt32LittleEndian(header[8..]))
        {
            return Fail(TfRecordFormatException.CorruptLength(_path, recordStart));
        }

        if (length > (ulong)_options.MaxRecordLength || length > int.MaxValue - TfRecordWriter.FramingOverhead)
        {
            return Fail(TfRecordFormatException.TooLarge(_path, recordStart, length, _options.MaxRecordLength));
        }

        int total = (int)length + TfRecordWriter.FramingOverhead;
        if (Ensure(total) < total)
        {
            return Fail(TfRecordFormatException.Truncated(_path, recordStart));
        }

        ReadOnlySpan<byte> data = _buffer.AsSpan(_pos + TfRecordWriter.HeaderSize, (int)length);
        uint expected = BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(_pos + TfRecordWriter.HeaderSize + (int)length, 4));
        if (MaskedCrc32C.Compute(data) != expected)
        {
            return Fail(TfRecordFormatException.CorruptData(_path, recordStart + TfRecordWriter.HeaderSize));
        }

        _pos += total;
        RecordOffset = recordStart;
        RecordCount++;
        payload = data;
        return true;
    }

    /// <summary>Closes the stream unless asked to leave it open.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _pos = _end = 0;
        if (!ReferenceEquals(_source, _raw))
        {
            _source.Dispose();
        }

        if (!_options.LeaveOpen)
        {
            _raw.Dispose();
        }
    }

    private bool Fail(TfRecordFormatException error)
    {
        _done = true;
        throw error;
    }

    private long CountRest()
    {
        // Everything from the damaged record's start (where _pos still points) to the end of the stream is dropped.
        long damagedRecord = _bufferOffset + _pos;
        long total = _bufferOffset + _end;
        try
        {
            while (!_eof)
            {
                int n = _source.Read(_buffer, 0, _buffer.Length);
                if (n == 0)
                {
                    break;
                }

                total += n;
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return -1;
        }

        return total - damagedRecord;
    }

    /// <summary>Makes at least <paramref name="count"/> bytes available from <c>_pos</c>, unless the stream ends first.</summary>
    /// <returns>The bytes available (less than asked only at the end of the stream).</returns>
    /// <remarks>
    /// The buffer grows only as bytes arrive: when it is full of the record being read, it doubles (up to what the
    /// record needs) and the next read fills the new space. A length field is checked only against the cap, so a damaged
    /// but plausible one (with a valid CRC) asks for far more than the file holds; growing ahead of the data would
    /// allocate all of it before finding the file truncated. This way the reader allocates about twice the bytes that
    /// are actually there.
    /// </remarks>
    private int Ensure(int count)
    {
        int available = _end - _pos;
        if (available >= count || _eof)
        {
            return available;
        }

        if (_pos + count > _buffer.Length && _pos > 0)
        {
            // The record does not fit after the bytes already used: move what is left of the buffer to its start.
            _buffer.AsSpan(_pos, available).CopyTo(_buffer);
            _bufferOffset += _pos;
            _pos = 0;
            _end = available;
        }

        while (_end - _pos < count)
        {
            if (_end == _buffer.Length)
            {
                // Full (of the record being read, since it starts at 0 by now): double it, but not past the record.
                long wanted = Math.Min(Math.Min((long)_buffer.Length * 2, (long)_pos + count), Array.MaxLength);
                if (wanted <= _buffer.Length)
                {
                    break; // no array can hold the record; the caller reports what it got
                }

                byte[] bigger = ArrayPool<byte>.Shared.Rent((int)wanted);
                _buffer.AsSpan(0, _end).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = bigger;
            }

            int n;
            try
            {
                n = _source.Read(_buffer, _end, _buffer.Length - _end);
            }
            catch (InvalidDataException e)
            {
                throw CompressionError(e);
            }
            catch (IOException e) when (_compressed is not null)
            {
                // The inflater also fails with an IOException (ZLibException, e.g. for a zlib header that asks for a
                // preset dictionary). An IOException of the file itself passes through the decompressor: rethrow it.
                if (_compressed.RestFailed)
                {
                    throw;
                }

                throw CompressionError(e);
            }

            if (n == 0)
            {
                _eof = true;
                break;
            }

            _end += n;
        }

        return _end - _pos;
    }

    private Exception CompressionError(Exception e)
    {
        var error = TfRecordFormatException.CorruptCompression(_path, _bufferOffset + _pos, e);
        _eof = true;
        return error;
    }

    private TfRecordCompression DetectCompression()
    {
        // Peek the first record header. A valid length CRC proves an uncompressed file, even one whose first bytes
        // happen to look like a zlib header (78 9c); only otherwise do the magic numbers decide. Ensure may read more
        // than the header (as much as the buffer holds), so check for at least a header, not exactly one.
        int n = Ensure(TfRecordWriter.HeaderSize);
        ReadOnlySpan<byte> head = _buffer.AsSpan(0, n);
        if (n >= TfRecordWriter.HeaderSize
            && MaskedCrc32C.Compute(head[..8]) == BinaryPrimitives.ReadUInt32LittleEndian(head[8..]))
        {
            return TfRecordCompression.None;
        }

        if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b)
        {
            return TfRecordCompression.Gzip;
        }

        if (n >= 2 && (head[0] & 0x0f) == 8 && (head[0] >> 4) <= 7 && ((head[0] << 8) | head[1]) % 31 == 0)
        {
            return TfRecordCompression.Zlib;
        }

        return TfRecordCompression.None;
    }

    /// <summary>A read-only stream that yields some already-read bytes, then the rest of another stream.</summary>
    private sealed class PrefixedStream(byte[] prefix, Stream rest) : Stream
    {
        private int _prefixPos;

        /// <summary>Whether reading the rest of the stream threw, as opposed to the decompressor reading from it.</summary>
        public bool RestFailed { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_prefixPos < prefix.Length)
            {
                int n = Math.Min(buffer.Length, prefix.Length - _prefixPos);
                prefix.AsSpan(_prefixPos, n).CopyTo(buffer);
                _prefixPos += n;
                return n;
            }

            try
            {
                return rest.Read(buffer);
            }
            catch
            {
                RestFailed = true;
                throw;
            }
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
