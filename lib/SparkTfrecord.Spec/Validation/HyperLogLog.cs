using System.Buffers.Binary;
using System.Numerics;

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

    public void Add(ReadOnlySpan<byte> value) => AddHash(Hash64(value));

    public void AddHash(ulong hash)
    {
        int index = (int)(hash >> (64 - Precision));
        ulong rest = (hash << Precision) | (1UL << (Precision - 1));
        byte rank = (byte)(BitOperations.LeadingZeroCount(rest) + 1);
        if (rank > _registers[index])
        {
            _registers[index] = rank;
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

    /// <summary>A fast 64-bit hash: 8-byte words multiplied and folded, then a final avalanche.</summary>
    internal static ulong Hash64(ReadOnlySpan<byte> data)
    {
        const ulong M = 0x9E3779B97F4A7C15;
        ulong h = 0x243F6A8885A308D3 ^ ((ulong)data.Length * M);
        while (data.Length >= 8)
        {
            h = (h ^ Mix(BinaryPrimitives.ReadUInt64LittleEndian(data))) * M;
            data = data[8..];
        }

        if (!data.IsEmpty)
        {
            ulong tail = 0;
            for (int i = 0; i < data.Length; i++)
            {
                tail |= (ulong)data[i] << (8 * i);
            }

            h = (h ^ Mix(tail)) * M;
        }

        return Mix(h);
    }

    private static ulong Mix(ulong x)
    {
        x ^= x >> 33;
        x *= 0xFF51AFD7ED558CCD;
        x ^= x >> 33;
        x *= 0xC4CEB9FE1A85EC53;
        x ^= x >> 33;
        return x;
    }
}

/// <summary>Compares byte arrays by content, and looks them up by span without allocating.</summary>
internal sealed class ByteKeyComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
{
    public static readonly ByteKeyComparer Instance = new();

    public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

    public int GetHashCode(byte[] obj) => (int)HyperLogLog.Hash64(obj);

    public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

    public int GetHashCode(ReadOnlySpan<byte> alternate) => (int)HyperLogLog.Hash64(alternate);

    public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
}
