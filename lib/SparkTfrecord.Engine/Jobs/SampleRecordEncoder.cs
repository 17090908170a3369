using System.Data.Common;
using System.Runtime.InteropServices;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Spec;
using SparkTfrecord.Tfrecord.Example;

namespace SparkTfrecord.Engine.Jobs;

/// <summary>
/// Encodes the output rows as the spec says: a tf.train.Example per row, or, when some feature is a sequence
/// (<c>shape: seq</c>, issue 14), a tf.train.SequenceExample whose feature lists are the sequence features (one frame
/// of one value per list element) and whose context holds every other feature.
/// </summary>
internal sealed class SampleRecordEncoder
{
    private readonly IReadOnlyList<FeatureColumn> _columns;
    private readonly FeatureKey[] _keys;
    private readonly ExampleEncoder? _example;
    private readonly SequenceExampleEncoder? _sequence;

    public SampleRecordEncoder(IReadOnlyList<FeatureColumn> columns)
    {
        _columns = columns;
        _keys = columns.Select(c => new FeatureKey(c.Name)).ToArray();
        if (columns.Any(c => c.IsSequence))
        {
            _sequence = new SequenceExampleEncoder();
        }
        else
        {
            _example = new ExampleEncoder();
        }
    }

    /// <summary>Encodes the reader's current row.</summary>
    /// <param name="r">The reader on the row.</param>
    /// <param name="featureAt">Each column's ordinal in the row.</param>
    /// <param name="lengths">Receives each column's count of values (0 for a null cell).</param>
    /// <returns>The framed record, valid until the next call.</returns>
    public ReadOnlySpan<byte> Encode(DbDataReader r, IReadOnlyList<int> featureAt, Span<int> lengths)
    {
        if (_example is not null)
        {
            _example.Clear();
            var features = new ExampleFeatures(_example);
            for (int i = 0; i < _columns.Count; i++)
            {
                lengths[i] = AddFeature(features, i, r, featureAt[i]);
            }

            return _example.GetRecord();
        }

        var e = _sequence!;
        e.Clear();
        var context = new ContextFeatures(e);
        for (int i = 0; i < _columns.Count; i++)
        {
            lengths[i] = _columns[i].IsSequence ? AddFeatureList(e, i, r, featureAt[i]) : AddFeature(context, i, r, featureAt[i]);
        }

        return e.GetRecord();
    }

    /// <summary>Adds cell <paramref name="at"/> as column <paramref name="i"/>'s feature, as the job writes a sample: a
    /// null cell is an omitted feature (as the Spark connectors do); an empty list is a feature with an empty list; a
    /// scalar is a list of one value (the same bytes as the encoders' single-value calls).</summary>
    /// <typeparam name="TFeatures">An Example's features or a SequenceExample's context: a struct, so each is compiled
    /// on its own, without a call through an interface per feature.</typeparam>
    /// <returns>The values added: 0 for a null cell, 1 for a scalar, a list's length.</returns>
    private int AddFeature<TFeatures>(TFeatures features, int i, DbDataReader r, int at)
        where TFeatures : struct, IFeatures
    {
        if (r.IsDBNull(at))
        {
            return 0;
        }

        FeatureKey key = _keys[i];
        switch (_columns[i].Kind, _columns[i].IsList)
        {
            case (FeatureDtype.Int64, false):
                features.AddInt64s(key, [r.GetInt64(at)]);
                return 1;
            case (FeatureDtype.Float, false):
                features.AddFloats(key, [r.GetFloat(at)]);
                return 1;
            case (FeatureDtype.String, false):
                features.AddStrings(key, [r.GetString(at)]);
                return 1;
            case (FeatureDtype.Int64, true):
                var longs = r.GetFieldValue<List<long>>(at);
                features.AddInt64s(key, CollectionsMarshal.AsSpan(longs));
                return longs.Count;
            case (FeatureDtype.Float, true):
                var floats = r.GetFieldValue<List<float>>(at);
                features.AddFloats(key, CollectionsMarshal.AsSpan(floats));
                return floats.Count;
            default:
                var strings = r.GetFieldValue<List<string>>(at);
                features.AddStrings(key, CollectionsMarshal.AsSpan(strings));
                return strings.Count;
        }
    }

    // Where AddFeature writes: the format library's two encoders share no interface in its public API.
    private interface IFeatures
    {
        void AddInt64s(FeatureKey key, ReadOnlySpan<long> values);

        void AddFloats(FeatureKey key, ReadOnlySpan<float> values);

        void AddStrings(FeatureKey key, ReadOnlySpan<string> values);
    }

    private readonly struct ExampleFeatures(ExampleEncoder e) : IFeatures
    {
        public void AddInt64s(FeatureKey key, ReadOnlySpan<long> values) => e.AddInt64List(key, values);

        public void AddFloats(FeatureKey key, ReadOnlySpan<float> values) => e.AddFloatList(key, values);

        public void AddStrings(FeatureKey key, ReadOnlySpan<string> values) => e.AddStringList(key, values);
    }

    private readonly struct ContextFeatures(SequenceExampleEncoder e) : IFeatures
    {
        public void AddInt64s(FeatureKey key, ReadOnlySpan<long> values) => e.AddInt64List(key, values);

        public void AddFloats(FeatureKey key, ReadOnlySpan<float> values) => e.AddFloatList(key, values);

        public void AddStrings(FeatureKey key, ReadOnlySpan<string> values) => e.AddStringList(key, values);
    }

    // A feature list: one frame per element, each frame one value. A null cell (no history) is an empty list, so every
    // record has every feature list and the step lists of one history always have the history's length.
    private int AddFeatureList(SequenceExampleEncoder e, int i, DbDataReader r, int at)
    {
        e.BeginFeatureList(_keys[i]);
        int count = 0;
        if (!r.IsDBNull(at))
        {
            switch (_columns[i].Kind)
            {
                case FeatureDtype.Int64:
                    foreach (long v in r.GetFieldValue<List<long>>(at))
                    {
                        e.AddInt64Frame([v]);
                        count++;
                    }

                    break;
                case FeatureDtype.Float:
                    foreach (float v in r.GetFieldValue<List<float>>(at))
                    {
                        e.AddFloatFrame([v]);
                        count++;
                    }

                    break;
                default:
                    foreach (string v in r.GetFieldValue<List<string>>(at))
                    {
                        e.AddStringFrame([v]);
                        count++;
                    }

                    break;
            }
        }

        e.EndFeatureList();
        return count;
    }
}
