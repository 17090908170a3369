using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace SparkTfrecord.Tfrecord.Example;

/// <summary>The features of a decoded Example (or a SequenceExample's context), in the order Google.Protobuf gives them.</summary>
public readonly ref struct FeaturesView
{
    private readonly ReadOnlySpan<byte> _payload;
    private readonly ExampleDecoder _decoder;
    private readonly int _first;

    internal FeaturesView(ReadOnlySpan<byte> payload, ExampleDecoder decoder, int first, int count)
    {
        _payload = payload;
        _decoder = decoder;
        _first = first;
        Count = count;
    }

    /// <summary>Number of features.</summary>
    public int Count { get; }

    /// <summary>The feature at <paramref name="index"/>.</summary>
    /// <param name="index">0 to <see cref="Count"/> - 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public FeatureView this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return new FeatureView(_payload, _decoder, in _decoder.Slots[_first + index]);
        }
    }

    /// <summary>Finds a feature by its UTF-8 name.</summary>
    /// <param name="utf8Name">The name's bytes.</param>
    /// <param name="feature">The feature, when found.</param>
    /// <returns>True if the Example has the feature.</returns>
    public bool TryGetFeature(ReadOnlySpan<byte> utf8Name, out FeatureView feature)
    {
        for (int i = 0; i < Count; i++)
        {
            ref FeatureSlot slot = ref _decoder.Slots[_first + i];
            if (_payload.Slice(slot.NameStart, slot.NameLength).SequenceEqual(utf8Name))
            {
                feature = new FeatureView(_payload, _decoder, in slot);
                return true;
            }
        }

        feature = default;
        return false;
    }

    /// <summary>Finds a feature by name.</summary>
    /// <param name="name">The name.</param>
    /// <param name="feature">The feature, when found.</param>
    /// <returns>True if the Example has the feature.</returns>
    public bool TryGetFeature(string name, out FeatureView feature) => TryGetFeature(Encoding.UTF8.GetBytes(name), out feature);

    /// <summary>Enumerates the features.</summary>
    /// <returns>An enumerator.</returns>
    public Enumerator GetEnumerator() => new(this);

    /// <summary>Enumerates the features of a <see cref="FeaturesView"/>.</summary>
    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<byte> _payload;
        private readonly ExampleDecoder _decoder;
        private readonly ReadOnlySpan<FeatureSlot> _slots;
        private int _index;

        internal Enumerator(FeaturesView view)
        {
            _payload = view._payload;
            _decoder = view._decoder;
            _slots = view.Count == 0 ? default : view._decoder.Slots.AsSpan(view._first, view.Count);
            _index = -1;
        }

        /// <summary>The current feature.</summary>
        public readonly FeatureView Current => new(_payload, _decoder, in _slots[_index]);

        /// <summary>Moves to the next feature.</summary>
        /// <returns>False after the last feature.</returns>
        public bool MoveNext() => ++_index < _slots.Length;
    }
}

/// <summary>One decoded feature (or one frame of a feature list): its name, kind and values.</summary>
public readonly ref struct FeatureView
{
    private readonly ReadOnlySpan<byte> _payload;
    private readonly ExampleDecoder _decoder;

    // A reference to the decoder's slot rather than a copy: a view is valid only until the next decode anyway, and
    // copying the slot into every view (and every enumerator's Current) cost more than the rest of visiting a feature.
    private readonly ref readonly FeatureSlot _slot;

    internal FeatureView(ReadOnlySpan<byte> payload, ExampleDecoder decoder, ref readonly FeatureSlot slot)
    {
        _payload = payload;
        _decoder = decoder;
        _slot = ref slot;
    }

    /// <summary>The name's bytes as stored (normally UTF-8); empty for a frame.</summary>
    public ReadOnlySpan<byte> Utf8Name => _payload.Slice(_slot.NameStart, _slot.NameLength);

    /// <summary>The name decoded as UTF-8 (invalid bytes become U+FFFD).</summary>
    public string Name => Encoding.UTF8.GetString(Utf8Name);

    /// <summary>Which list is set.</summary>
    public FeatureKind Kind => _slot.Kind;

    /// <summary>Number of values in the list.</summary>
    public int Count => _slot.ValueCount;

    /// <summary>The int64 values.</summary>
    /// <returns>An enumerable of the values.</returns>
    /// <exception cref="InvalidOperationException">The feature is not an int64 list.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Int64Values GetInt64s() => new(_payload, Segments(FeatureKind.Int64));

    /// <summary>The float values.</summary>
    /// <returns>An enumerable of the values.</returns>
    /// <exception cref="InvalidOperationException">The feature is not a float list.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public FloatValues GetFloats() => new(_payload, Segments(FeatureKind.Float));

    /// <summary>The bytes values.</summary>
    /// <returns>An enumerable of the values, each a span into the payload.</returns>
    /// <exception cref="InvalidOperationException">The feature is not a bytes list.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public BytesValues GetBytes()
    {
        CheckKind(FeatureKind.Bytes);
        return new(_payload, _decoder.Runs.AsSpan(_slot.RunFirst, _slot.RunCount));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<Segment> Segments(FeatureKind kind)
    {
        CheckKind(kind);
        return _decoder.Segments.AsSpan(_slot.RunFirst, _slot.RunCount);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CheckKind(FeatureKind kind)
    {
        if (_slot.Kind != kind)
        {
            // Only values go to the helper: calling a member of the view here would make the JIT keep the whole view
            // in memory rather than in registers, in every visit.
            ThrowWrongKind(_payload, _slot.NameStart, _slot.NameLength, _slot.Kind, kind);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowWrongKind(ReadOnlySpan<byte> payload, int nameStart, int nameLength, FeatureKind actual, FeatureKind asked) =>
        throw new InvalidOperationException($"Feature '{Encoding.UTF8.GetString(payload.Slice(nameStart, nameLength))}' holds {actual} values, not {asked}.");
}

/// <summary>The int64 values of a feature, read from the payload as they are enumerated.</summary>
public readonly ref struct Int64Values
{
    private readonly ReadOnlySpan<byte> _payload;
    private readonly ReadOnlySpan<Segment> _segments;

    internal Int64Values(ReadOnlySpan<byte> payload, ReadOnlySpan<Segment> segments)
    {
        _payload = payload;
        _segments = segments;
    }

    /// <summary>Enumerates the values.</summary>
    /// <returns>An enumerator.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Enumerator GetEnumerator() => new(_payload, _segments);

    /// <summary>Enumerates int64 values across packed and unpacked fields.</summary>
    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<byte> _payload;
        private readonly ReadOnlySpan<Segment> _segments;
        private int _segment;
        private int _pos;
        private int _runEnd;

        internal Enumerator(ReadOnlySpan<byte> payload, ReadOnlySpan<Segment> segments)
        {
            _payload = payload;
            _segments = segments;
            _segment = -1;
        }

        /// <summary>The current value.</summary>
        public long Current { get; private set; }

        /// <summary>Moves to the next value.</summary>
        /// <returns>False after the last value.</returns>
        public bool MoveNext()
        {
            // The decoder recorded the runs of varints (packed fields, and unpacked values as runs of one), each
            // checked to end on a varint's end: no tag is left to read here.
            if (_pos >= _runEnd)
            {
                if (++_segment >= _segments.Length)
                {
                    return false;
                }

                Segment run = _segments[_segment];
                _pos = run.Start;
                _runEnd = run.Start + run.Length;
            }

            Current = (long)Wire.ReadVarintUnchecked(_payload, ref _pos);
            return true;
        }
    }
}

/// <summary>The float values of a feature, read from the payload as they are enumerated.</summary>
public readonly ref struct FloatValues
{
    private readonly ReadOnlySpan<byte> _payload;
    private readonly ReadOnlySpan<Segment> _segments;

    internal FloatValues(ReadOnlySpan<byte> payload, ReadOnlySpan<Segment> segments)
    {
        _payload = payload;
        _segments = segments;
    }

    /// <summary>Enumerates the values.</summary>
    /// <returns>An enumerator.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Enumerator GetEnumerator() => new(_payload, _segments);

    /// <summary>Enumerates float values across packed and unpacked fields.</summary>
    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<byte> _payload;
        private readonly ReadOnlySpan<Segment> _segments;
        private int _segment;
        private int _pos;
        private int _runEnd;

        internal Enumerator(ReadOnlySpan<byte> payload, ReadOnlySpan<Segment> segments)
        {
            _payload = payload;
            _segments = segments;
            _segment = -1;
        }

        /// <summary>The current value.</summary>
        public float Current { get; private set; }

        /// <summary>Moves to the next value.</summary>
        /// <returns>False after the last value.</returns>
        public bool MoveNext()
        {
            // The decoder recorded the runs of floats (packed fields, and unpacked values as runs of one), each a
            // multiple of 4 bytes long.
            if (_pos >= _runEnd)
            {
                if (++_segment >= _segments.Length)
                {
                    return false;
                }

                Segment run = _segments[_segment];
                _pos = run.Start;
                _runEnd = run.Start + run.Length;
            }

            Current = BinaryPrimitives.ReadSingleLittleEndian(_payload[_pos..]);
            _pos += 4;
            return true;
        }
    }
}

/// <summary>The bytes values of a feature, each a span into the payload.</summary>
public readonly ref struct BytesValues
{
    private readonly ReadOnlySpan<byte> _payload;
    private readonly ReadOnlySpan<ValueRun> _runs;

    internal BytesValues(ReadOnlySpan<byte> payload, ReadOnlySpan<ValueRun> runs)
    {
        _payload = payload;
        _runs = runs;
    }

    /// <summary>Enumerates the values.</summary>
    /// <returns>An enumerator.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Enumerator GetEnumerator() => new(_payload, _runs);

    /// <summary>How many runs the values lie in (see <see cref="GetRun"/>).</summary>
    public int RunCount => _runs.Length;

    /// <summary>
    /// Where the values of a run lie in the payload, for a reader that keeps a copy of the payload and reads the values
    /// from it later (on another thread, say) without a span per value. The values are in order across the runs.
    /// </summary>
    /// <param name="index">0 to <see cref="RunCount"/> - 1.</param>
    /// <returns>The run, checked to lie in the payload.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range, or the run is not in the
    /// payload (its decoder has decoded another payload since).</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public BytesRun GetRun(int index)
    {
        ref readonly ValueRun run = ref _runs[index];
        if (!run.LiesIn(_payload))
        {
            Enumerator.ThrowOutside();
        }

        return new BytesRun(run.Start, run.LastStart, run.Length, run.Stride);
    }

    /// <summary>Enumerates bytes values.</summary>
    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<byte> _payload;
        private readonly ReadOnlySpan<ValueRun> _runs;
        private int _run;
        private int _pos;
        private int _last;
        private int _length;
        private int _stride;

        internal Enumerator(ReadOnlySpan<byte> payload, ReadOnlySpan<ValueRun> runs)
        {
            _payload = payload;
            _runs = runs;
            _run = -1;
            _pos = 1; // past _last: the first MoveNext takes up the first run
            Current = default;
        }

        /// <summary>The current value: a span into the payload.</summary>
        public ReadOnlySpan<byte> Current { get; private set; }

        /// <summary>Moves to the next value.</summary>
        /// <returns>False after the last value.</returns>
        public bool MoveNext()
        {
            // The decoder found where the values are while validating the payload, so no parsing is left to do here:
            // a run's values follow at one interval, and the run was checked against the payload as it was taken up.
            if (_pos > _last && !NextRun())
            {
                return false;
            }

            Current = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref MemoryMarshal.GetReference(_payload), (nint)(uint)_pos), _length);
            _pos += _stride;
            return true;
        }

        /// <summary>Takes up the next run of values, checking that all of it lies in the payload.</summary>
        /// <remarks>
        /// A view used after its decoder has decoded another payload reads that payload's runs (whose fields are never
        /// negative, and whose stride is positive): they are checked here like any other, so such misuse reads wrong
        /// values or throws, but never reads outside the payload.
        /// </remarks>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private bool NextRun()
        {
            if (++_run >= _runs.Length)
            {
                return false;
            }

            ref readonly ValueRun run = ref _runs[_run];
            if (!run.LiesIn(_payload))
            {
                ThrowOutside();
            }

            _pos = run.Start;
            _last = run.LastStart;
            _length = run.Length;
            _stride = run.Stride;
            return true;
        }

        [DoesNotReturn]
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static void ThrowOutside() => throw new ArgumentOutOfRangeException(null, "The view's values lie outside its payload: its decoder has decoded another payload since.");
    }
}

/// <summary>
/// Bytes values lying in a payload at one interval (a bytes_list's values of one length follow one another, each
/// behind its field tag and length): <see cref="Length"/> bytes at <see cref="Start"/>, at Start + <see cref="Stride"/>,
/// and so on up to <see cref="LastStart"/>.
/// </summary>
/// <param name="Start">Where the first value starts in the payload.</param>
/// <param name="LastStart">Where the last value starts (Start for a single value).</param>
/// <param name="Length">Each value's length in bytes.</param>
/// <param name="Stride">From one value's start to the next's (positive).</param>
public readonly record struct BytesRun(int Start, int LastStart, int Length, int Stride);

/// <summary>A decoded SequenceExample: the context features and the feature lists.</summary>
public readonly ref struct SequenceExampleView
{
    private readonly ReadOnlySpan<byte> _payload;
    private readonly ExampleDecoder _decoder;

    internal SequenceExampleView(ReadOnlySpan<byte> payload, ExampleDecoder decoder, int contextCount, int listCount)
    {
        _payload = payload;
        _decoder = decoder;
        Context = new FeaturesView(payload, decoder, 0, contextCount);
        FeatureListCount = listCount;
    }

    /// <summary>The context features.</summary>
    public FeaturesView Context { get; }

    /// <summary>Number of feature lists.</summary>
    public int FeatureListCount { get; }

    /// <summary>The feature list at <paramref name="index"/>.</summary>
    /// <param name="index">0 to <see cref="FeatureListCount"/> - 1.</param>
    /// <returns>The feature list.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public FeatureListView GetFeatureList(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, FeatureListCount);
        return new FeatureListView(_payload, _decoder, _decoder.Lists[index]);
    }
}

/// <summary>One feature list of a SequenceExample: its name and frames.</summary>
public readonly ref struct FeatureListView
{
    private readonly ReadOnlySpan<byte> _payload;
    private readonly ExampleDecoder _decoder;
    private readonly ListSlot _slot;

    internal FeatureListView(ReadOnlySpan<byte> payload, ExampleDecoder decoder, in ListSlot slot)
    {
        _payload = payload;
        _decoder = decoder;
        _slot = slot;
    }

    /// <summary>The name's bytes as stored.</summary>
    public ReadOnlySpan<byte> Utf8Name => _payload.Slice(_slot.NameStart, _slot.NameLength);

    /// <summary>The name decoded as UTF-8.</summary>
    public string Name => Encoding.UTF8.GetString(Utf8Name);

    /// <summary>Number of frames.</summary>
    public int Count => _slot.FrameCount;

    /// <summary>The frame at <paramref name="index"/>.</summary>
    /// <param name="index">0 to <see cref="Count"/> - 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public FeatureView this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return new FeatureView(_payload, _decoder, in _decoder.Frames[_slot.FrameFirst + index]);
        }
    }
}
