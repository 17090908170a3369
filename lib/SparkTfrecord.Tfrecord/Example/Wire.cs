using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace SparkTfrecord.Tfrecord.Example;

/// <summary>Protocol buffer wire primitives: varints and tags.</summary>
internal static class Wire
{
    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int LengthDelimited = 2;
    public const int StartGroup = 3;
    public const int EndGroup = 4;
    public const int Fixed32 = 5;

    public static byte Tag(int field, int wireType) => (byte)((field << 3) | wireType);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int VarintSize(ulong value) => (BitOperations.Log2(value | 1) / 7) + 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int VarintSize(uint value) => (BitOperations.Log2(value | 1) / 7) + 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int VarintSize(int value) => VarintSize((uint)value);

    /// <summary>Writes a varint and returns the bytes written; the destination must be large enough.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int WriteVarint(Span<byte> dest, ulong value)
    {
        if (value < 0x80)
        {
            dest[0] = (byte)value;
            return 1;
        }

        return WriteVarintSlow(dest, value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int WriteVarint(Span<byte> dest, uint value) => WriteVarint(dest, (ulong)value);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int WriteVarintSlow(Span<byte> dest, ulong value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            dest[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        dest[i++] = (byte)value;
        return i;
    }

    /// <summary>
    /// Reads a varint of at most 10 bytes at <paramref name="pos"/>; returns false when it runs past the span or is longer
    /// than 10 bytes. Bits beyond 64 are dropped, as protobuf runtimes do.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryReadVarint(ReadOnlySpan<byte> data, ref int pos, out ulong value)
    {
        if ((uint)pos < (uint)data.Length && data[pos] < 0x80)
        {
            value = data[pos++];
            return true;
        }

        (value, int next) = ReadVarintSlow(data, pos);
        if (next < 0)
        {
            return false;
        }

        pos = next;
        return true;
    }

    /// <summary>Reads a varint the caller has already validated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ReadVarintUnchecked(ReadOnlySpan<byte> data, ref int pos)
    {
        byte b = data[pos];
        if (b < 0x80)
        {
            pos++;
            return b;
        }

        (ulong value, int next) = ReadVarintSlow(data, pos);
        pos = next;
        return value;
    }

    /// <summary>
    /// Reads a varint of two or more bytes: returns its value and the position after it, or a position of -1 when it
    /// runs past the span or is longer than 10 bytes. It takes and returns values rather than references so that the
    /// inlined fast paths above keep their caller's position and value in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (ulong Value, int Next) ReadVarintSlow(ReadOnlySpan<byte> data, int pos)
    {
        ulong value = 0;
        for (int shift = 0, i = pos; shift < 70; shift += 7, i++)
        {
            if ((uint)i >= (uint)data.Length)
            {
                return (value, -1);
            }

            byte b = data[i];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return (value, i + 1);
            }
        }

        return (value, -1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteFloatsLittleEndian(Span<byte> dest, ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).CopyTo(dest);
            return;
        }

        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(dest[(i * 4)..], values[i]);
        }
    }
}
