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
    /// <summary>Writes a decoded Example as one JSON object.</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="features">The Example's features.</param>
    public static void WriteExample(Utf8JsonWriter writer, FeaturesView features)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteFeatures(writer, features);
    }

    /// <summary>Writes a decoded SequenceExample as one JSON object.</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="sequence">The SequenceExample.</param>
    public static void WriteSequenceExample(Utf8JsonWriter writer, SequenceExampleView sequence)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WritePropertyName("context"u8);
        WriteFeatures(writer, sequence.Context);
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
                WriteFeature(writer, list[f]);
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

    private static void WriteFeatures(Utf8JsonWriter writer, FeaturesView features)
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
            WriteFeature(writer, feature);
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

    private static void WriteFeature(Utf8JsonWriter writer, FeatureView feature)
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
                }

                writer.WriteEndArray();
                break;
            case FeatureKind.Bytes:
                writer.WritePropertyName("bytes"u8);
                writer.WriteStartArray();
                foreach (ReadOnlySpan<byte> v in feature.GetBytes())
                {
                    if (Utf8.IsValid(v))
                    {
                        writer.WriteStringValue(v);
                    }
                    else
                    {
                        writer.WriteStartObject();
                        writer.WriteBase64String("b64"u8, v);
                        writer.WriteEndObject();
                    }
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteNull("none"u8);
                break;
        }

        writer.WriteEndObject();
    }
}
