using System.Runtime.CompilerServices;
using System.Text;
using SparkTfrecord.Spec.Validation;

namespace SparkTfrecord.Spec.Statistics;

/// <summary>
/// The most frequent byte strings of a stream, in bounded memory (the Misra-Gries summary with
/// <see cref="Capacity"/> counters, keyed by a fixed 64-bit hash so it is the same on every run): a value seen more
/// than total / (Capacity + 1) times is always kept, and a kept value's count is short of its true count by at most
/// that much. With at most <see cref="Capacity"/> distinct values every count is exact.
/// </summary>
internal sealed class TopValues
{
    /// <summary>Counters kept.</summary>
    public const int Capacity = 2048;

    private readonly Dictionary<ulong, Counter> _counters = new(Capacity);

    /// <summary>Values added.</summary>
    public long Total { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(ReadOnlySpan<byte> value)
    {
        Total++;
        ulong hash = HyperLogLog.Hash64(value);
        if (_counters.TryGetValue(hash, out Counter? counter))
        {
            counter.Count++;
            return;
        }

        AddNew(hash, value);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddNew(ulong hash, ReadOnlySpan<byte> value)
    {
        if (_counters.Count < Capacity)
        {
            _counters[hash] = new Counter(value.ToArray());
            return;
        }

        // Full: the new value and one occurrence of every kept value cancel out (Misra-Gries' decrement step).
        foreach ((ulong key, Counter c) in _counters)
        {
            if (--c.Count == 0)
            {
                _counters.Remove(key);
            }
        }
    }

    /// <summary>The kept values by count (highest first), ties by value (ordinal), at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<ValueCount> Top(int limit) =>
        [.. _counters.Values
            .Select(c => new ValueCount(Encoding.UTF8.GetString(c.Value), c.Count))
            .OrderByDescending(v => v.Count)
            .ThenBy(v => v.Value, StringComparer.Ordinal)
            .Take(limit)];

    private sealed class Counter(byte[] value)
    {
        public byte[] Value { get; } = value;

        public long Count { get; set; } = 1;
    }
}
