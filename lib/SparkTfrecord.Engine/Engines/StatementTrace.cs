using System.Globalization;

namespace SparkTfrecord.Engine.Engines;

/// <summary>
/// With <c>SPARKTF_TRACE_SQL=1</c> in the environment, each statement the embedded engine runs prints one line to
/// stderr when it ends: its wall time, the process's CPU time meanwhile (DuckDB's threads run in this process) and the
/// statement's first line. For finding where a job's time goes (docs/benchmarks.md); off, it costs one check.
/// </summary>
internal readonly struct StatementTrace : IDisposable
{
    private const int ShownLength = 110;
    private static readonly bool s_enabled = Environment.GetEnvironmentVariable("SPARKTF_TRACE_SQL") == "1";

    private readonly string? _sql;
    private readonly CpuClock? _clock;

    private StatementTrace(string sql)
    {
        _sql = sql;
        _clock = CpuClock.Start();
    }

    /// <summary>Starts timing a statement (nothing when tracing is off).</summary>
    public static StatementTrace Start(string sql) => s_enabled ? new StatementTrace(sql) : default;

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_clock is null)
        {
            return; // tracing off
        }

        ReadOnlySpan<char> head = _sql.AsSpan().TrimStart();
        int end = head.IndexOf('\n');
        head = head[..Math.Min(end < 0 ? head.Length : end, ShownLength)];
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[sql] {_clock.Wall,7:F2} s wall {_clock.Cpu,7:F2} s cpu  {head}"));
    }
}
