using System.Globalization;
using System.Text.Json;
using SparkTfrecord.Tfrecord.Example;
using Tf = SparkTfrecord.Tfrecord.Proto;

namespace SparkTfrecord.Tfrecord.Tests.Support;

/// <summary>
/// Canonical one-line descriptions of features, so that what our decoder gives, what Google.Protobuf parses, what a
/// test expects and what the Python reader prints compare as plain strings. Floats are their bit patterns (NaN
/// payloads and -0.0 compare exactly), bytes are hex, names are JSON-escaped.
/// </summary>
internal static class Describe
{
    public const string NoKind = "none";

    public static string Int64s(IEnumerable<long> values) =>
        "int64 [" + string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "]";

    public static string Floats(IEnumerable<float> values) => FloatBits(values.Select(BitConverter.SingleToUInt32Bits));

    public static string FloatBits(IEnumerable<uint> bits) => "float [" + string.Join(", ", bits.Select(b => b.ToString("x8", CultureInfo.InvariantCulture))) + "]";

    public static string Bytes(IEnumerable<byte[]> values) => BytesHex(values.Select(Convert.ToHexStringLower));

    public static string BytesHex(IEnumerable<string> hex) => "bytes [" + string.Join(", ", hex.Select(h => "\"" + h + "\"")) + "]";

    public static string Name(string name) => JsonSerializer.Serialize(name);

    public static string Named(string name, string feature) => Name(name) + " = " + feature;

    public static IEnumerable<string> List(string name, IEnumerable<string> frames)
    {
        var all = frames.ToList();
        yield return $"list {Name(name)} ({all.Count} frames)";
        for (int i = 0; i < all.Count; i++)
        {
            yield return $"list {Name(name)}[{i}] = {all[i]}";
        }
    }

    /// <summary>Protobuf map semantics: a repeated name keeps its first position and takes the last value.</summary>
    public static List<string> Merge(IEnumerable<NamedFeature> features)
    {
        var names = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (NamedFeature f in features)
        {
            if (!values.ContainsKey(f.Name))
            {
                names.Add(f.Name);
            }

            values[f.Name] = f.Feature.ToString();
        }

        return [.. names.Select(n => Named(n, values[n]))];
    }

    // ---- our decoder's views ----

    public static string Feature(FeatureView feature)
    {
        string text;
        int count = 0;
        switch (feature.Kind)
        {
            case FeatureKind.Int64:
                var longs = new List<long>();
                foreach (long v in feature.GetInt64s())
                {
                    longs.Add(v);
                }

                count = longs.Count;
                text = Int64s(longs);
                break;
            case FeatureKind.Float:
                var floats = new List<float>();
                foreach (float v in feature.GetFloats())
                {
                    floats.Add(v);
                }

                count = floats.Count;
                text = Floats(floats);
                break;
            case FeatureKind.Bytes:
                var bytes = new List<byte[]>();
                foreach (ReadOnlySpan<byte> v in feature.GetBytes())
                {
                    bytes.Add(v.ToArray());
                }

                count = bytes.Count;
                text = Bytes(bytes);
                break;
            default:
                text = NoKind;
                break;
        }

        // Count is computed when decoding, the values when enumerating: both must agree.
        return count == feature.Count ? text : $"{text} !Count={feature.Count}";
    }

    public static string[] Of(FeaturesView view)
    {
        var lines = new List<string>();
        foreach (FeatureView feature in view)
        {
            lines.Add(Named(feature.Name, Feature(feature)));
        }

        if (lines.Count != view.Count)
        {
            lines.Add($"!Count={view.Count}");
        }

        return [.. lines];
    }

    public static string[] Of(SequenceExampleView view)
    {
        var lines = Of(view.Context).Select(l => "context " + l).ToList();
        for (int i = 0; i < view.FeatureListCount; i++)
        {
            FeatureListView list = view.GetFeatureList(i);
            var frames = new List<string>();
            for (int j = 0; j < list.Count; j++)
            {
                frames.Add(Feature(list[j]));
            }

            lines.AddRange(List(list.Name, frames));
        }

        return [.. lines];
    }

    // ---- Google.Protobuf's messages ----

    public static string Feature(Tf.Feature feature) => feature.KindCase switch
    {
        Tf.Feature.KindOneofCase.Int64List => Int64s(feature.Int64List.Value),
        Tf.Feature.KindOneofCase.FloatList => Floats(feature.FloatList.Value),
        Tf.Feature.KindOneofCase.BytesList => Bytes(feature.BytesList.Value.Select(b => b.ToByteArray())),
        _ => NoKind,
    };

    public static string[] Of(Tf.Features? features) =>
        features is null ? [] : [.. features.Feature.Select(kv => Named(kv.Key, Feature(kv.Value)))];

    public static string[] Of(Tf.Example example) => Of(example.Features);

    public static string[] Of(Tf.SequenceExample example)
    {
        var lines = Of(example.Context).Select(l => "context " + l).ToList();
        if (example.FeatureLists is not null)
        {
            foreach (var kv in example.FeatureLists.FeatureList)
            {
                lines.AddRange(List(kv.Key, kv.Value.Feature.Select(Feature)));
            }
        }

        return [.. lines];
    }

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
