namespace SparkTfrecord.Spec.Statistics;

/// <summary>A string value and how many times it occurs.</summary>
/// <param name="Value">The value (UTF-8 decoded).</param>
/// <param name="Count">Its count.</param>
public sealed record ValueCount(string Value, long Count);
