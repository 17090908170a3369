using System.Diagnostics;
using System.Globalization;

namespace SparkTfrecord.Engine.Engines;

/// <summary>
/// With <c>SPARKTF_TRACE_SQL=1</c> in the environment, each statement the embedded engine runs prints one line to
/// stderr when it ends: its wall time, the process's CPU time meanwhile (DuckDB's threads run in this process) and the
/// statement's first line. For finding where a job's time goes (docs/benchmarks.md); off, it costs one check.
/// </summary>
internal readonly struct StatementTrace : IDisposable
{
    private static readonly bool s_enabled = Environment.GetEnvironmentVariable("SPARKTF_TRACE_SQL") == "1";

    private readonly string? _sql;
    private readonly long _started;
    private readonly TimeSpan _cpu;

    private StatementTrace(string sql)
    {
        _sql = sql;
        _started = Stopwatch.GetTimestamp();
        _cpu = Process.GetCurrentProcess().TotalProcessorTime;
    }

    /// <summary>Starts timing a statement (nothing when tracing is off).</summary>
    public static StatementTrace Start(string sql) => s_enabled ? new StatementTrace(sql) : default;

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_sql is null)
        {
            return;
        }

        double wall = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - _cpu).TotalSeconds;
        string head = _sql.AsSpan().TrimStart().ToString().Split('\n')[0];
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[sql] {wall,7:F2} s wall {cpu,7:F2} s cpu  {(head.Length > 110 ? head[..110] : head)}"));
    }
}
