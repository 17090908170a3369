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

    // The counters are dense (a purge keeps the survivors in their order, so the oldest, mostly the most frequent, stay
    // at the front) and found through an open-addressing table four times their number (a quarter full at most, so a
    // kept value is mostly at its first slot), indexed by Fibonacci hashing of the key. A slot is 32 bits: the counter's
    // number (plus one; 0 is an empty slot) in the low bits and a fingerprint of the key in the others, so a search
    // reads a counter only when its fingerprint matches. A value already kept (most values) reads one slot of a 64 KB
    // table and its counter, where the former layout read three arrays.
    private const int TableBits = 14;
    private const int TableSize = 1 << TableBits;
    private const int Mask = TableSize - 1;
    private const int CounterBits = 13; // counter numbers plus one: 1..Counters
    private const uint CounterMask = (1u << CounterBits) - 1;

    private readonly uint[] _table = new uint[TableSize];
    private readonly Counter[] _counters = new Counter[Counters];
    private readonly int[] _valueAt = new int[Counters];
    private readonly int[] _valueLength = new int[Counters];
    // The kept values' bytes in the counters' order (with those of values purged since the last compaction between
    // them): no allocation per value.
    private byte[] _arena = new byte[1 << 16];
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
        ref uint table = ref MemoryMarshal.GetArrayDataReference(_table);
        uint fingerprint = Fingerprint(hash);
        int at = Home(hash);
        while (true)
        {
            uint slot = Unsafe.Add(ref table, at);
            if (slot == 0)
            {
                break;
            }

            if ((slot & ~CounterMask) == fingerprint)
            {
                // The counter number is at most Counters: no bounds check needed.
                ref Counter counter = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_counters), (nint)(slot & CounterMask) - 1);
                if (counter.Key == hash)
                {
                    counter.Count++;
                    return;
                }
            }

            at = (at + 1) & Mask;
        }

        AddNew(hash, value, at);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Home(ulong hash) => (int)((hash * 0x9E3779B97F4A7C15UL) >> (64 - TableBits));

    // The key's low bits (the table's index comes from all of them through the multiply).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Fingerprint(ulong hash) => (uint)hash & ~CounterMask;

    // A value not kept goes into the empty slot its search ended on, unless the counters are full: then a purge makes
    // room and rebuilds the table, and the value's slot is searched again.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddNew(ulong hash, ReadOnlySpan<byte> value, int at)
    {
        if (_used == Counters)
        {
            Purge();
            at = Empty(hash);
        }

        if (_arenaUsed + value.Length > _arena.Length)
        {
            CompactArena(value.Length);
        }

        value.CopyTo(_arena.AsSpan(_arenaUsed));
        _counters[_used] = new Counter { Key = hash, Count = 1 };
        _valueAt[_used] = _arenaUsed;
        _valueLength[_used] = value.Length;
        _arenaUsed += value.Length;
        _used++;
        _table[at] = Fingerprint(hash) | (uint)_used;
    }

    private int Empty(ulong hash)
    {
        int at = Home(hash);
        while (_table[at] != 0)
        {
            at = (at + 1) & Mask;
        }

        return at;
    }

    // Lowers every count by the median count and drops those left at zero or below (at least half), then rebuilds the
    // table from the survivors, which keep their order. Their bytes stay where they are in the arena (moving them down
    // at every purge was most of a purge's time): CompactArena reclaims the dropped values' bytes when the arena is full.
    private void Purge()
    {
        long median = Median();
        Span<Counter> counters = _counters.AsSpan(0, _used);
        Span<int> valueAt = _valueAt.AsSpan(0, _used);
        Span<int> valueLength = _valueLength.AsSpan(0, _used);
        int kept = 0;
        for (int i = 0; i < counters.Length; i++)
        {
            long count = counters[i].Count - median;
            if (count > 0)
            {
                counters[kept] = new Counter { Key = counters[i].Key, Count = count };
                valueAt[kept] = valueAt[i];
                valueLength[kept] = valueLength[i];
                kept++;
            }
        }

        _used = kept;
        Array.Clear(_table);
        for (int i = 0; i < kept; i++)
        {
            _table[Empty(_counters[i].Key)] = Fingerprint(_counters[i].Key) | (uint)(i + 1);
        }
    }

    // Moves the kept values' bytes down over those of values purged since the last compaction, in the counters' order
    // (which is their order in the arena, so each moves down or stays). The arena doubles while the kept bytes fill more
    // than a quarter of it: then at least three times their size is appended between two compactions, so each appended
    // byte is moved at most a third of a time (a purge moved about half of them every time).
    private void CompactArena(int needed)
    {
        int arena = 0;
        for (int i = 0; i < _used; i++)
        {
            int length = _valueLength[i];
            _arena.AsSpan(_valueAt[i], length).CopyTo(_arena.AsSpan(arena));
            _valueAt[i] = arena;
            arena += length;
        }

        _arenaUsed = arena;
        while (_arenaUsed + needed > _arena.Length / 4)
        {
            Array.Resize(ref _arena, _arena.Length * 2);
        }
    }

    // The (Counters / 2)-th smallest count (the counters are all in use when it is needed). The counts of a long tail
    // are mostly small: counted by value below 64, the median is found in one pass; a sort only when it is larger.
    private long Median()
    {
        const int Small = 64;
        Span<int> small = stackalloc int[Small];
        foreach (Counter counter in _counters)
        {
            if (counter.Count < Small)
            {
                small[(int)counter.Count]++;
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

        long[] sorted = [.. _counters.Select(c => c.Count)];
        Array.Sort(sorted);
        return sorted[Counters / 2 - 1];
    }

    /// <summary>The kept values by count (highest first), ties by value (ordinal), at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<ValueCount> Top(int limit) =>
        [.. Enumerable.Range(0, _used)
            .Select(i => new ValueCount(Encoding.UTF8.GetString(_arena, _valueAt[i], _valueLength[i]), _counters[i].Count))
            .OrderByDescending(v => v.Count)
            .ThenBy(v => v.Value, StringComparer.Ordinal)
            .Take(limit)];

    /// <summary>A kept value's hash and count.</summary>
    private struct Counter
    {
        public ulong Key;
        public long Count;
    }
}
