namespace SparkTfrecord.Engine.Output;

/// <summary>What <see cref="OutputGuard"/> checks an output against.</summary>
public sealed class OutputGuardOptions
{
    /// <summary>Replace a non-empty folder (or a file) this tool did not write. Never overrides the cases that are always
    /// wrong: the root, the working directory or its ancestors, the inputs, other outputs, a file or a link.</summary>
    public bool Force { get; init; }

    /// <summary>The run's inputs: folders or files (taken literally, as the engines read them), local or <c>file:</c>;
    /// remote URIs and unexpanded templates are left out.</summary>
    public IReadOnlyList<string> InputPaths { get; init; } = [];

    /// <summary>The working directory (default: the process's).</summary>
    internal string? WorkingDirectory { get; init; }
}
