using System.Diagnostics;

namespace SparkTfrecord.Engine.Engines;

/// <summary>
/// Wall time and the process's CPU time (user + system, every thread: DuckDB's included) since a start: on a shared
/// machine the wall time swings with the load, the CPU time much less, so a profile shows both. Used by the statement
/// trace (<see cref="StatementTrace"/>) and the benchmarks' statement profile.
/// </summary>
internal sealed class CpuClock
{
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private readonly TimeSpan _cpuAtStart = Environment.CpuUsage.TotalTime;

    private CpuClock()
    {
    }

    /// <summary>The wall seconds since the start.</summary>
    public double Wall => _wall.Elapsed.TotalSeconds;

    /// <summary>The process's CPU seconds since the start.</summary>
    public double Cpu => (Environment.CpuUsage.TotalTime - _cpuAtStart).TotalSeconds;

    /// <summary>Starts a clock.</summary>
    public static CpuClock Start() => new();

    /// <inheritdoc/>
    public override string ToString() => $"{Wall,8:F2} s {Cpu,7:F2} s";
}
