namespace SparkTfrecord.Tfrecord.Tests.Support;

/// <summary>
/// A read-only, non-seekable stream over bytes that hands out at most <c>maxChunk</c> bytes per Read (1 by default),
/// as a pipe or a decompressor may; it refuses Length, Position and Seek, so a reader that relies on them fails. With
/// <c>failAfter</c>, a Read that would go past that many bytes throws <see cref="InjectedFaultException"/>.
/// </summary>
internal sealed class TrickleStream(byte[] data, int maxChunk = 1, long failAfter = long.MaxValue) : Stream
{
    private int _pos;

    public bool IsDisposed { get; private set; }

    public override bool CanRead => !IsDisposed;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException("non-seekable test stream");

    public override long Position
    {
        get => throw new NotSupportedException("non-seekable test stream");
        set => throw new NotSupportedException("non-seekable test stream");
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (_pos >= failAfter && buffer.Length > 0)
        {
            throw new InjectedFaultException($"injected read fault after {failAfter} bytes");
        }

        int n = (int)Math.Min(Math.Min(Math.Min(buffer.Length, maxChunk), data.Length - _pos), failAfter - _pos);
        data.AsSpan(_pos, n).CopyTo(buffer);
        _pos += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("non-seekable test stream");

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        IsDisposed = true;
        base.Dispose(disposing);
    }
}

/// <summary>The exception a <see cref="FailingWriteStream"/> throws: a disk that filled up, a connection that broke.</summary>
internal sealed class InjectedFaultException(string message) : IOException(message);

/// <summary>A write-only, non-seekable stream that accepts <c>failAfter</c> bytes, then throws on every write and flush.</summary>
internal sealed class FailingWriteStream(long failAfter) : Stream
{
    private readonly MemoryStream _accepted = new();

    public byte[] Accepted => _accepted.ToArray();

    public int Faults { get; private set; }

    public bool IsDisposed { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !IsDisposed;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        long room = failAfter - _accepted.Length;
        if (buffer.Length > room)
        {
            // Like a full disk: what fits is written, then the write fails.
            _accepted.Write(buffer[..(int)Math.Max(0, room)]);
            throw Fault();
        }

        _accepted.Write(buffer);
    }

    public override void Flush()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (_accepted.Length >= failAfter && Faults > 0)
        {
            throw Fault();
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        IsDisposed = true;
        base.Dispose(disposing);
    }

    private InjectedFaultException Fault()
    {
        Faults++;
        return new InjectedFaultException($"injected fault after {failAfter} bytes");
    }
}
