namespace SparkTfrecord.Engine.Planning;

/// <summary>A feature whose source value can fail to convert, and the samples' flag saying it did for the sample.</summary>
/// <param name="Feature">The feature.</param>
/// <param name="Name">The samples' column (<see cref="TechnicalColumns.Invalid"/>).</param>
internal sealed record InvalidFlag(string Feature, string Name);
