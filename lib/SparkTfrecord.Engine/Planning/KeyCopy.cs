namespace SparkTfrecord.Engine.Planning;

/// <summary>A key column of the samples source and its copy among the samples' columns.</summary>
/// <param name="Column">The source's column.</param>
/// <param name="Name">The samples' column (<see cref="TechnicalColumns.Key"/>).</param>
internal sealed record KeyCopy(string Column, string Name);
