using System.Buffers.Text;

namespace SparkTfrecord.Tfrecord.Files;

/// <summary>
/// Writes a TFRecord index, the file NVIDIA DALI's <c>fn.readers.tfrecord</c> (<c>index_path</c>) and the PyTorch
/// <c>tfrecord</c> package (<c>TFRecordDataset(data_path, index_path, ...)</c>) read: one line per record, in file
/// order, <c>"&lt;offset&gt; &lt;length&gt;\n"</c> in ASCII decimal, where offset is the record's first byte in the
/// uncompressed file and length its framed size (8-byte length + 4-byte CRC + payload + 4-byte CRC), as their
/// <c>tfrecord2idx</c> tools write it. Records are added in the order they are written, so the offsets come from the
/// lengths: the first record is at 0 and each next one starts where the previous one ends. Not thread-safe.
/// </summary>
public sealed class TfRecordIndexWriter : IDisposable
{
    // The longest line: two 20-digit numbers, a space and a line end.
    private const int MaxLine = 42;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _used;
    private bool _disposed;

    /// <summary>Creates a writer of index lines into <paramref name="stream"/>.</summary>
    /// <param name="stream">The index file's stream; written sequentially.</param>
    /// <param name="leaveOpen">Leave <paramref name="stream"/> open when the writer is disposed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    public TfRecordIndexWriter(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Creates (or replaces) the index file at <paramref name="path"/>, creating its folder when missing.</summary>
    /// <param name="path">The index file.</param>
    /// <returns>The writer; dispose it to flush and close the file.</returns>
    /// <exception cref="IOException">The file cannot be created.</exception>
    public static TfRecordIndexWriter Create(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        return new TfRecordIndexWriter(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1));
    }

    /// <summary>The byte offset of the next record: the sum of the framed lengths added so far.</summary>
    public long Offset { get; private set; }

    /// <summary>The lines written so far.</summary>
    public long Records { get; private set; }

    /// <summary>Adds the next record of the file.</summary>
    /// <param name="framedLength">Its framed size: the payload's length + 16.</param>
    /// <exception cref="ArgumentOutOfRangeException">The length is below 16, the smallest framed record.</exception>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    public void Add(long framedLength)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(framedLength, 16);
        if (_buffer.Length - _used < MaxLine)
        {
            FlushBuffer();
        }

        Span<byte> line = _buffer.AsSpan(_used);
        Utf8Formatter.TryFormat(Offset, line, out int written);
        line[written++] = (byte)' ';
        Utf8Formatter.TryFormat(framedLength, line[written..], out int lengthDigits);
        written += lengthDigits;
        line[written++] = (byte)'\n';
        _used += written;
        Offset += framedLength;
        Records++;
    }

    /// <summary>Writes the buffered lines and flushes the stream.</summary>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        FlushBuffer();
        _stream.Flush();
    }

    /// <summary>Writes what is buffered and closes the stream unless asked to leave it open.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            FlushBuffer();
            _stream.Flush();
        }
        finally
        {
            if (!_leaveOpen)
            {
                _stream.Dispose();
            }
        }
    }

    private void FlushBuffer()
    {
        if (_used > 0)
        {
            _stream.Write(_buffer, 0, _used);
            _used = 0;
        }
    }
}
