namespace SparkTfrecord.Engine.Output;

/// <summary>Options of <see cref="OutputCommitter"/>.</summary>
internal sealed class OutputCommitOptions
{
    /// <summary>Refuse to replace an existing output.</summary>
    public bool NoClobber { get; init; }

    /// <summary>Replace a non-empty folder this tool did not write (see <see cref="OutputGuard"/>; never the cases that
    /// are always wrong).</summary>
    public bool Force { get; init; }

    /// <summary>The run's inputs, which the output may not be, hold or lie in (see <see cref="OutputGuard"/>).</summary>
    public IReadOnlyList<string> InputPaths { get; init; } = [];

    /// <summary>The working directory the output may not be or hold (default: the process's).</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Called after each step of the protocol with its name (see <see cref="OutputCommitter.Steps"/>); for tests that stop the process there.</summary>
    public Action<string>? OnStep { get; init; }
}
