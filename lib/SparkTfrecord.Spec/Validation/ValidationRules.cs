using SparkTfrecord.Spec.Tfdv;
using SparkTfrecord.Spec.Tfdv.Proto;
using SparkTfrecord.Tfrecord.Example;

namespace SparkTfrecord.Spec.Validation;

/// <summary>
/// What <see cref="DatasetValidator"/> checks each record against, built from a feature spec or from a TFDV schema:
/// per feature its kind, presence, number of values and domain.
/// </summary>
public sealed class ValidationRules
{
    private ValidationRules(string source, IReadOnlyList<ExpectedFeature> features, bool sequence)
    {
        Source = source;
        Features = features;
        IsSequence = sequence;
    }

    /// <summary>Where the rules come from (the spec or schema file), for reports.</summary>
    public string Source { get; }

    /// <summary>True when records are SequenceExamples (the spec has sequence features).</summary>
    public bool IsSequence { get; }

    internal IReadOnlyList<ExpectedFeature> Features { get; }

    /// <summary>The rules of a feature spec: every feature's dtype, shape, presence and domain; NaN and infinity refused.</summary>
    /// <param name="spec">The spec.</param>
    /// <returns>The rules.</returns>
    public static ValidationRules FromSpec(FeatureSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var features = new List<ExpectedFeature>();
        foreach (SpecFeature f in spec.Features)
        {
            var e = new ExpectedFeature(f.Name)
            {
                Kind = f.Dtype switch { FeatureDtype.Int64 => FeatureKind.Int64, FeatureDtype.Float => FeatureKind.Float, _ => FeatureKind.Bytes },
                MinFraction = f.Required ? 1.0 : 0.0,
                ExactCount = f.Shape is FeatureShape.Scalar or FeatureShape.Fixed ? f.Length : null,
                InSequence = f.Shape == FeatureShape.Sequence,
                FrameCount = f.Shape == FeatureShape.Sequence ? 1 : null,
                Drift = f.Drift,
                Skew = f.Skew,
                IsList = f.Shape is FeatureShape.Var or FeatureShape.Sequence,
                MaxValues = f.Shape == FeatureShape.Sequence ? MaxLength(spec, f.Of ?? f.Name) : null,
            };
            if (f.Domain is { } d)
            {
                e.SetDomain(d.Strings, d.Integers, d.Min as long?, d.Max as long?, d.Min as double?, d.Max as double?);
            }

            features.Add(e);
        }

        foreach (var (f, e) in spec.Features.Zip(features))
        {
            if (f.Of is { } of)
            {
                e.StepOf = features.FindIndex(x => x.Name == of);
            }
        }

        return new ValidationRules(spec.File, features, spec.IsSequence);
    }

    // A sequence history's max_length from the spec's job section (history: {NAME: {max_length: N}}), which caps its
    // frames and its companions'; null when the spec has no job section or no such entry (nothing to check against).
    private static long? MaxLength(FeatureSpec spec, string history) =>
        spec.Job?.Get("history") is Yaml.YamlMapping histories && histories.Get(history) is Yaml.YamlMapping rule
            && rule.Get("max_length") is { } node && node.TryReadInteger(out long max) ? max : null;

    /// <summary>Reads a TFDV <c>schema.pbtxt</c> (text format) and builds its rules.</summary>
    /// <param name="path">The schema file.</param>
    /// <returns>The rules.</returns>
    /// <exception cref="FormatException">The file is not a valid schema in text format.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ValidationRules LoadTfdvSchema(string path) => FromTfdvSchema(ProtoText.Parse<Schema>(File.ReadAllText(path), path), path);

    /// <summary>The rules of a TFDV schema: type, presence (min_fraction, min_count), shape or value_count, domains.</summary>
    /// <param name="schema">The schema.</param>
    /// <param name="source">Where it comes from, for reports.</param>
    /// <returns>The rules.</returns>
    public static ValidationRules FromTfdvSchema(Schema schema, string source = "<schema>")
    {
        ArgumentNullException.ThrowIfNull(schema);
        var features = new List<ExpectedFeature>();
        foreach (Feature f in schema.Feature)
        {
            var e = new ExpectedFeature(f.Name)
            {
                Kind = f.Type switch { FeatureType.Int => FeatureKind.Int64, FeatureType.Float => FeatureKind.Float, FeatureType.Bytes => FeatureKind.Bytes, _ => null },
                Skip = f.Deprecated || f.LifecycleStage is LifecycleStage.Planned or LifecycleStage.Alpha or LifecycleStage.Deprecated or LifecycleStage.DebugOnly or LifecycleStage.Disabled,
            };
            if (f.Presence is { } presence)
            {
                e.MinFraction = presence.MinFraction;
                e.MinCount = presence.MinCount;
            }

            if (f.ShapeTypeCase == Feature.ShapeTypeOneofCase.Shape)
            {
                long size = 1;
                foreach (FixedShape.Types.Dim dim in f.Shape.Dim)
                {
                    size *= dim.Size;
                }

                e.ExactCount = (int)Math.Min(size, int.MaxValue);
            }
            else if (f.ShapeTypeCase == Feature.ShapeTypeOneofCase.ValueCount)
            {
                e.MinValues = f.ValueCount.HasMin ? f.ValueCount.Min : null;
                e.MaxValues = f.ValueCount.HasMax ? f.ValueCount.Max : null;
            }

            IntDomain? intDomain = f.IntDomain;
            FloatDomain? floatDomain = f.FloatDomain;
            StringDomain? stringDomain = f.StringDomain;
            if (f.DomainInfoCase == Feature.DomainInfoOneofCase.Domain)
            {
                stringDomain = schema.StringDomain.FirstOrDefault(d => d.Name == f.Domain);
                intDomain = schema.IntDomain.FirstOrDefault(d => d.Name == f.Domain);
                floatDomain = schema.FloatDomain.FirstOrDefault(d => d.Name == f.Domain);
                if (stringDomain is null && intDomain is null && floatDomain is null)
                {
                    throw new FormatException($"{source}: feature '{f.Name}' refers to domain '{f.Domain}', which the schema does not define.");
                }
            }

            if (stringDomain is not null)
            {
                e.SetDomain(stringDomain.Value.ToList(), null, null, null, null, null);
            }
            else if (intDomain is not null)
            {
                e.SetDomain(null, null, intDomain.HasMin ? intDomain.Min : null, intDomain.HasMax ? intDomain.Max : null, null, null);
            }
            else if (floatDomain is not null)
            {
                e.SetDomain(null, null, null, null, floatDomain.HasMin ? floatDomain.Min : null, floatDomain.HasMax ? floatDomain.Max : null);
            }

            features.Add(e);
        }

        return new ValidationRules(source, features, false);
    }
}
