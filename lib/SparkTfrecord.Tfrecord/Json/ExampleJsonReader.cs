using System.Globalization;
using System.Text.Json;
using SparkTfrecord.Tfrecord.Example;

namespace SparkTfrecord.Tfrecord.Json;

/// <summary>
/// Reads the JSON form that <see cref="ExampleJson"/> writes and encodes it, keys in the order of the input. Used to
/// build small files and fixtures by hand.
/// </summary>
public sealed class ExampleJsonReader
{
    private readonly ExampleEncoder _example = new();
    private readonly SequenceExampleEncoder _sequence = new();
    private readonly Dictionary<string, FeatureKey> _keys = new(StringComparer.Ordinal);

    /// <summary>Encodes one JSON object (one line of a JSON lines file) as a framed record.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="forceSequence">Read it as a SequenceExample even if it could be an Example.</param>
    /// <returns>The framed record, valid until the next call.</returns>
    /// <exception cref="FormatException">The JSON is malformed or not in the expected form; the message says where.</exception>
    public ReadOnlySpan<byte> Encode(string json, bool forceSequence = false)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"not valid JSON ({e.Message})", e);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("expected a JSON object of features");
            }

            if (forceSequence || IsSequence(root))
            {
                return EncodeSequence(root);
            }

            _example.Clear();
            foreach (JsonProperty property in root.EnumerateObject())
            {
                AddFeature(Key(property.Name), property.Value, property.Name);
            }

            return _example.GetRecord();
        }
    }

    private static bool IsSequence(JsonElement root)
    {
        // An object whose only keys are "context" and "feature_lists", holding features maps rather than single
        // features, is a SequenceExample; an Example could have features with those names, but they hold one kind key.
        bool any = false;
        foreach (JsonProperty property in root.EnumerateObject())
        {
            if (property.Name is not ("context" or "feature_lists") || property.Value.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            if (IsFeature(property.Value))
            {
                return false;
            }

            any = true;
        }

        return any;
    }

    private static bool IsFeature(JsonElement value)
    {
        using JsonElement.ObjectEnumerator e = value.EnumerateObject();
        return e.MoveNext() && e.Current.Name is "int64" or "float" or "bytes" or "none" && !e.MoveNext();
    }

    private ReadOnlySpan<byte> EncodeSequence(JsonElement root)
    {
        _sequence.Clear();
        if (root.TryGetProperty("context", out JsonElement context))
        {
            RequireObject(context, "context");
            foreach (JsonProperty property in context.EnumerateObject())
            {
                (string kind, JsonElement values) = KindOf(property.Value, property.Name);
                FeatureKey key = Key(property.Name);
                switch (kind)
                {
                    case "int64": _sequence.AddInt64List(key, Int64s(values, property.Name)); break;
                    case "float": _sequence.AddFloatList(key, Floats(values, property.Name)); break;
                    case "bytes": _sequence.AddBytesList(key, Bytes(values, property.Name)); break;
                    default: _sequence.AddEmpty(key); break;
                }
            }
        }

        if (root.TryGetProperty("feature_lists", out JsonElement lists))
        {
            RequireObject(lists, "feature_lists");
            foreach (JsonProperty list in lists.EnumerateObject())
            {
                if (list.Value.ValueKind != JsonValueKind.Array)
                {
                    throw new FormatException($"feature list '{list.Name}': expected an array of features");
                }

                _sequence.BeginFeatureList(Key(list.Name));
                foreach (JsonElement frame in list.Value.EnumerateArray())
                {
                    (string kind, JsonElement values) = KindOf(frame, list.Name);
                    switch (kind)
                    {
                        case "int64": _sequence.AddInt64Frame(Int64s(values, list.Name)); break;
                        case "float": _sequence.AddFloatFrame(Floats(values, list.Name)); break;
                        case "bytes": _sequence.AddBytesFrame(Bytes(values, list.Name)); break;
                        default: _sequence.AddEmptyFrame(); break;
                    }
                }

                _sequence.EndFeatureList();
            }
        }

        return _sequence.GetRecord();
    }

    private void AddFeature(FeatureKey key, JsonElement feature, string name)
    {
        (string kind, JsonElement values) = KindOf(feature, name);
        switch (kind)
        {
            case "int64": _example.AddInt64List(key, Int64s(values, name)); break;
            case "float": _example.AddFloatList(key, Floats(values, name)); break;
            case "bytes": _example.AddBytesList(key, Bytes(values, name)); break;
            default: _example.AddEmpty(key); break;
        }
    }

    private static (string Kind, JsonElement Values) KindOf(JsonElement feature, string name)
    {
        if (feature.ValueKind == JsonValueKind.Object)
        {
            using JsonElement.ObjectEnumerator e = feature.EnumerateObject();
            if (e.MoveNext())
            {
                JsonProperty only = e.Current;
                if (!e.MoveNext())
                {
                    switch (only.Name)
                    {
                        case "none" when only.Value.ValueKind == JsonValueKind.Null:
                            return ("none", only.Value);
                        case "int64" or "float" or "bytes" when only.Value.ValueKind == JsonValueKind.Array:
                            return (only.Name, only.Value);
                    }
                }
            }
        }

        throw new FormatException($"feature '{name}': expected {{\"int64\": [..]}}, {{\"float\": [..]}}, {{\"bytes\": [..]}} or {{\"none\": null}}");
    }

    private static long[] Int64s(JsonElement values, string name)
    {
        var result = new long[values.GetArrayLength()];
        int i = 0;
        foreach (JsonElement v in values.EnumerateArray())
        {
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out result[i++]))
            {
                throw new FormatException($"feature '{name}': {v.GetRawText()} is not an int64");
            }
        }

        return result;
    }

    private static float[] Floats(JsonElement values, string name)
    {
        var result = new float[values.GetArrayLength()];
        int i = 0;
        foreach (JsonElement v in values.EnumerateArray())
        {
            // Parse the text straight to float32: going through double could round twice.
            string text = v.ValueKind switch
            {
                JsonValueKind.Number => v.GetRawText(),
                JsonValueKind.String when v.GetString() is "NaN" or "Infinity" or "-Infinity" => v.GetString()!,
                _ => throw new FormatException($"feature '{name}': {v.GetRawText()} is not a float (use a number, \"NaN\", \"Infinity\" or \"-Infinity\")"),
            };
            result[i++] = float.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return result;
    }

    private static byte[][] Bytes(JsonElement values, string name)
    {
        var result = new byte[values.GetArrayLength()][];
        int i = 0;
        foreach (JsonElement v in values.EnumerateArray())
        {
            if (v.ValueKind == JsonValueKind.String)
            {
                result[i++] = System.Text.Encoding.UTF8.GetBytes(v.GetString()!);
            }
            else if (v.ValueKind == JsonValueKind.Object && v.TryGetProperty("b64", out JsonElement b64) && b64.ValueKind == JsonValueKind.String
                     && b64.TryGetBytesFromBase64(out byte[]? raw))
            {
                result[i++] = raw;
            }
            else
            {
                throw new FormatException($"feature '{name}': {v.GetRawText()} is not a string or {{\"b64\": \"...\"}}");
            }
        }

        return result;
    }

    private static void RequireObject(JsonElement element, string what)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"'{what}' must be an object");
        }
    }

    private FeatureKey Key(string name)
    {
        if (!_keys.TryGetValue(name, out FeatureKey? key))
        {
            key = new FeatureKey(name);
            _keys[name] = key;
        }

        return key;
    }
}
