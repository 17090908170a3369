using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace SparkTfrecord.Spec.Validation;

/// <summary>
/// Approximate distinct count (HyperLogLog, 2^14 registers: about 0.8% standard error) over byte strings, with a
/// fixed 64-bit hash so reports are the same on every run.
/// </summary>
internal sealed class HyperLogLog
{
    private const int Precision = 14;
    private const int Registers = 1 << Precision;
    private readonly byte[] _registers = new byte[Registers];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(ReadOnlySpan<byte> value) => AddHash(Hash64(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddHash(ulong hash)
    {
        // The index has Precision bits, so it is always inside the registers: no bounds check needed.
        ref byte register = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_registers), (nint)(hash >> (64 - Precision)));
        ulong rest = (hash << Precision) | (1UL << (Precision - 1));
        byte rank = (byte)(BitOperations.LeadingZeroCount(rest) + 1);
        if (rank > register)
        {
            register = rank; // stored only when it grows: most values repeat, and their lines stay clean
        }
    }

    public long Estimate()
    {
        double sum = 0;
        int zeros = 0;
        foreach (byte r in _registers)
        {
            sum += Math.ScaleB(1.0, -r);
            if (r == 0)
            {
                zeros++;
            }
        }

        double alpha = 0.7213 / (1 + (1.079 / Registers));
        double estimate = alpha * Registers * Registers / sum;
        if (estimate <= 2.5 * Registers && zeros > 0)
        {
            estimate = Registers * Math.Log((double)Registers / zeros); // linear counting for small sets
        }

        return (long)Math.Round(estimate);
    }

    private const ulong K0 = 0xA0761D6478BD642F;
    private const ulong K1 = 0xE7037ED1A0B428DB;
    private const ulong K2 = 0x8EBC6AF09C88C6E3;

    /// <summary>
    /// A fast 64-bit hash with well-mixed high bits (HyperLogLog takes its register index from them): short inputs are
    /// read as two overlapping words, longer ones 16 bytes at a time, each step one 64x64→128-bit multiply folded.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Hash64(ReadOnlySpan<byte> data)
    {
        int length = data.Length;
        ulong seed = K0 ^ (ulong)length;
        ulong a;
        ulong b;
        if (length <= 16)
        {
            // Unaligned reads at the start and at the end of the value (overlapping when it is shorter than 16 bytes):
            // the lengths guarantee both are inside it, so no bounds checks.
            ref byte start = ref MemoryMarshal.GetReference(data);
            if (length >= 8)
            {
                a = Unsafe.ReadUnaligned<ulong>(ref start);
                b = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, length - 8));
            }
            else if (length >= 4)
            {
                a = Unsafe.ReadUnaligned<uint>(ref start);
                b = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, length - 4));
            }
            else if (length > 0)
            {
                a = ShortWord(ref start, length);
                b = 0;
            }
            else
            {
                a = 0;
                b = 0;
            }
        }
        else
        {
            ReadOnlySpan<byte> rest = data;
            while (rest.Length > 16)
            {
                seed = Fold(BinaryPrimitives.ReadUInt64LittleEndian(rest) ^ K1, BinaryPrimitives.ReadUInt64LittleEndian(rest[8..]) ^ seed);
                rest = rest[16..];
            }

            // The input's last 16 bytes, overlapping what the loop read when the length is not a multiple of 16.
            ReadOnlySpan<byte> last = data[^16..];
            a = BinaryPrimitives.ReadUInt64LittleEndian(last);
            b = BinaryPrimitives.ReadUInt64LittleEndian(last[8..]);
        }

        return Finish(a, b, seed, length);
    }

    /// <summary>Readable bytes <see cref="Hash64Padded"/> needs before and after a value.</summary>
    internal const int Padding = 4;

    /// <summary>
    /// <see cref="Hash64"/> of the <paramref name="length"/> bytes at <paramref name="value"/>, which have at least
    /// <see cref="Padding"/> readable bytes before and after them (a buffer of the caller's). A value under 8 bytes is
    /// read both ways <see cref="Hash64"/> reads one, and the right one kept by masks: ids of 2 to 5 bytes, the usual
    /// history values, fall on either side of 4 bytes at random, where a branch between the two ways is mispredicted.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Hash64Padded(ref byte value, int length)
    {
        if (length >= 8)
        {
            return Hash64(MemoryMarshal.CreateReadOnlySpan(ref value, length));
        }

        // For 1 to 3 bytes (the first, middle and last byte, as Hash64 reads them); the words are those of 4 to 7
        // bytes (the first four, the last four), read outside the value when it is shorter: hence the padding.
        ulong bytes = ShortWord(ref value, length);
        ulong first = Unsafe.ReadUnaligned<uint>(ref value);
        ulong last = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref value, length - 4));
        ulong words = (ulong)((long)(length - 4) >> 63); // all ones under 4 bytes
        ulong any = (ulong)(-(long)length >> 63); // all ones unless empty
        ulong a = ((first & ~words) | (bytes & words)) & any;
        ulong b = last & ~words;
        return Finish(a, b, K0 ^ (ulong)length, length);
    }

    // A value of 1 to 3 bytes as one word: its first, middle and last byte.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ShortWord(ref byte value, int length) =>
        ((ulong)value << 16) | ((ulong)Unsafe.Add(ref value, length >> 1) << 8) | Unsafe.Add(ref value, length - 1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Finish(ulong a, ulong b, ulong seed, int length) => Fold(Fold(a ^ K1, b ^ seed) ^ K2, K1 ^ (ulong)length);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Fold(ulong x, ulong y)
    {
        if (Bmi2.X64.IsSupported)
        {
            // The high half alone (mulx) and the low half by a plain multiply: Math.BigMul's out parameter makes the
            // JIT pass the low half through the stack, on the hash's critical path.
            return Bmi2.X64.MultiplyNoFlags(x, y) ^ (x * y);
        }

        ulong high = Math.BigMul(x, y, out ulong low);
        return high ^ low;
    }
}
