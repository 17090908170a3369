namespace SparkTfrecord.Spec;

/// <summary>What the trainer needs to build the feature's columns; all optional.</summary>
public sealed class TrainHints
{
    internal static readonly TrainHints None = new(null, null, null, null, false);

    internal TrainHints(int? hashBuckets, int? embedding, string? share, IReadOnlyList<double>? boundaries, bool wide)
    {
        HashBuckets = hashBuckets;
        Embedding = embedding;
        Share = share;
        Boundaries = boundaries;
        Wide = wide;
    }

    /// <summary>Hash bucket size (<c>categorical_column_with_hash_bucket</c>); for a shared embedding, the group's.</summary>
    public int? HashBuckets { get; }

    /// <summary>Embedding dimension; for a shared embedding, the group's.</summary>
    public int? Embedding { get; }

    /// <summary>The name of a shared embedding matrix: features with the same name look up one matrix.</summary>
    public string? Share { get; }

    /// <summary>Bucket boundaries (<c>bucketized_column</c>), strictly increasing.</summary>
    public IReadOnlyList<double>? Boundaries { get; }

    /// <summary>Whether the feature feeds the wide (linear) part of a Wide &amp; Deep model.</summary>
    public bool Wide { get; }
}
