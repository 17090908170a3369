using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace SparkTfrecord.Tfrecord.Example;

/// <summary>
/// A growable byte buffer that serializes tf.train.Feature values either as map entries (key + Feature, the body of a
/// Features message) or as frames (the Features of a FeatureList). Each value's size is computed first and then
/// written once, straight into place. Reused from record to record, so the hot path does not allocate.
/// </summary>
internal sealed class FeatureBuffer
{
    private const byte BytesListTag = (1 << 3) | Wire.LengthDelimited;
    private const byte FloatListTag = (2 << 3) | Wire.LengthDelimited;
    private const byte Int64ListTag = (3 << 3) | Wire.LengthDelimited;
    private const byte EntryOrFrameTag = (1 << 3) | Wire.LengthDelimited;
    private const byte EntryValueTag = (2 << 3) | Wire.LengthDelimited;
    private const byte ListValuesTag = (1 << 3) | Wire.LengthDelimited;

    private readonly int _start;
    private byte[] _buffer;
    private int[] _lengths = new int[64];

    public FeatureBuffer(int reserved, int capacity)
    {
        _start = reserved;
        _buffer = new byte[Math.Max(capacity, reserved + 64)];
        End = reserved;
    }

    public byte[] Buffer => _buffer;

    public int Start => _start;

    public int End { get; private set; }

    public int Length => End - _start;

    public int Count { get; private set; }

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(_start, Length);

    public void Clear()
    {
        End = _start;
        Count = 0;
    }

    /// <summary>Makes room for <paramref name="extra"/> more bytes after <see cref="End"/>.</summary>
    public void EnsureCapacity(int extra)
    {
        if (_buffer.Length - End < extra)
        {
            Grow(extra);
        }
    }

    /// <summary>Appends raw bytes (already serialized).</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        EnsureCapacity(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(End));
        End += bytes.Length;
    }

    /// <summary>Appends a length-delimited field: its one-byte tag, the length and the bytes.</summary>
    public void AppendField(byte tag, ReadOnlySpan<byte> body)
    {
        EnsureCapacity(1 + 5 + body.Length);
        Span<byte> dest = _buffer.AsSpan(End);
        dest[0] = tag;
        int n = 1 + Wire.WriteVarint(dest[1..], (uint)body.Length);
        body.CopyTo(dest[n..]);
        End += n + body.Length;
    }

    public void WriteEmpty(FeatureKey? key) => Begin(key, 0, 0);

    public void WriteInt64s(FeatureKey? key, ReadOnlySpan<long> values)
    {
        int packed = 0;
        foreach (long v in values)
        {
            packed += Wire.VarintSize((ulong)v);
        }

        Span<byte> body = Begin(key, Int64ListTag, ListSize(values.Length, packed));
        if (values.IsEmpty)
        {
            return;
        }

        int p = WriteListHeader(body, packed);
        foreach (long v in values)
        {
            p += Wire.WriteVarint(body[p..], (ulong)v);
        }
    }

    public void WriteFloats(FeatureKey? key, ReadOnlySpan<float> values)
    {
        int packed = values.Length * sizeof(float);
        Span<byte> body = Begin(key, FloatListTag, ListSize(values.Length, packed));
        if (!values.IsEmpty)
        {
            Wire.WriteFloatsLittleEndian(body[WriteListHeader(body, packed)..], values);
        }
    }

    public void WriteBytes(FeatureKey? key, ReadOnlySpan<byte> value)
    {
        int listSize = 1 + Wire.VarintSize(value.Length) + value.Length;
        Span<byte> body = Begin(key, BytesListTag, listSize);
        int p = WriteListHeader(body, value.Length);
        value.CopyTo(body[p..]);
    }

    public void WriteBytesList(FeatureKey? key, IReadOnlyList<byte[]> values)
    {
        int count = values.Count;
        int listSize = 0;
        for (int i = 0; i < count; i++)
        {
            int length = (values[i] ?? throw NullElement(key)).Length;
            listSize += 1 + Wire.VarintSize(length) + length;
        }

        Span<byte> body = Begin(key, BytesListTag, listSize);
        int p = 0;
        for (int i = 0; i < count; i++)
        {
            byte[] value = values[i];
            p += WriteListHeader(body[p..], value.Length);
            value.CopyTo(body[p..]);
            p += value.Length;
        }
    }

    public void WriteStrings(FeatureKey? key, ReadOnlySpan<string> values)
    {
        if (TryWriteAsciiStrings(key, values))
        {
            return;
        }

        if (_lengths.Length < values.Length)
        {
            _lengths = new int[Math.Max(values.Length, _lengths.Length * 2)];
        }

        // UTF-8 lengths are needed twice (the list's size, then each element's prefix): count them once.
        int listSize = 0;
        for (int i = 0; i < values.Length; i++)
        {
            int length = Encoding.UTF8.GetByteCount(values[i] ?? throw NullElement(key));
            _lengths[i] = length;
            listSize += 1 + Wire.VarintSize(length) + length;
        }

        Span<byte> body = Begin(key, BytesListTag, listSize);
        int p = 0;
        for (int i = 0; i < values.Length; i++)
        {
            p += WriteListHeader(body[p..], _lengths[i]);
            p += Encoding.UTF8.GetBytes(values[i], body[p..]);
        }
    }

    /// <summary>
    /// Writes the strings if they are all ASCII, as most feature strings are: a UTF-8 length is then the string's length,
    /// so the list is sized without counting and each string is narrowed straight into place, which also checks it.
    /// That is one pass per string where UTF-8 needs two, and short strings are dominated by the per-call cost. At the
    /// first other character the write is undone and false returned, for the UTF-8 path to write the list.
    /// </summary>
    private bool TryWriteAsciiStrings(FeatureKey? key, ReadOnlySpan<string> values)
    {
        int listSize = 0;
        foreach (string value in values)
        {
            int length = (value ?? throw NullElement(key)).Length;
            listSize += 1 + Wire.VarintSize(length) + length;
        }

        int end = End;
        int count = Count;
        Span<byte> body = Begin(key, BytesListTag, listSize);
        int p = 0;
        foreach (string value in values)
        {
            p += WriteListHeader(body[p..], value.Length);
            if (Ascii.FromUtf16(value, body.Slice(p, value.Length), out _) != OperationStatus.Done)
            {
                End = end;
                Count = count;
                return false;
            }

            p += value.Length;
        }

        return true;
    }

    private static int ListSize(int count, int packed) => count == 0 ? 0 : 1 + Wire.VarintSize(packed) + packed;

    /// <summary>Writes the list's field tag and length; returns the bytes used.</summary>
    private static int WriteListHeader(Span<byte> dest, int length)
    {
        dest[0] = ListValuesTag;
        return 1 + Wire.WriteVarint(dest[1..], (uint)length);
    }

    /// <summary>
    /// Writes a map entry (when <paramref name="key"/> is set) or a frame, up to the start of the list's body, and
    /// returns the exact span the list's body must fill.
    /// </summary>
    private Span<byte> Begin(FeatureKey? key, byte kindTag, int listSize)
    {
        int featureSize = kindTag == 0 ? 0 : 1 + Wire.VarintSize(listSize) + listSize;
        int total;
        int entrySize = 0;
        if (key is null)
        {
            total = 1 + Wire.VarintSize(featureSize) + featureSize;
        }
        else
        {
            entrySize = key.KeyField.Length + 1 + Wire.VarintSize(featureSize) + featureSize;
            total = 1 + Wire.VarintSize(entrySize) + entrySize;
        }

        EnsureCapacity(total);
        Span<byte> dest = _buffer.AsSpan(End, total);
        int p;
        if (key is null)
        {
            dest[0] = EntryOrFrameTag;
            p = 1 + Wire.WriteVarint(dest[1..], (uint)featureSize);
        }
        else
        {
            dest[0] = EntryOrFrameTag;
            p = 1 + Wire.WriteVarint(dest[1..], (uint)entrySize);
            key.KeyField.CopyTo(dest[p..]);
            p += key.KeyField.Length;
            dest[p] = EntryValueTag;
            p += 1 + Wire.WriteVarint(dest[(p + 1)..], (uint)featureSize);
        }

        if (kindTag != 0)
        {
            dest[p] = kindTag;
            p += 1 + Wire.WriteVarint(dest[(p + 1)..], (uint)listSize);
        }

        End += total;
        Count++;
        return dest[p..];
    }

    private void Grow(int extra)
    {
        long needed = (long)End + extra;
        if (needed > Array.MaxLength)
        {
            throw new InvalidOperationException("A record cannot exceed 2 GB.");
        }

        var bigger = new byte[(int)Math.Min(Array.MaxLength, Math.Max(needed, (long)_buffer.Length * 2))];
        _buffer.AsSpan(0, End).CopyTo(bigger);
        _buffer = bigger;
    }

    private static ArgumentException NullElement(FeatureKey? key) =>
        new($"Feature '{key?.Name ?? "(frame)"}' has a null element in its list; TFRecord lists cannot hold nulls. Drop the element or replace it with a default before encoding.");

    /// <summary>Writes the masked CRC of the given bytes at <see cref="End"/> without moving <see cref="End"/>.</summary>
    public void WriteTrailingCrc(int from, int length)
    {
        EnsureCapacity(4);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(End, 4), Framing.MaskedCrc32C.Compute(_buffer.AsSpan(from, length)));
    }
}
