using System.Text;

namespace SparkTfrecord.Jobs;

/// <summary>Where a command writes: data to stdout, diagnostics to stderr.</summary>
internal sealed class CliContext(Stream stdout, TextWriter stderr) : IDisposable
{
    private StreamWriter? _out;

    /// <summary>Standard output as bytes, for data written in bulk (JSON lines, TFRecord).</summary>
    public Stream Stdout { get; } = stdout;

    /// <summary>Standard output as text (UTF-8).</summary>
    public TextWriter Out => _out ??= new StreamWriter(Stdout, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { AutoFlush = false };

    /// <summary>Standard error, for diagnostics and progress.</summary>
    public TextWriter Err { get; } = stderr;

    public void Dispose()
    {
        _out?.Flush();
        _out?.Dispose();
        Stdout.Flush();
    }
}
