using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using SparkTfrecord.Spec.Validation;

namespace SparkTfrecord.Spec.Statistics;

/// <summary>
/// The most frequent byte strings of a stream, in bounded memory: the Misra-Gries summary with up to
/// <see cref="Counters"/> counters, keyed by a fixed 64-bit hash so it is the same on every run. When the counters are
/// full, a new value first has every count lowered by their median (the batched form of Misra-Gries' decrement, as
/// Apache DataSketches' frequent-items sketch does it), which drops at least half of them; each such step takes its
/// amount from at least <see cref="Counters"/> / 2 counts, so the amounts add up to at most total / <see cref="Bound"/>.
/// Hence a value seen more than total / <see cref="Bound"/> times is always kept, a kept value's count is short of its
/// true count by at most that much, and with at most <see cref="Counters"/> distinct values every count is exact.
/// </summary>
internal sealed class TopValues
{
    /// <summary>Counters kept at most.</summary>
    public const int Counters = 4096;

    /// <summary>The error bound's divisor: a count is short by at most total / Bound.</summary>
    public const int Bound = Counters / 2;

    // An open-addressing table twice the counters' size (half full at most), indexed by Fibonacci hashing of the key:
    // a value already kept costs one multiply and, mostly, one probe, with no allocation.
    private const int TableBits = 13;
    private const int TableSize = 1 << TableBits;
    private const int Mask = TableSize - 1;

    private readonly ulong[] _keys = new ulong[TableSize];
    private readonly int[] _slots = new int[TableSize]; // 0: empty; else 1 + the counter's index
    private readonly long[] _counts = new long[Counters];
    private readonly ulong[] _counterKeys = new ulong[Counters];
    private readonly int[] _valueAt = new int[Counters];
    private readonly int[] _valueLength = new int[Counters];
    private byte[] _arena = new byte[1 << 16]; // the kept values' bytes, one after the other: no allocation per value
    private int _arenaUsed;
    private int _used;

    /// <summary>Values added.</summary>
    public long Total { get; private set; }

    /// <summary>Adds a value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(ReadOnlySpan<byte> value) => Add(HyperLogLog.Hash64(value), value);

    /// <summary>Adds a value whose <see cref="HyperLogLog.Hash64"/> the caller computed already (for the distinct count).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(ulong hash, ReadOnlySpan<byte> value)
    {
        Total++;
        ref ulong keys = ref MemoryMarshal.GetArrayDataReference(_keys);
        ref int slots = ref MemoryMarshal.GetArrayDataReference(_slots);
        int at = Slot(hash);
        while (true)
        {
            int counter = Unsafe.Add(ref slots, at);
            if (counter == 0)
            {
                break;
            }

            if (Unsafe.Add(ref keys, at) == hash)
            {
                _counts[counter - 1]++;
                return;
            }

            at = (at + 1) & Mask;
        }

        AddNew(hash, value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Slot(ulong hash) => (int)((hash * 0x9E3779B97F4A7C15UL) >> (64 - TableBits));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddNew(ulong hash, ReadOnlySpan<byte> value)
    {
        if (_used == Counters)
        {
            Purge();
        }

        if (_arenaUsed + value.Length > _arena.Length)
        {
            Array.Resize(ref _arena, Math.Max(_arena.Length * 2, _arenaUsed + value.Length));
        }

        value.CopyTo(_arena.AsSpan(_arenaUsed));
        _counterKeys[_used] = hash;
        _valueAt[_used] = _arenaUsed;
        _valueLength[_used] = value.Length;
        _arenaUsed += value.Length;
        _counts[_used] = 1;
        _used++;
        Place(hash, _used);
    }

    private void Place(ulong hash, int counter)
    {
        int at = Slot(hash);
        while (_slots[at] != 0)
        {
            at = (at + 1) & Mask;
        }

        _keys[at] = hash;
        _slots[at] = counter;
    }

    // Lowers every count by the median count and drops those left at zero or below (at least half), then rebuilds the
    // table from the survivors, which keep their order (and their bytes move down the arena in that order).
    private void Purge()
    {
        long median = Median();
        int kept = 0;
        int arena = 0;
        for (int i = 0; i < _used; i++)
        {
            long count = _counts[i] - median;
            if (count > 0)
            {
                int length = _valueLength[i];
                _arena.AsSpan(_valueAt[i], length).CopyTo(_arena.AsSpan(arena));
                _counts[kept] = count;
                _counterKeys[kept] = _counterKeys[i];
                _valueAt[kept] = arena;
                _valueLength[kept] = length;
                arena += length;
                kept++;
            }
        }

        _arenaUsed = arena;
        _used = kept;
        Array.Clear(_slots);
        for (int i = 0; i < kept; i++)
        {
            Place(_counterKeys[i], i + 1);
        }
    }

    // The (Counters / 2)-th smallest count. The counts of a long tail are mostly small: counted by value below 64, the
    // median is found in one pass; a sort only when it is larger.
    private long Median()
    {
        const int Small = 64;
        Span<int> small = stackalloc int[Small];
        foreach (long count in _counts)
        {
            if (count < Small)
            {
                small[(int)count]++;
            }
        }

        int seen = 0;
        for (int c = 0; c < Small; c++)
        {
            seen += small[c];
            if (seen >= Counters / 2)
            {
                return c;
            }
        }

        long[] sorted = (long[])_counts.Clone();
        Array.Sort(sorted);
        return sorted[Counters / 2 - 1];
    }

    /// <summary>The kept values by count (highest first), ties by value (ordinal), at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<ValueCount> Top(int limit) =>
        [.. Enumerable.Range(0, _used)
            .Select(i => new ValueCount(Encoding.UTF8.GetString(_arena, _valueAt[i], _valueLength[i]), _counts[i]))
            .OrderByDescending(v => v.Count)
            .ThenBy(v => v.Value, StringComparer.Ordinal)
            .Take(limit)];
}
