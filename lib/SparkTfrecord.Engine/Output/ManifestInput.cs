namespace SparkTfrecord.Engine.Output;

/// <summary>One input of a run: its name, the paths it was declared by and the files read.</summary>
/// <param name="Name">The source's name.</param>
/// <param name="Paths">The declared paths, or null where there are none (<c>sparktf encode</c> on its own).</param>
/// <param name="Files">The files read, or null where they are not known here (a cluster's files).</param>
internal sealed record ManifestInput(string Name, IReadOnlyList<string>? Paths, IReadOnlyList<string>? Files);
