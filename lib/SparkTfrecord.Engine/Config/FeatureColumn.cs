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
internal sealed record FeatureColumn(string Name, FeatureDtype Kind, bool IsList, object? Default, string? Role);
