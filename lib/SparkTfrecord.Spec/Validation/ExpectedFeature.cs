using System.Text;
using SparkTfrecord.Tfrecord.Example;

namespace SparkTfrecord.Spec.Validation;

/// <summary>One feature's checks.</summary>
internal sealed class ExpectedFeature
{
    public ExpectedFeature(string name)
    {
        Name = name;
        Utf8Name = Encoding.UTF8.GetBytes(name);
    }

    public string Name { get; }

    public byte[] Utf8Name { get; }

    /// <summary>The expected list; null accepts any.</summary>
    public FeatureKind? Kind { get; init; }

    public double MinFraction { get; set; }

    public long MinCount { get; set; }

    /// <summary>Exactly this many values when present (a scalar or fixed shape).</summary>
    public int? ExactCount { get; set; }

    public long? MinValues { get; set; }

    public long? MaxValues { get; set; }

    /// <summary>A SequenceExample feature list rather than a context feature.</summary>
    public bool InSequence { get; init; }

    /// <summary>Values per frame of a feature list.</summary>
    public int? FrameCount { get; init; }

    /// <summary>For a per-step companion of a sequence history (spec <c>of:</c>): the history's index among the
    /// expected features, whose frame count the companion's must equal in every record; -1 otherwise.</summary>
    public int StepOf { get; set; } = -1;

    /// <summary>Not checked (deprecated in the TFDV schema), but known.</summary>
    public bool Skip { get; init; }

    /// <summary>The spec's <c>drift:</c> thresholds, or null.</summary>
    public ComparatorThresholds? Drift { get; init; }

    /// <summary>The spec's <c>skew:</c> thresholds, or null.</summary>
    public ComparatorThresholds? Skew { get; init; }

    /// <summary>A list of any length (a history): the report shows its length histogram.</summary>
    public bool IsList { get; init; }

    public IReadOnlyList<string>? Vocabulary { get; private set; }

    public HashSet<byte[]>.AlternateLookup<ReadOnlySpan<byte>>? VocabularyLookup { get; private set; }

    public HashSet<long>? Integers { get; private set; }

    public long? IntMin { get; private set; }

    public long? IntMax { get; private set; }

    public double? FloatMin { get; private set; }

    public double? FloatMax { get; private set; }

    public bool HasDomain => Vocabulary is not null || Integers is not null || IntMin is not null || IntMax is not null || FloatMin is not null || FloatMax is not null;

    public void SetDomain(IReadOnlyList<string>? strings, IReadOnlyList<long>? integers, long? intMin, long? intMax, double? floatMin, double? floatMax)
    {
        if (strings is not null)
        {
            Vocabulary = strings;
            var set = new HashSet<byte[]>(strings.Select(Encoding.UTF8.GetBytes), ByteKeyComparer.Instance);
            VocabularyLookup = set.GetAlternateLookup<ReadOnlySpan<byte>>();
        }

        Integers = integers is null ? null : [.. integers];
        IntMin = intMin;
        IntMax = intMax;
        FloatMin = floatMin;
        FloatMax = floatMax;
    }
}
