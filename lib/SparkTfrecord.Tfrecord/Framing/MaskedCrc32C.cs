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

    // From this many bytes on, with VPCLMULQDQ and AVX-512 VBMI, the CRC is folded 64 bytes at a time (FoldWide).
    private const int WideThreshold = 64;

    // How many 64-byte groups FoldWide folds straight to the end of the message, each with multipliers of its own.
    private const int TreeGroups = 16;

    // Multipliers for folding 16-byte blocks forward by 512 bits (four blocks) and by 128 bits (one block); see Fold.
    private static readonly Vector128<ulong> s_fold512 = FoldConstants(512);
    private static readonly Vector128<ulong> s_fold128 = FoldConstants(128);

    // FoldWide's multipliers: for each 64-byte group 0 to TreeGroups - 1 from the end, eight values (a pair per block)
    // that fold its four blocks onto the message's last block; then four pairs that fold a group on by four groups.
    private static readonly ulong[] s_wideConstants = WideConstants();

    // 64 indices of "zero" (64 selects the second, all-zero table of VPERMT2B) followed by 0 to 63: the 64 of them
    // that start at 64 - z shift a 64-byte vector z bytes towards its end, filling with zeros.
    private static readonly byte[] s_shiftIndices = [.. Enumerable.Repeat((byte)64, 64), .. Enumerable.Range(0, 64).Select(i => (byte)i)];

    /// <summary>Computes the masked CRC32C (Castagnoli) of <paramref name="data"/>.</summary>
    /// <param name="data">The bytes to checksum.</param>
    /// <returns>The CRC rotated right by 15 bits plus 0xa282ead8, as TensorFlow's <c>crc32c::Mask</c>.</returns>
    public static uint Compute(ReadOnlySpan<byte> data) => Mask(Crc32C(data));

    /// <summary>The masked CRC32C of the 8 bytes of <paramref name="value"/> in little-endian order, as a record length is stored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint ComputeUInt64(ulong value) => Mask(~BitOperations.Crc32C(0xFFFFFFFFu, value));

    /// <summary>Computes the plain CRC32C (standard initial value and final inversion) of <paramref name="data"/>.</summary>
    /// <param name="data">The bytes to checksum.</param>
    /// <returns>The CRC32C value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        // The fastest path the CPU has (the IsSupported checks are constants to the JIT, so only one path is compiled
        // in). BitOperations.Crc32C is a single hardware step without the initial and final inversion: add both here.
        uint crc = 0xFFFFFFFFu;
        if (data.Length >= WideThreshold && Pclmulqdq.V512.IsSupported && Avx512Vbmi.IsSupported)
        {
            return ~FoldWide(data, crc);
        }

        if (data.Length >= FoldThreshold && Pclmulqdq.IsSupported)
        {
            crc = FoldBlocks(ref data, crc);
        }

        return ~Scalar(data, crc);
    }

    /// <summary>The ways <see cref="Crc32C(ReadOnlySpan{byte})"/> can compute the CRC; it takes the fastest the CPU has.</summary>
    internal enum Path
    {
        /// <summary>The CRC instruction, 8 bytes at a time (<see cref="BitOperations.Crc32C(uint, ulong)"/>, which has a software fallback).</summary>
        Scalar,

        /// <summary>16-byte blocks folded with 128-bit carry-less multiplication (PCLMULQDQ), the rest as <see cref="Scalar"/>.</summary>
        Fold128,

        /// <summary>64-byte groups folded with 512-bit carry-less multiplication (VPCLMULQDQ, AVX-512 VBMI).</summary>
        Fold512,
    }

    /// <summary>Whether this CPU (and runtime settings such as <c>DOTNET_EnableAVX512</c>) can run <paramref name="path"/>.</summary>
    internal static bool IsSupported(Path path) => path switch
    {
        Path.Scalar => true,
        Path.Fold128 => Pclmulqdq.IsSupported,
        Path.Fold512 => Pclmulqdq.V512.IsSupported && Avx512Vbmi.IsSupported,
        _ => false,
    };

    /// <summary>
    /// The plain CRC32C of <paramref name="data"/> computed by <paramref name="path"/> alone, so that tests can check
    /// every path on any machine that supports it. A folding path folds every length it can take (16 bytes and more
    /// for <see cref="Path.Fold128"/>, a little below the public method's threshold; 64 and more for
    /// <see cref="Path.Fold512"/>, as the public method) and leaves the rest to <see cref="Path.Scalar"/>.
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">The CPU lacks <paramref name="path"/>'s instructions.</exception>
    internal static uint Crc32C(ReadOnlySpan<byte> data, Path path)
    {
        if (!IsSupported(path))
        {
            throw new PlatformNotSupportedException($"This CPU cannot run the {path} CRC32C path.");
        }

        uint crc = 0xFFFFFFFFu;
        if (path == Path.Fold512 && data.Length >= WideThreshold)
        {
            return ~FoldWide(data, crc);
        }

        if (path == Path.Fold128 && data.Length >= 16)
        {
            crc = FoldBlocks(ref data, crc);
        }

        return ~Scalar(data, crc);
    }

    /// <summary>The CRC state after <paramref name="data"/> from state <paramref name="crc"/>, with the CRC instruction.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Scalar(ReadOnlySpan<byte> data, uint crc)
    {
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

        return crc;
    }

    /// <summary>Masks a CRC as TFRecord stores it.</summary>
    /// <param name="crc">A plain CRC32C.</param>
    /// <returns>The masked value.</returns>
    public static uint Mask(uint crc) => BitOperations.RotateRight(crc, 15) + MaskDelta;

    /// <summary>
    /// Runs the CRC over the whole 16-byte blocks of <paramref name="data"/> (at least one) with carry-less multiplication, several
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
        return Reduce(a0);
    }

    /// <summary>
    /// The CRC state after <paramref name="data"/> (at least <see cref="WideThreshold"/> bytes) from state
    /// <paramref name="crc"/>, with 512-bit carry-less multiplication (VPCLMULQDQ).
    /// </summary>
    /// <remarks>
    /// The message is taken as if z zero bytes stood before it, z chosen so that it is a whole number of 64-byte groups
    /// and one 16-byte block; leading zeros leave a CRC from state 0 unchanged, and the state goes in XORed into the
    /// message's first four bytes, as in <see cref="FoldBlocks"/>. The first group is the first 64 bytes moved z bytes
    /// along (VPERMB with zeros shifted in), so every load is whole and inside the span. Each group's four blocks are
    /// then folded straight onto the last block, with the multipliers of their distance to it: these products are
    /// independent, so a short message costs about one multiplication's latency rather than one per block. Longer
    /// messages first fold four accumulators on by 16 blocks at a time until TreeGroups groups are left.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint FoldWide(ReadOnlySpan<byte> data, uint crc)
    {
        ref byte p = ref MemoryMarshal.GetReference(data);
        int length = data.Length;
        int z = (16 - length) & 63;
        int groups = (length + z - 16) >> 6;
        ref ulong k = ref MemoryMarshal.GetArrayDataReference(s_wideConstants);
        Vector512<byte> head = Vector512.LoadUnsafe(ref p) ^ Vector512.CreateScalar(crc).AsByte();
        Vector512<byte> shift = Vector512.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(s_shiftIndices), (nuint)(64 - z));
        Vector512<ulong> first = Avx512Vbmi.PermuteVar64x8x2(head, shift, Vector512<byte>.Zero).AsUInt64();

        if (groups == 1)
        {
            return Finish(Fold(first, TreeConstant(ref k, 0)), ref p, length);
        }

        // Every reference into the message stays within [p, p + length): the group at q (q >= 1) starts at byte
        // 64 * q - z of the message, so group 1 starts at 64 - z, which is at least 1 (z <= 63) and, with two groups
        // or more, at most length - 80; groups are reached from it (LoadGroup(ref secondGroup, q - 1)) and the last
        // one ends 16 bytes before the message's end. (A reference z bytes before the message, where the padded first
        // group would start, would be outside the span even though nothing is read through it.)
        ref byte secondGroup = ref Unsafe.Add(ref p, 64 - z);
        Vector512<ulong> second = LoadGroup(ref secondGroup, 0);

        // When fewer than four bytes of the message are in the first group (z > 60, only with two groups or more),
        // the rest of the state goes into the second.
        if (z > 60)
        {
            second ^= Vector512.CreateScalar((ulong)(crc >> (8 * (64 - z))));
        }

        Vector512<ulong> acc;
        int q;
        if (groups <= TreeGroups)
        {
            acc = Fold(first, TreeConstant(ref k, groups - 1)) ^ Fold(second, TreeConstant(ref k, groups - 2));
            q = 2;
        }
        else
        {
            Vector512<ulong> a0 = first;
            Vector512<ulong> a1 = second;
            Vector512<ulong> a2 = LoadGroup(ref secondGroup, 1);
            Vector512<ulong> a3 = LoadGroup(ref secondGroup, 2);
            Vector512<ulong> k2048 = Vector512.LoadUnsafe(ref k, TreeGroups * 8);
            for (q = 4; groups - q > TreeGroups - 4; q += 4)
            {
                a0 = Fold(a0, k2048) ^ LoadGroup(ref secondGroup, q - 1);
                a1 = Fold(a1, k2048) ^ LoadGroup(ref secondGroup, q);
                a2 = Fold(a2, k2048) ^ LoadGroup(ref secondGroup, q + 1);
                a3 = Fold(a3, k2048) ^ LoadGroup(ref secondGroup, q + 2);
            }

            int d = groups - q; // the distance of a3's group
            acc = Fold(a0, TreeConstant(ref k, d + 3)) ^ Fold(a1, TreeConstant(ref k, d + 2))
                ^ Fold(a2, TreeConstant(ref k, d + 1)) ^ Fold(a3, TreeConstant(ref k, d));
        }

        for (; q < groups; q++)
        {
            acc ^= Fold(LoadGroup(ref secondGroup, q - 1), TreeConstant(ref k, groups - 1 - q));
        }

        return Finish(acc, ref p, length);
    }

    /// <summary>Adds the four folded blocks and the message's last block, and reduces them with the CRC instruction.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Finish(Vector512<ulong> acc, ref byte p, int length)
    {
        Vector256<ulong> half = acc.GetLower() ^ acc.GetUpper();
        return Reduce(half.GetLower() ^ half.GetUpper() ^ Load(ref p, length - 16));
    }

    /// <summary>The CRC state after a 16-byte block (the folded blocks so far) from state 0, with the CRC instruction.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Reduce(Vector128<ulong> block) =>
        BitOperations.Crc32C(BitOperations.Crc32C(0, block.GetElement(0)), block.GetElement(1));

    /// <summary>Reads the 64 bytes <paramref name="n"/> groups after <paramref name="secondGroup"/> (the message's group 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> LoadGroup(ref byte secondGroup, int n) =>
        Vector512.LoadUnsafe(ref secondGroup, (nuint)(uint)(n * 64)).AsUInt64();

    /// <summary>The multipliers that fold the group <paramref name="distance"/> groups before the last block onto it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> TreeConstant(ref ulong k, int distance) => Vector512.LoadUnsafe(ref k, (nuint)(uint)(distance * 8));

    /// <summary>Multiplies each block's first half by its k[0] and its second by its k[1] and adds the products.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Fold(Vector512<ulong> blocks, Vector512<ulong> k) =>
        Pclmulqdq.V512.CarrylessMultiply(blocks, k, 0x00) ^ Pclmulqdq.V512.CarrylessMultiply(blocks, k, 0x11);

    /// <summary>See <see cref="s_wideConstants"/>.</summary>
    private static ulong[] WideConstants()
    {
        var constants = new ulong[(TreeGroups + 1) * 8];
        for (int g = 0; g < TreeGroups; g++)
        {
            for (int j = 0; j < 4; j++)
            {
                // The block in lane j of the group g groups before the last block is 4g + 4 - j blocks before it.
                Vector128<ulong> pair = FoldConstants(128 * ((4 * g) + 4 - j));
                constants[(8 * g) + (2 * j)] = pair.GetElement(0);
                constants[(8 * g) + (2 * j) + 1] = pair.GetElement(1);
            }
        }

        Vector128<ulong> by16Blocks = FoldConstants(2048);
        for (int j = 0; j < 4; j++)
        {
            constants[(8 * TreeGroups) + (2 * j)] = by16Blocks.GetElement(0);
            constants[(8 * TreeGroups) + (2 * j) + 1] = by16Blocks.GetElement(1);
        }

        return constants;
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
