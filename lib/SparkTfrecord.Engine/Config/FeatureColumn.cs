namespace SparkTfrecord.Engine.Config;

/// <summary>The value kind of a feature as the Example stores it.</summary>
public enum FeatureKind
{
    /// <summary>int64_list.</summary>
    Int64,

    /// <summary>float_list (float32).</summary>
    Float,

    /// <summary>bytes_list of UTF-8 strings.</summary>
    String,
}

/// <summary>
/// One output feature as the job needs it from the feature spec: its name, kind, whether it is a list, its default
/// (used for users or items missing from the profile tables) and its role.
/// </summary>
/// <param name="Name">The feature name (the Example's key and the output column).</param>
/// <param name="Kind">The value kind.</param>
/// <param name="IsList">True for variable-length or fixed-length lists; false for a single value.</param>
/// <param name="Default">The spec's default: a long, a double, a string, or null for none.</param>
/// <param name="Role">The spec's role (label, user, item, context, history, ...), or null.</param>
public sealed record FeatureColumn(string Name, FeatureKind Kind, bool IsList, object? Default, string? Role);
