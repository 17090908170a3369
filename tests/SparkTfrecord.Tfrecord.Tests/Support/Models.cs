using System.Text;
using SparkTfrecord.Tfrecord.Example;

namespace SparkTfrecord.Tfrecord.Tests.Support;

/// <summary>A tf.train.Feature as plain values: the test's statement of what a record holds.</summary>
internal sealed class FeatureModel
{
    public FeatureKind Kind { get; init; }

    public long[] Int64s { get; init; } = [];

    public float[] Floats { get; init; } = [];

    public byte[][] Bytes { get; init; } = [];

    /// <summary>When the bytes were made from strings: the strings (so the string overloads can be exercised).</summary>
    public string[]? Strings { get; init; }

    public static FeatureModel None { get; } = new() { Kind = FeatureKind.None };

    public static FeatureModel Of(params long[] values) => new() { Kind = FeatureKind.Int64, Int64s = values };

    public static FeatureModel Of(params float[] values) => new() { Kind = FeatureKind.Float, Floats = values };

    public static FeatureModel Of(params byte[][] values) => new() { Kind = FeatureKind.Bytes, Bytes = values };

    public static FeatureModel OfStrings(params string[] values) =>
        new() { Kind = FeatureKind.Bytes, Bytes = [.. values.Select(Encoding.UTF8.GetBytes)], Strings = values };

    public static FeatureModel OfFloatBits(params uint[] bits) => Of([.. bits.Select(BitConverter.UInt32BitsToSingle)]);

    public int Count => Kind switch
    {
        FeatureKind.Int64 => Int64s.Length,
        FeatureKind.Float => Floats.Length,
        FeatureKind.Bytes => Bytes.Length,
        _ => 0,
    };

    public override string ToString() => Kind switch
    {
        FeatureKind.Int64 => Describe.Int64s(Int64s),
        FeatureKind.Float => Describe.Floats(Floats),
        FeatureKind.Bytes => Describe.Bytes(Bytes),
        _ => Describe.NoKind,
    };
}

/// <summary>A feature and its name.</summary>
internal sealed record NamedFeature(string Name, FeatureModel Feature)
{
    public override string ToString() => Describe.Named(Name, Feature.ToString());
}

/// <summary>A tf.train.Example: features in the order they are written (names may repeat).</summary>
internal sealed class ExampleModel(List<NamedFeature> features)
{
    public List<NamedFeature> Features { get; } = features;

    /// <summary>What a protobuf parser gives for these features: a repeated name keeps its first position and its last value.</summary>
    public string[] Expected() => [.. Describe.Merge(Features)];

    public override string ToString() => string.Join("; ", Features);
}

/// <summary>A tf.train.FeatureList and its name.</summary>
internal sealed record FeatureListModel(string Name, List<FeatureModel> Frames);

/// <summary>A tf.train.SequenceExample: context features and feature lists, in writing order.</summary>
internal sealed class SequenceExampleModel(List<NamedFeature> context, List<FeatureListModel> lists)
{
    public List<NamedFeature> Context { get; } = context;

    public List<FeatureListModel> Lists { get; } = lists;

    public string[] Expected()
    {
        var lines = Describe.Merge(Context).Select(l => "context " + l).ToList();
        var merged = new List<FeatureListModel>();
        foreach (FeatureListModel list in Lists)
        {
            int at = merged.FindIndex(m => m.Name == list.Name);
            if (at >= 0)
            {
                merged[at] = list;
            }
            else
            {
                merged.Add(list);
            }
        }

        foreach (FeatureListModel list in merged)
        {
            lines.AddRange(Describe.List(list.Name, list.Frames.Select(f => f.ToString())));
        }

        return [.. lines];
    }

    public override string ToString() => string.Join("; ", Expected());
}
