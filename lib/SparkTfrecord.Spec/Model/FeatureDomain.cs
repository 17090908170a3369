namespace SparkTfrecord.Spec;

/// <summary>The values a feature may take: a vocabulary, a list of integers, or a numeric range.</summary>
public sealed class FeatureDomain
{
    internal FeatureDomain(IReadOnlyList<string>? strings, IReadOnlyList<long>? integers, object? min, object? max)
    {
        Strings = strings;
        Integers = integers;
        Min = min;
        Max = max;
    }

    /// <summary>The vocabulary of a string or bytes feature, in the spec's order; null for other domains.</summary>
    public IReadOnlyList<string>? Strings { get; }

    /// <summary>The allowed values of an int64 feature given as a list; null for other domains.</summary>
    public IReadOnlyList<long>? Integers { get; }

    /// <summary>The smallest allowed value of a range (a <see cref="long"/> for int64, a <see cref="double"/> for float), or null.</summary>
    public object? Min { get; }

    /// <summary>The largest allowed value of a range (a <see cref="long"/> for int64, a <see cref="double"/> for float), or null.</summary>
    public object? Max { get; }

    /// <summary>True for a range (<c>{min, max}</c>), false for a list of values.</summary>
    public bool IsRange => Strings is null && Integers is null;
}
