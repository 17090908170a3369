namespace SparkTfrecord.Engine.Planning;

/// <summary>A joined table and the samples' flag saying it had no row for the sample.</summary>
/// <param name="Table">The joined source.</param>
/// <param name="Name">The samples' column (<see cref="TechnicalColumns.Missing"/>).</param>
internal sealed record MissingFlag(string Table, string Name);
