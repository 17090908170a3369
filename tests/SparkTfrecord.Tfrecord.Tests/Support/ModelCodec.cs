using Google.Protobuf;
using SparkTfrecord.Tfrecord.Example;
using SparkTfrecord.Tfrecord.Tests.Proto;
using Tf = SparkTfrecord.Tfrecord.Proto;

namespace SparkTfrecord.Tfrecord.Tests.Support;

/// <summary>Turns models into payloads: with our span encoders, and with Google.Protobuf's messages.</summary>
internal static class ModelCodec
{
    /// <summary>
    /// Adds the model's features to <paramref name="encoder"/>. With <paramref name="variants"/>, each feature goes
    /// through a randomly chosen overload that can express it (single value, span, list, strings), which must all
    /// give the same bytes.
    /// </summary>
    public static void AddTo(ExampleEncoder encoder, ExampleModel model, Random? variants = null)
    {
        foreach (NamedFeature named in model.Features)
        {
            AddTo(encoder, new FeatureKey(named.Name), named.Feature, variants);
        }
    }

    public static void AddTo(ExampleEncoder encoder, FeatureKey key, FeatureModel f, Random? variants)
    {
        int pick = variants?.Next(4) ?? 0;
        switch (f.Kind)
        {
            case FeatureKind.Int64 when f.Int64s.Length == 1 && pick == 1:
                encoder.AddInt64(key, f.Int64s[0]);
                break;
            case FeatureKind.Int64:
                encoder.AddInt64List(key, f.Int64s);
                break;
            case FeatureKind.Float when f.Floats.Length == 1 && pick == 1:
                encoder.AddFloat(key, f.Floats[0]);
                break;
            case FeatureKind.Float:
                encoder.AddFloatList(key, f.Floats);
                break;
            case FeatureKind.Bytes when f.Strings is { Length: 1 } && pick == 1:
                encoder.AddString(key, f.Strings[0]);
                break;
            case FeatureKind.Bytes when f.Strings is not null && pick == 2:
                encoder.AddStringList(key, f.Strings.AsSpan());
                break;
            case FeatureKind.Bytes when f.Strings is not null && pick == 3:
                encoder.AddStringList(key, (IReadOnlyList<string>)f.Strings.ToList());
                break;
            case FeatureKind.Bytes when f.Strings is not null && pick == 0:
                encoder.AddStringList(key, (IReadOnlyList<string>)f.Strings);
                break;
            case FeatureKind.Bytes when f.Strings is not null:
                encoder.AddStringList(key, (IReadOnlyList<string>)new ReadOnlyWrapper<string>(f.Strings));
                break;
            case FeatureKind.Bytes when f.Bytes.Length == 1 && pick >= 2:
                encoder.AddBytes(key, f.Bytes[0]);
                break;
            case FeatureKind.Bytes:
                encoder.AddBytesList(key, pick == 1 ? f.Bytes.ToList() : f.Bytes);
                break;
            default:
                encoder.AddEmpty(key);
                break;
        }
    }

    public static byte[] Encode(ExampleModel model, Random? variants = null)
    {
        var encoder = new ExampleEncoder(16);
        AddTo(encoder, model, variants);
        return encoder.GetPayload().ToArray();
    }

    public static void AddTo(SequenceExampleEncoder encoder, SequenceExampleModel model)
    {
        foreach (NamedFeature named in model.Context)
        {
            var key = new FeatureKey(named.Name);
            FeatureModel f = named.Feature;
            switch (f.Kind)
            {
                case FeatureKind.Int64:
                    encoder.AddInt64List(key, f.Int64s);
                    break;
                case FeatureKind.Float:
                    encoder.AddFloatList(key, f.Floats);
                    break;
                case FeatureKind.Bytes when f.Strings is not null:
                    encoder.AddStringList(key, f.Strings);
                    break;
                case FeatureKind.Bytes:
                    encoder.AddBytesList(key, f.Bytes);
                    break;
                default:
                    encoder.AddEmpty(key);
                    break;
            }
        }

        foreach (FeatureListModel list in model.Lists)
        {
            encoder.BeginFeatureList(new FeatureKey(list.Name));
            foreach (FeatureModel f in list.Frames)
            {
                switch (f.Kind)
                {
                    case FeatureKind.Int64:
                        encoder.AddInt64Frame(f.Int64s);
                        break;
                    case FeatureKind.Float:
                        encoder.AddFloatFrame(f.Floats);
                        break;
                    case FeatureKind.Bytes when f.Strings is not null:
                        encoder.AddStringFrame(f.Strings);
                        break;
                    case FeatureKind.Bytes:
                        encoder.AddBytesFrame(f.Bytes);
                        break;
                    default:
                        encoder.AddEmptyFrame();
                        break;
                }
            }

            encoder.EndFeatureList();
        }
    }

    // ---- Google.Protobuf ----

    public static Tf.Feature ToGoogle(FeatureModel f)
    {
        var feature = new Tf.Feature();
        switch (f.Kind)
        {
            case FeatureKind.Int64:
                feature.Int64List = new Tf.Int64List { Value = { f.Int64s } };
                break;
            case FeatureKind.Float:
                feature.FloatList = new Tf.FloatList { Value = { f.Floats } };
                break;
            case FeatureKind.Bytes:
                feature.BytesList = new Tf.BytesList { Value = { f.Bytes.Select(ByteString.CopyFrom) } };
                break;
        }

        return feature;
    }

    /// <summary>The entries form: every key written (also ""), names may repeat, order kept.</summary>
    public static ExampleEntries ToEntries(ExampleModel model) => new() { Features = ToEntries(model.Features) };

    public static FeaturesEntries ToEntries(IEnumerable<NamedFeature> features)
    {
        var entries = new FeaturesEntries();
        foreach (NamedFeature named in features)
        {
            entries.Feature.Add(new FeatureEntry { Key = named.Name, Value = ToGoogle(named.Feature) });
        }

        return entries;
    }

    public static SequenceExampleEntries ToEntries(SequenceExampleModel model)
    {
        var lists = new FeatureListsEntries();
        foreach (FeatureListModel list in model.Lists)
        {
            lists.FeatureList.Add(new FeatureListEntry
            {
                Key = list.Name,
                Value = new Tf.FeatureList { Feature = { list.Frames.Select(ToGoogle) } },
            });
        }

        return new SequenceExampleEntries { Context = ToEntries(model.Context), FeatureLists = lists };
    }

    /// <summary>The real map-form message (a repeated name keeps its first position and takes the last value).</summary>
    public static Tf.Example ToMap(ExampleModel model) => new() { Features = ToMap(model.Features) };

    public static Tf.Features ToMap(IEnumerable<NamedFeature> features)
    {
        var map = new Tf.Features();
        foreach (NamedFeature named in features)
        {
            map.Feature[named.Name] = ToGoogle(named.Feature);
        }

        return map;
    }

    public static Tf.SequenceExample ToMap(SequenceExampleModel model)
    {
        var lists = new Tf.FeatureLists();
        foreach (FeatureListModel list in model.Lists)
        {
            lists.FeatureList[list.Name] = new Tf.FeatureList { Feature = { list.Frames.Select(ToGoogle) } };
        }

        return new Tf.SequenceExample { Context = ToMap(model.Context), FeatureLists = lists };
    }

    /// <summary>An IReadOnlyList that is neither an array nor a List, to reach the encoders' general path.</summary>
    private sealed class ReadOnlyWrapper<T>(IReadOnlyList<T> inner) : IReadOnlyList<T>
    {
        public int Count => inner.Count;

        public T this[int index] => inner[index];

        public IEnumerator<T> GetEnumerator() => inner.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
