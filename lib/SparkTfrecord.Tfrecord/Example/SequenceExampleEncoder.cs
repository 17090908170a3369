using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Tfrecord.Example;

/// <summary>
/// Serializes one tf.train.SequenceExample at a time: context features with the Add methods, then each feature list
/// as <see cref="BeginFeatureList"/>, its frames, <see cref="EndFeatureList"/>. Keys are always written and kept in the
/// caller's order. The context and the feature lists fields are always present. Not thread-safe.
/// </summary>
public sealed class SequenceExampleEncoder
{
    private const byte ContextTag = (1 << 3) | Wire.LengthDelimited;
    private const byte FeatureListsTag = (2 << 3) | Wire.LengthDelimited;
    private const byte EntryTag = (1 << 3) | Wire.LengthDelimited;
    private const byte EntryValueTag = (2 << 3) | Wire.LengthDelimited;

    private readonly FeatureBuffer _context = new(0, 1024);
    private readonly FeatureBuffer _frames = new(0, 1024);
    private readonly FeatureBuffer _lists = new(0, 1024);
    private readonly FeatureBuffer _record = new(0, 2048);
    private FeatureKey? _openList;

    /// <summary>Starts a new record.</summary>
    public void Clear()
    {
        _context.Clear();
        _frames.Clear();
        _lists.Clear();
        _openList = null;
    }

    /// <summary>Adds an int64 context feature.</summary>
    /// <param name="key">The feature.</param>
    /// <param name="values">Its values.</param>
    public void AddInt64List(FeatureKey key, ReadOnlySpan<long> values) => _context.WriteInt64s(Checked(key), values);

    /// <summary>Adds a float context feature.</summary>
    /// <param name="key">The feature.</param>
    /// <param name="values">Its values.</param>
    public void AddFloatList(FeatureKey key, ReadOnlySpan<float> values) => _context.WriteFloats(Checked(key), values);

    /// <summary>Adds a bytes context feature.</summary>
    /// <param name="key">The feature.</param>
    /// <param name="values">Its values; none may be null.</param>
    /// <exception cref="ArgumentException">An element is null.</exception>
    public void AddBytesList(FeatureKey key, IReadOnlyList<byte[]> values) => _context.WriteBytesList(Checked(key), values);

    /// <summary>Adds a bytes context feature of UTF-8 strings.</summary>
    /// <param name="key">The feature.</param>
    /// <param name="values">Its values; none may be null.</param>
    /// <exception cref="ArgumentException">An element is null.</exception>
    public void AddStringList(FeatureKey key, ReadOnlySpan<string> values) => _context.WriteStrings(Checked(key), values);

    /// <summary>Adds a context feature whose kind is not set.</summary>
    /// <param name="key">The feature.</param>
    public void AddEmpty(FeatureKey key) => _context.WriteEmpty(Checked(key));

    /// <summary>Starts the feature list <paramref name="key"/>; add its frames, then call <see cref="EndFeatureList"/>.</summary>
    /// <param name="key">The feature list's name.</param>
    /// <exception cref="InvalidOperationException">Another feature list is open.</exception>
    public void BeginFeatureList(FeatureKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_openList is not null)
        {
            throw new InvalidOperationException($"Feature list '{_openList.Name}' is still open; call EndFeatureList first.");
        }

        _openList = key;
        _frames.Clear();
    }

    /// <summary>Adds an int64 frame to the open feature list.</summary>
    /// <param name="values">The frame's values.</param>
    public void AddInt64Frame(ReadOnlySpan<long> values)
    {
        EnsureOpen();
        _frames.WriteInt64s(null, values);
    }

    /// <summary>Adds a float frame to the open feature list.</summary>
    /// <param name="values">The frame's values.</param>
    public void AddFloatFrame(ReadOnlySpan<float> values)
    {
        EnsureOpen();
        _frames.WriteFloats(null, values);
    }

    /// <summary>Adds a bytes frame to the open feature list.</summary>
    /// <param name="values">The frame's values; none may be null.</param>
    /// <exception cref="ArgumentException">An element is null.</exception>
    public void AddBytesFrame(IReadOnlyList<byte[]> values)
    {
        EnsureOpen();
        _frames.WriteBytesList(null, values);
    }

    /// <summary>Adds a bytes frame of UTF-8 strings to the open feature list.</summary>
    /// <param name="values">The frame's values; none may be null.</param>
    /// <exception cref="ArgumentException">An element is null.</exception>
    public void AddStringFrame(ReadOnlySpan<string> values)
    {
        EnsureOpen();
        _frames.WriteStrings(null, values);
    }

    /// <summary>Adds a frame whose kind is not set.</summary>
    public void AddEmptyFrame()
    {
        EnsureOpen();
        _frames.WriteEmpty(null);
    }

    /// <summary>Ends the open feature list.</summary>
    /// <exception cref="InvalidOperationException">No feature list is open.</exception>
    public void EndFeatureList()
    {
        FeatureKey key = EnsureOpen();
        ReadOnlySpan<byte> frames = _frames.Written;
        int valueSize = 1 + Wire.VarintSize(frames.Length) + frames.Length;
        int entrySize = key.KeyField.Length + valueSize;
        _lists.EnsureCapacity(1 + 5 + entrySize);
        Span<byte> head = stackalloc byte[6];
        head[0] = EntryTag;
        _lists.Append(head[..(1 + Wire.WriteVarint(head[1..], (uint)entrySize))]);
        _lists.Append(key.KeyField);
        _lists.AppendField(EntryValueTag, frames);
        _openList = null;
    }

    /// <summary>The serialized tf.train.SequenceExample; valid until the encoder is changed.</summary>
    /// <returns>The payload bytes.</returns>
    /// <exception cref="InvalidOperationException">A feature list is still open.</exception>
    public ReadOnlySpan<byte> GetPayload()
    {
        Build();
        return _record.Buffer.AsSpan(TfRecordWriter.HeaderSize, _record.End - TfRecordWriter.HeaderSize);
    }

    /// <summary>The record framed for a TFRecord file; valid until the encoder is changed.</summary>
    /// <returns>The framed record.</returns>
    /// <exception cref="InvalidOperationException">A feature list is still open.</exception>
    public ReadOnlySpan<byte> GetRecord()
    {
        Build();
        int payloadLength = _record.End - TfRecordWriter.HeaderSize;
        TfRecordWriter.WriteHeader(_record.Buffer, payloadLength);
        _record.WriteTrailingCrc(TfRecordWriter.HeaderSize, payloadLength);
        return _record.Buffer.AsSpan(0, _record.End + 4);
    }

    private void Build()
    {
        if (_openList is not null)
        {
            throw new InvalidOperationException($"Feature list '{_openList.Name}' is still open; call EndFeatureList first.");
        }

        _record.Clear();
        _record.Append(stackalloc byte[TfRecordWriter.HeaderSize]);
        _record.AppendField(ContextTag, _context.Written);
        _record.AppendField(FeatureListsTag, _lists.Written);
    }

    private FeatureKey EnsureOpen() =>
        _openList ?? throw new InvalidOperationException("No feature list is open; call BeginFeatureList first.");

    private static FeatureKey Checked(FeatureKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key;
    }
}
