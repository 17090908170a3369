namespace SparkTfrecord.Engine.Engines;

/// <summary>Options of the embedded engine.</summary>
public sealed class DuckDbEngineOptions
{
    /// <summary>Worker threads (default: the machine's cores).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>DuckDB's memory limit, such as <c>1GB</c>; beyond it DuckDB spills to <see cref="SpillDirectory"/>.</summary>
    public string MemoryLimit { get; init; } = "1GB";

    /// <summary>
    /// The folder in which the engine makes its spill folder (<c>sparktf-spill-PID-GUID</c>, removed when the engine is
    /// disposed); null for the system's temporary folder. Spill folders of processes that no longer run are removed
    /// from it when an engine starts.
    /// </summary>
    public string? SpillDirectory { get; init; }
}
