namespace SparkTfrecord.Engine.Output;

/// <summary>A file a command writes besides its output, as its option gave it.</summary>
/// <param name="Option">The option (<c>--html</c>), named in refusals.</param>
/// <param name="Path">The path, or null when the option was not given.</param>
/// <param name="Kind">What is written there.</param>
public readonly record struct WrittenFile(string Option, string? Path, WrittenFileKind Kind);
