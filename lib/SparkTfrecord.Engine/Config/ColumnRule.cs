namespace SparkTfrecord.Engine.Config;

/// <summary>How one output feature is computed from the sources.</summary>
/// <param name="Feature">The feature.</param>
/// <param name="Ref">The column it comes from.</param>
/// <param name="Function">The derivation applied.</param>
internal sealed record ColumnRule(string Feature, ColumnRef Ref, DerivedFunction Function);
