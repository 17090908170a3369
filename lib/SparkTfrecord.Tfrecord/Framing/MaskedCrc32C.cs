using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SparkTfrecord.Tfrecord.Framing;

/// <summary>The masked CRC32C that TFRecord uses to protect lengths and payloads.</summary>
public static class MaskedCrc32C
{
    private const uint MaskDelta = 0xa282ead8;

    // The CRC32C polynomial without its x^32 term, bit-reflected as the CRC instruction uses it.
    private const uint ReflectedPolynomial = 0x82F63B78;

    // Below this many bytes the carry-less path's set-up costs more than it saves.
    private const int FoldThreshold = 64;

    // Multipliers for folding 16-byte blocks forward by 512 bits (four blocks) and by 128 bits (one block); see Fold.
    private static readonly Vector128<ulong> s_fold512 = FoldConstants(512);
    private static readonly Vector128<ulong> s_fold128 = FoldConstants(128);

    /// <summary>Computes the masked CRC32C (Castagnoli) of <paramref name="data"/>.</summary>
    /// <param name="data">The bytes to checksum.</param>
    /// <returns>The CRC rotated right by 15 bits plus 0xa282ead8, as TensorFlow's <c>crc32c::Mask</c>.</returns>
    public static uint Compute(ReadOnlySpan<byte> data) => Mask(Crc32C(data));

    /// <summary>Computes the plain CRC32C (standard initial value and final inversion) of <paramref name="data"/>.</summary>
    /// <param name="data">The bytes to checksum.</param>
    /// <returns>The CRC32C value.</returns>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        // BitOperations.Crc32C is a single hardware step without the initial and final inversion, so add both here.
        uint crc = 0xFFFFFFFFu;
        if (data.Length >= FoldThreshold && Pclmulqdq.IsSupported)
        {
            crc = FoldBlocks(ref data, crc);
        }

        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        if (data.Length >= 4)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt32LittleEndian(data));
            data = data[4..];
        }

        foreach (byte b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }

    /// <summary>Masks a CRC as TFRecord stores it.</summary>
    /// <param name="crc">A plain CRC32C.</param>
    /// <returns>The masked value.</returns>
    public static uint Mask(uint crc) => BitOperations.RotateRight(crc, 15) + MaskDelta;

    /// <summary>
    /// Runs the CRC over the whole 16-byte blocks of <paramref name="data"/> with carry-less multiplication, several
    /// times faster than the CRC instruction, which can only take 8 bytes at a time one after the other. Returns the CRC
    /// state after those blocks and leaves the rest (under 16 bytes) in <paramref name="data"/>.
    /// </summary>
    /// <remarks>
    /// In the bit-reflected form the CRC instruction uses, a 16-byte block read little-endian is the polynomial of its
    /// 128 bits, and the state after a message is that polynomial times x^32 modulo P. Blocks are folded: the block so
    /// far, a·x^64 + b with 64-bit halves a and b, followed by n more bits, is replaced by a·(x^(64+n) mod P) +
    /// b·(x^n mod P), which has the same remainder and still fits 128 bits, XORed into the block n bits on. Four blocks
    /// are carried side by side (n = 512) to keep the multiplier busy, then folded into one (n = 128). The last block
    /// is run through the CRC instruction from state 0, and the state goes in XORed into the first four bytes.
    /// </remarks>
    private static uint FoldBlocks(ref ReadOnlySpan<byte> data, uint crc)
    {
        ref byte p = ref MemoryMarshal.GetReference(data);
        int length = data.Length;
        Vector128<ulong> a0 = Load(ref p, 0) ^ Vector128.CreateScalar((ulong)crc);
        int pos;
        if (length >= 128)
        {
            Vector128<ulong> a1 = Load(ref p, 16);
            Vector128<ulong> a2 = Load(ref p, 32);
            Vector128<ulong> a3 = Load(ref p, 48);
            Vector128<ulong> k512 = s_fold512;
            for (pos = 64; length - pos >= 64; pos += 64)
            {
                a0 = Fold(a0, k512) ^ Load(ref p, pos);
                a1 = Fold(a1, k512) ^ Load(ref p, pos + 16);
                a2 = Fold(a2, k512) ^ Load(ref p, pos + 32);
                a3 = Fold(a3, k512) ^ Load(ref p, pos + 48);
            }

            Vector128<ulong> k = s_fold128;
            a0 = Fold(Fold(Fold(a0, k) ^ a1, k) ^ a2, k) ^ a3;
        }
        else
        {
            pos = 16;
        }

        Vector128<ulong> k128 = s_fold128;
        for (; length - pos >= 16; pos += 16)
        {
            a0 = Fold(a0, k128) ^ Load(ref p, pos);
        }

        data = data[pos..];
        return BitOperations.Crc32C(BitOperations.Crc32C(0, a0.GetElement(0)), a0.GetElement(1));
    }

    /// <summary>Reads 16 bytes at <paramref name="offset"/>; callers keep offset + 16 within the span.</summary>
    /// <remarks>Only x86 has <see cref="Pclmulqdq"/>, so the read is little-endian.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Load(ref byte p, int offset) =>
        Unsafe.ReadUnaligned<Vector128<ulong>>(ref Unsafe.Add(ref p, offset));

    /// <summary>Multiplies the block's first half by k[0] and its second by k[1] and adds the products.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Fold(Vector128<ulong> block, Vector128<ulong> k) =>
        Pclmulqdq.CarrylessMultiply(block, k, 0x00) ^ Pclmulqdq.CarrylessMultiply(block, k, 0x11);

    /// <summary>
    /// The multipliers that fold a block forward by <paramref name="bits"/>: x^(bits+64) mod P for its first half and
    /// x^bits mod P for its second. Each is stored as x^(e-33) mod P, because a 32-bit reflected value in a 64-bit lane
    /// stands for itself times x^32, and a carry-less product of reflected values comes out times x.
    /// </summary>
    private static Vector128<ulong> FoldConstants(int bits) =>
        Vector128.Create((ulong)XPowModP(bits + 64 - 33), XPowModP(bits - 33));

    /// <summary>x^n mod P as a 32-bit reflected value (bit i stands for x^(31-i)).</summary>
    private static uint XPowModP(int n)
    {
        uint v = 0x80000000u; // x^0
        for (int i = 0; i < n; i++)
        {
            // Times x: every term moves one bit down; x^31 becomes x^32, which is the rest of P.
            v = (v >> 1) ^ ((v & 1) != 0 ? ReflectedPolynomial : 0);
        }

        return v;
    }
}
