using SparkTfrecord.Spec;

namespace SparkTfrecord.Engine.Config;

/// <summary>
/// One output feature as the job needs it from the feature spec: its name, kind, whether it is a list, its default
/// (used for users or items missing from the profile tables) and its role. The plan's output columns are these, in
/// spec order.
/// </summary>
/// <param name="Name">The feature name (the Example's key and the output column).</param>
/// <param name="Kind">The value kind, the spec's dtype: <see cref="FeatureDtype.Int64"/>, <see cref="FeatureDtype.Float"/>
/// or <see cref="FeatureDtype.String"/> (the job writes a <c>bytes</c> feature as UTF-8 text, so never
/// <see cref="FeatureDtype.Bytes"/>).</param>
/// <param name="IsList">True for variable-length or fixed-length lists; false for a single value.</param>
/// <param name="Default">The spec's default: a long, a double, a string, or null for none.</param>
/// <param name="Role">The spec's role (label, user, item, context, history, ...), or null.</param>
internal sealed record FeatureColumn(string Name, FeatureDtype Kind, bool IsList, object? Default, string? Role)
{
    /// <summary>True for a <c>shape: seq</c> feature: a feature list of the SequenceExample, one value per frame.</summary>
    public bool IsSequence { get; init; }

    /// <summary>For a per-step companion of a sequence history: the history's name (the spec's <c>of:</c>); else null.</summary>
    public string? StepOf { get; init; }

    /// <summary>The spec's padding value as text (a companion's value for a missing step unless <c>missing:</c> says otherwise).</summary>
    public string? PaddingText { get; init; }
}
