using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SparkTfrecord.Spec.Statistics;

/// <summary>
/// A bounded, deterministic summary of a stream of finite numbers: counts per bucket, where a bucket is the top 16 bits
/// of the number's IEEE double (sign, exponent and 4 mantissa bits), so each bucket spans under 1/16 of its values'
/// magnitude; plus the exact count, zeros, sum, min and max. Adding a number is a shift and an increment; the memory is
/// fixed (65,536 counters) whatever the data size. Integers of magnitude up to 32 (and any number whose mantissa fits
/// 5 bits) fall on a bucket's lower bound, so their quantiles and histograms are exact.
/// </summary>
internal sealed class ValueSketch
{
    private const int KeyShift = 48;
    private const int Keys = 1 << (64 - KeyShift);
    private long[]? _buckets;

    public long Count { get; private set; }

    public long Zeros { get; private set; }

    public double Sum { get; private set; }

    public double Min { get; private set; } = double.PositiveInfinity;

    public double Max { get; private set; } = double.NegativeInfinity;

    /// <summary>Adds a finite number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(double value) => Add(value, 1);

    /// <summary>Adds a finite number <paramref name="times"/> times.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(double value, long times)
    {
        Count += times;
        Sum += value * times;
        if (value == 0)
        {
            Zeros += times;
        }

        if (value < Min)
        {
            Min = value;
        }

        if (value > Max)
        {
            Max = value;
        }

        long[] buckets = _buckets ??= new long[Keys];
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(buckets), (nint)(BitConverter.DoubleToUInt64Bits(value) >> KeyShift)) += times;
    }

    /// <summary>A copy, to add to without changing this one.</summary>
    public ValueSketch Copy() => new()
    {
        _buckets = (long[]?)_buckets?.Clone(),
        Count = Count,
        Zeros = Zeros,
        Sum = Sum,
        Min = Min,
        Max = Max,
    };

    /// <summary>The occupied buckets from the smallest value to the largest: each one's value (its bound nearest zero,
    /// kept within min and max) and count.</summary>
    public IEnumerable<(double Value, long Count)> Buckets()
    {
        if (_buckets is not { } buckets)
        {
            yield break;
        }

        // Negative numbers: a larger key is a larger magnitude, so the most negative comes from the top key down.
        for (int key = Keys - 1; key >= Keys / 2; key--)
        {
            if (buckets[key] > 0)
            {
                yield return (Clamp(Bound(key)), buckets[key]);
            }
        }

        for (int key = 0; key < Keys / 2; key++)
        {
            if (buckets[key] > 0)
            {
                yield return (Clamp(Bound(key)), buckets[key]);
            }
        }
    }

    private static double Bound(int key) => BitConverter.UInt64BitsToDouble((ulong)key << KeyShift);

    private double Clamp(double value) => Math.Clamp(value, Min, Max);
}
