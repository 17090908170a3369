namespace SparkTfrecord.Spec;

/// <summary>One feature of a spec: a key of every tf.train.Example the jobs write and the trainer parses.</summary>
public sealed class SpecFeature
{
    internal SpecFeature(
        string name,
        FeatureDtype dtype,
        FeatureShape shape,
        int? length,
        bool required,
        object? defaultValue,
        object padding,
        FeatureRole role,
        FeatureDomain? domain,
        TrainHints train,
        SourceLocation location)
    {
        Name = name;
        Dtype = dtype;
        Shape = shape;
        Length = length;
        Required = required;
        Default = defaultValue;
        Padding = padding;
        Role = role;
        Domain = domain;
        Train = train;
        Location = location;
    }

    /// <summary>The feature's key in the Example, and its column name in the jobs (matches <c>^[A-Za-z_][A-Za-z0-9_]*$</c>).</summary>
    public string Name { get; }

    /// <summary>The value type.</summary>
    public FeatureDtype Dtype { get; }

    /// <summary>How many values a record holds.</summary>
    public FeatureShape Shape { get; }

    /// <summary>Values per record: 1 for a scalar, N for a fixed shape, null for variable length and sequences.</summary>
    public int? Length { get; }

    /// <summary>Whether every record has the feature (validation reports a record without it).</summary>
    public bool Required { get; }

    /// <summary>
    /// The value the jobs write when the source has none (for example a user missing from the profile table), and the
    /// trainer's <c>default_value</c> for an optional feature; null when none is declared. A scalar is a
    /// <see cref="long"/> (int64), <see cref="double"/> (float) or <see cref="string"/> (string, bytes); a fixed
    /// shape holds an <see cref="IReadOnlyList{T}"/> of <see cref="object"/> with <see cref="Length"/> such values.
    /// </summary>
    public object? Default { get; }

    /// <summary>The value <c>padded_batch</c> pads with: a <see cref="long"/>, <see cref="double"/> or <see cref="string"/>.</summary>
    public object Padding { get; }

    /// <summary>What the feature means to the model.</summary>
    public FeatureRole Role { get; }

    /// <summary>The values the feature may take, or null when any value of its dtype is fine.</summary>
    public FeatureDomain? Domain { get; }

    /// <summary>Hints for the trainer's feature columns (never null; every hint may be absent).</summary>
    public TrainHints Train { get; }

    /// <summary>Where the feature is declared.</summary>
    public SourceLocation Location { get; }

    /// <summary>The thresholds of the comparison against the previous span (<c>drift:</c>), or null for none.</summary>
    public ComparatorThresholds? Drift { get; init; }

    /// <summary>The thresholds of the comparison of training against serving data (<c>skew:</c>), or null for none.</summary>
    public ComparatorThresholds? Skew { get; init; }

    /// <summary>
    /// For a per-step companion of a sequence history (<c>of:</c>): the history whose feature list this one follows
    /// frame by frame (the same number of frames, in the same order); null for every other feature.
    /// </summary>
    public string? Of { get; init; }

    /// <summary>True for string and bytes features (both are <c>bytes_list</c> in an Example).</summary>
    public bool IsBytesLike => Dtype is FeatureDtype.String or FeatureDtype.Bytes;

    /// <summary>The feature's name.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;
}
