namespace SparkTfrecord.Spec.Loading;

/// <summary>Membership of a value in a feature's domain, shared by the loader and validation.</summary>
internal static class FeatureDomainCheck
{
    public static bool Contains(FeatureDomain domain, object value) => value switch
    {
        string s => domain.Strings is null || domain.Strings.Contains(s, StringComparer.Ordinal),
        long l when domain.Integers is not null => domain.Integers.Contains(l),
        long l => (domain.Min is not long min || l >= min) && (domain.Max is not long max || l <= max),
        double d => (domain.Min is not double min || d >= min) && (domain.Max is not double max || d <= max),
        _ => true,
    };
}
