using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;
using SparkTfrecord.Tfrecord.Example;

namespace SparkTfrecord.Tfrecord.Json;

/// <summary>
/// The JSON form of Examples that <c>sparktf inspect</c> prints and <c>sparktf write</c> reads. An Example is an
/// object of features with keys sorted: <c>{"name": {"int64": [..]} | {"float": [..]} | {"bytes": ["text" or
/// {"b64": ".."}]} | {"none": null}}</c>. A SequenceExample is <c>{"context": {...}, "feature_lists": {"name":
/// [feature, ...]}}</c>. Floats are the shortest text that reads back as the same float32; NaN and infinities are the
/// strings "NaN", "Infinity" and "-Infinity". Bytes that are valid UTF-8 are shown as text, others as base64.
/// </summary>
public static class ExampleJson
{
    // The writer hands what it holds to its stream past this many bytes, so a record with a long list is streamed
    // instead of held whole (as text, several times its size) until the end of its line.
    private const int FlushBytes = 1 << 20;

    /// <summary>Writes a decoded Example as one JSON object.</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="features">The Example's features.</param>
    /// <param name="maxBytesShown">Bytes values longer than this are shown shortened: <c>{"length": L, "head":
    /// "text"}</c> or <c>{"length": L, "b64_head": ".."}</c> with their first bytes (a form that reading JSON back
    /// refuses, so a shortened record is never written back as if whole). Default: every value whole.</param>
    public static void WriteExample(Utf8JsonWriter writer, FeaturesView features, long maxBytesShown = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteFeatures(writer, features, maxBytesShown);
    }

    /// <summary>The longest bytes value of an Example, and its feature's name (to refuse a record too big to print).</summary>
    /// <param name="features">The Example's features.</param>
    /// <returns>The length and the feature, or (0, null) without bytes values.</returns>
    public static (long Length, string? Feature) LongestBytes(FeaturesView features)
    {
        (long Length, string? Feature) longest = (0, null);
        for (int i = 0; i < features.Count; i++)
        {
            longest = Longer(longest, features[i]);
        }

        return longest;
    }

    /// <summary>The longest bytes value of a SequenceExample, and its feature's name.</summary>
    /// <param name="sequence">The SequenceExample.</param>
    /// <returns>The length and the feature, or (0, null) without bytes values.</returns>
    public static (long Length, string? Feature) LongestBytes(SequenceExampleView sequence)
    {
        var longest = LongestBytes(sequence.Context);
        for (int i = 0; i < sequence.FeatureListCount; i++)
        {
            FeatureListView list = sequence.GetFeatureList(i);
            for (int f = 0; f < list.Count; f++)
            {
                var (length, _) = Longer((0, null), list[f]);
                if (length > longest.Length)
                {
                    longest = (length, list.Name);
                }
            }
        }

        return longest;
    }

    /// <summary>Writes a decoded SequenceExample as one JSON object.</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="sequence">The SequenceExample.</param>
    /// <param name="maxBytesShown">As for <see cref="WriteExample"/>.</param>
    public static void WriteSequenceExample(Utf8JsonWriter writer, SequenceExampleView sequence, long maxBytesShown = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WritePropertyName("context"u8);
        WriteFeatures(writer, sequence.Context, maxBytesShown);
        writer.WritePropertyName("feature_lists"u8);
        writer.WriteStartObject();
        var names = new string[sequence.FeatureListCount];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = sequence.GetFeatureList(i).Name;
        }

        foreach (int i in SortedOrder(names))
        {
            FeatureListView list = sequence.GetFeatureList(i);
            writer.WritePropertyName(list.Name);
            writer.WriteStartArray();
            for (int f = 0; f < list.Count; f++)
            {
                WriteFeature(writer, list[f], maxBytesShown);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Formats a float32 as the shortest text that reads back as the same value, or NaN / Infinity / -Infinity.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The text.</returns>
    public static string FormatFloat(float value) =>
        float.IsNaN(value) ? "NaN"
        : float.IsPositiveInfinity(value) ? "Infinity"
        : float.IsNegativeInfinity(value) ? "-Infinity"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static (long Length, string? Feature) Longer((long Length, string? Feature) longest, FeatureView feature)
    {
        if (feature.Kind == FeatureKind.Bytes)
        {
            foreach (ReadOnlySpan<byte> v in feature.GetBytes())
            {
                if (v.Length > longest.Length)
                {
                    longest = (v.Length, feature.Name);
                }
            }
        }

        return longest;
    }

    private static void WriteFeatures(Utf8JsonWriter writer, FeaturesView features, long maxBytesShown)
    {
        writer.WriteStartObject();
        var names = new string[features.Count];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = features[i].Name;
        }

        foreach (int i in SortedOrder(names))
        {
            FeatureView feature = features[i];
            writer.WritePropertyName(feature.Name);
            WriteFeature(writer, feature, maxBytesShown);
        }

        writer.WriteEndObject();
    }

    private static int[] SortedOrder(string[] names)
    {
        int[] order = new int[names.Length];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(names, order, StringComparer.Ordinal);
        return order;
    }

    private static void WriteFeature(Utf8JsonWriter writer, FeatureView feature, long maxBytesShown)
    {
        writer.WriteStartObject();
        switch (feature.Kind)
        {
            case FeatureKind.Int64:
                writer.WritePropertyName("int64"u8);
                writer.WriteStartArray();
                foreach (long v in feature.GetInt64s())
                {
                    writer.WriteNumberValue(v);
                    FlushIfLarge(writer);
                }

                writer.WriteEndArray();
                break;
            case FeatureKind.Float:
                writer.WritePropertyName("float"u8);
                writer.WriteStartArray();
                foreach (float v in feature.GetFloats())
                {
                    if (float.IsFinite(v))
                    {
                        writer.WriteRawValue(FormatFloat(v), skipInputValidation: true);
                    }
                    else
                    {
                        writer.WriteStringValue(FormatFloat(v));
                    }

                    FlushIfLarge(writer);
                }

                writer.WriteEndArray();
                break;
            case FeatureKind.Bytes:
                writer.WritePropertyName("bytes"u8);
                writer.WriteStartArray();
                foreach (ReadOnlySpan<byte> v in feature.GetBytes())
                {
                    if (v.Length > maxBytesShown)
                    {
                        WriteShortened(writer, v, (int)maxBytesShown);
                    }
                    else if (Utf8.IsValid(v))
                    {
                        writer.WriteStringValue(v);
                    }
                    else
                    {
                        writer.WriteStartObject();
                        writer.WriteBase64String("b64"u8, v);
                        writer.WriteEndObject();
                    }

                    FlushIfLarge(writer);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteNull("none"u8);
                break;
        }

        writer.WriteEndObject();
    }

    // A long value's first bytes: as text when they are UTF-8 (cut back to a character's start), else as base64.
    private static void WriteShortened(Utf8JsonWriter writer, ReadOnlySpan<byte> value, int shown)
    {
        ReadOnlySpan<byte> head = value[..shown];
        int cut = head.Length;
        while (cut > 0 && head.Length - cut < 4 && (value[cut] & 0xC0) == 0x80)
        {
            cut--; // value[cut] continues a character: end the head before that character
        }

        writer.WriteStartObject();
        writer.WriteNumber("length"u8, value.Length);
        if (Utf8.IsValid(head[..cut]))
        {
            writer.WriteString("head"u8, head[..cut]);
        }
        else
        {
            writer.WriteBase64String("b64_head"u8, head);
        }

        writer.WriteEndObject();
    }

    private static void FlushIfLarge(Utf8JsonWriter writer)
    {
        if (writer.BytesPending > FlushBytes)
        {
            writer.Flush();
        }
    }
}
