using System.Runtime.InteropServices;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Tfrecord.Example;

/// <summary>
/// Serializes one tf.train.Example at a time straight from feature values, without building message objects: add
/// the record's features in the order they should appear, then take <see cref="GetPayload"/> or the framed
/// <see cref="GetRecord"/>, then <see cref="Clear"/> for the next record. Each feature's size is computed before it is
/// written, once, into a buffer that is reused, so encoding does not allocate once the buffer has grown to the largest
/// record. Keys are always written (also ""), and in the caller's order, so output is deterministic. Not thread-safe.
/// </summary>
public sealed class ExampleEncoder
{
    // Room in front of the features for the framing header (12) and the Example's features field tag and length (1 + 5),
    // so that the finished record is one contiguous span without moving the features.
    private const int Reserved = TfRecordWriter.HeaderSize + 1 + 5;
    private const byte FeaturesTag = (1 << 3) | Wire.LengthDelimited;

    private readonly FeatureBuffer _features;
    private int _payloadStart = -1;

    /// <summary>Creates an encoder.</summary>
    /// <param name="initialCapacity">The buffer's starting size in bytes; it grows as needed.</param>
    public ExampleEncoder(int initialCapacity = 4096)
    {
        _features = new FeatureBuffer(Reserved, initialCapacity);
    }

    /// <summary>Number of features added since the last <see cref="Clear"/>.</summary>
    public int FeatureCount => _features.Count;

    /// <summary>Starts a new record.</summary>
    public void Clear()
    {
        _features.Clear();
        _payloadStart = -1;
    }

    /// <summary>Adds an int64 feature with one value.</summary>
    /// <param name="key">The feature.</param>
    /// <param name="value">Its value.</param>
    public void AddInt64(FeatureKey key, long value) => AddInt64List(key, new ReadOnlySpan<long>(in value));

    /// <summary>Adds an int64 feature; an empty span gives a feature with an empty list.</summary>
    /// <param name="key">The feature.</param>
    /// <param name="values">Its values.</param>
    public void AddInt64List(FeatureKey key, ReadOnlySpan<long> values)
    {
        Touch(key);
        _features.WriteInt64s(key, values);
    }

    /// <summary>Adds a float feature with one value.</summary>
    /// <param name="key">The feature.</param>
    /// <param name="value">Its value.</param>
    public void AddFloat(FeatureKey key, float value) => AddFloatList(key, new ReadOnlySpan<float>(in value));

    /// <summary>Adds a float feature; an empty span gives a feature with an empty list.</summary>
    /// <param name="key">The feature.</param>
    /// <param name="values">Its values.</param>
    public void AddFloatList(FeatureKey key, ReadOnlySpan<float> values)
    {
        Touch(key);
        _features.WriteFloats(key, values);
    }

    /// <summary>Adds a bytes feature with one value.</summary>
    /// <param name="key">The feature.</param>
    /// <param name="value">Its value.</param>
    public void AddBytes(FeatureKey key, ReadOnlySpan<byte> value)
    {
        Touch(key);
        _features.WriteBytes(key, value);
    }

    /// <summary>Adds a bytes feature.</summary>
    /// <param name="key">The feature.</param>
    /// <param name="values">Its values; none may be null.</param>
    /// <exception cref="ArgumentException">An element is null.</exception>
    public void AddBytesList(FeatureKey key, IReadOnlyList<byte[]> values)
    {
        Touch(key);
        ArgumentNullException.ThrowIfNull(values);
        _features.WriteBytesList(key, values);
    }

    /// <summary>Adds a bytes feature with one string value, encoded as UTF-8.</summary>
    /// <param name="key">The feature.</param>
    /// <param name="value">Its value.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is null.</exception>
    public void AddString(FeatureKey key, string value) => AddStringList(key, new ReadOnlySpan<string>(in value));

    /// <summary>Adds a bytes feature of strings, each encoded as UTF-8.</summary>
    /// <param name="key">The feature.</param>
    /// <param name="values">Its values; none may be null.</param>
    /// <exception cref="ArgumentException">An element is null.</exception>
    public void AddStringList(FeatureKey key, ReadOnlySpan<string> values)
    {
        Touch(key);
        _features.WriteStrings(key, values);
    }

    /// <summary>Adds a bytes feature of strings, each encoded as UTF-8.</summary>
    /// <param name="key">The feature.</param>
    /// <param name="values">Its values; none may be null.</param>
    /// <exception cref="ArgumentException">An element is null.</exception>
    public void AddStringList(FeatureKey key, IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        switch (values)
        {
            case string[] array:
                AddStringList(key, array.AsSpan());
                break;
            case List<string> list:
                AddStringList(key, CollectionsMarshal.AsSpan(list));
                break;
            default:
                AddStringList(key, values.ToArray().AsSpan());
                break;
        }
    }

    /// <summary>Adds a feature whose kind is not set (TensorFlow treats it as missing).</summary>
    /// <param name="key">The feature.</param>
    public void AddEmpty(FeatureKey key)
    {
        Touch(key);
        _features.WriteEmpty(key);
    }

    /// <summary>The serialized tf.train.Example of the features added; valid until the encoder is changed.</summary>
    /// <returns>The payload bytes.</returns>
    public ReadOnlySpan<byte> GetPayload()
    {
        Finish();
        return _features.Buffer.AsSpan(_payloadStart, _features.End - _payloadStart);
    }

    /// <summary>
    /// The record framed for a TFRecord file: length, masked CRC of the length, the payload and its masked CRC; valid
    /// until the encoder is changed. Pass it to <see cref="TfRecordWriter.WriteFramed"/>.
    /// </summary>
    /// <returns>The framed record.</returns>
    public ReadOnlySpan<byte> GetRecord()
    {
        Finish();
        int payloadLength = _features.End - _payloadStart;
        int recordStart = _payloadStart - TfRecordWriter.HeaderSize;
        byte[] buffer = _features.Buffer;
        TfRecordWriter.WriteHeader(buffer.AsSpan(recordStart), payloadLength);
        _features.WriteTrailingCrc(_payloadStart, payloadLength);
        buffer = _features.Buffer; // it may have grown for the CRC
        return buffer.AsSpan(recordStart, TfRecordWriter.FramingOverhead + payloadLength);
    }

    private void Finish()
    {
        if (_payloadStart >= 0)
        {
            return;
        }

        // The Example's only field, features (1), is written in front of the entries, right-aligned in the reserved room.
        int length = _features.Length;
        int headerSize = 1 + Wire.VarintSize(length);
        _payloadStart = Reserved - headerSize;
        Span<byte> header = _features.Buffer.AsSpan(_payloadStart, headerSize);
        header[0] = FeaturesTag;
        Wire.WriteVarint(header[1..], (uint)length);
    }

    private void Touch(FeatureKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _payloadStart = -1;
    }
}
