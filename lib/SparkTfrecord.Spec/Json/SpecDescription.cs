namespace SparkTfrecord.Spec.Json;

/// <summary>
/// The normalized feature description: every field explicit, in one fixed form. Python's
/// <c>sparktfrecord_spec.describe()</c> builds the same object; the spec hash is taken over its canonical JSON.
/// </summary>
internal static class SpecDescription
{
    public static JsonObject Describe(FeatureSpec spec)
    {
        var features = new List<object?>();
        foreach (SpecFeature f in spec.Features)
        {
            features.Add(Describe(f));
        }

        var crosses = new List<object?>();
        foreach (FeatureCross c in spec.Crosses)
        {
            crosses.Add(new JsonObject
            {
                { "name", c.Name },
                { "features", c.Features.ToList() },
                { "hash_buckets", c.HashBuckets },
            });
        }

        var description = new JsonObject
        {
            { "spec", spec.Version },
            { "name", spec.Name },
            { "features", features },
            { "crosses", crosses },
        };

        // Only when set, so the description (and hash) of a spec without a weight is unchanged.
        if (spec.Weight is { } weight)
        {
            description.Add("weight", weight.Name);
        }

        return description;
    }

    private static JsonObject Describe(SpecFeature f)
    {
        object? domain = null;
        if (f.Domain is { } d)
        {
            domain = d.Strings is not null ? new JsonObject { { "values", d.Strings.ToList() } }
                : d.Integers is not null ? new JsonObject { { "values", d.Integers.ToList() } }
                : new JsonObject { { "min", d.Min }, { "max", d.Max } };
        }

        var description = new JsonObject
        {
            { "name", f.Name },
            { "dtype", DtypeName(f.Dtype) },
            { "shape", ShapeName(f.Shape) },
            { "length", f.Length },
            { "required", f.Required },
            { "default", f.Default },
            { "padding", f.Padding },
            { "role", RoleName(f.Role) },
            { "domain", domain },
            {
                "train", new JsonObject
                {
                    { "hash_buckets", f.Train.HashBuckets },
                    { "embedding", f.Train.Embedding },
                    { "share", f.Train.Share },
                    { "boundaries", f.Train.Boundaries?.ToList() },
                    { "wide", f.Train.Wide },
                }
            },
        };

        // Only on a sequence history's per-step companion, so every other feature's description (and hash) is unchanged.
        if (f.Of is { } of)
        {
            description.Add("of", of);
        }

        return description;
    }

    public static string DtypeName(FeatureDtype dtype) => dtype switch
    {
        FeatureDtype.Int64 => "int64",
        FeatureDtype.Float => "float",
        FeatureDtype.String => "string",
        _ => "bytes",
    };

    public static string ShapeName(FeatureShape shape) => shape switch
    {
        FeatureShape.Scalar => "scalar",
        FeatureShape.Fixed => "fixed",
        FeatureShape.Var => "var",
        _ => "seq",
    };

    public static string RoleName(FeatureRole role) => role.ToString().ToLowerInvariant();
}
