namespace SparkTfrecord.Spec;

/// <summary>A crossed column of the wide part: the cross product of several features, hashed.</summary>
public sealed class FeatureCross
{
    internal FeatureCross(string name, IReadOnlyList<string> features, int hashBuckets, SourceLocation location)
    {
        Name = name;
        Features = features;
        HashBuckets = hashBuckets;
        Location = location;
    }

    /// <summary>The cross's name (by default the feature names joined with <c>_x_</c>).</summary>
    public string Name { get; }

    /// <summary>The crossed features, in the spec's order.</summary>
    public IReadOnlyList<string> Features { get; }

    /// <summary>Hash bucket size of the cross.</summary>
    public int HashBuckets { get; }

    /// <summary>Where the cross is declared.</summary>
    public SourceLocation Location { get; }
}
