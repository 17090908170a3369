using System.Text;

namespace SparkTfrecord.Jobs;

/// <summary>
/// Where a command reads and writes: data to stdout, diagnostics and progress to stderr, <c>-</c> inputs from stdin.
/// <see cref="Cli.Run(string[])"/> makes one over the process's console; tests make one over memory, so a command runs
/// in process exactly as it does for a user. Commands never touch <see cref="Console"/> themselves.
/// </summary>
internal sealed class CliContext(Stream stdout, TextWriter stderr, Stream stdin, bool stderrIsTerminal, Termination? termination = null) : IDisposable
{
    private StreamWriter? _out;
    private StreamReader? _in;

    /// <summary>The process's console: stdout and stdin as bytes, stderr as text, and its signals.</summary>
    public static CliContext ForConsole() =>
        new(Console.OpenStandardOutput(), Console.Error, Console.OpenStandardInput(), stderrIsTerminal: !Console.IsErrorRedirected, Termination.Process);

    /// <summary>Standard output as bytes, for data written in bulk (JSON lines, TFRecord).</summary>
    public Stream Stdout { get; } = stdout;

    /// <summary>Standard output as text (UTF-8).</summary>
    public TextWriter Out => _out ??= new StreamWriter(Stdout, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { AutoFlush = false };

    /// <summary>Standard error, for diagnostics and progress.</summary>
    public TextWriter Err { get; } = stderr;

    /// <summary>Standard input as bytes.</summary>
    public Stream Stdin { get; } = stdin;

    /// <summary>Standard input as text (UTF-8).</summary>
    public TextReader In => _in ??= new StreamReader(Stdin, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, 1 << 16, leaveOpen: true);

    /// <summary>True when stderr is a terminal a person watches (live progress); false when it is a file or a pipe.</summary>
    public bool StderrIsTerminal { get; } = stderrIsTerminal;

    /// <summary>What stops a command (SIGINT / SIGTERM for the program; nothing but a test's request in process).</summary>
    public Termination Termination { get; } = termination ?? Termination.None();

    /// <summary>Flushes what was written, so the next command (or the test) sees all of it.</summary>
    public void Flush()
    {
        _out?.Flush();
        Stdout.Flush();
        Err.Flush();
    }

    public void Dispose()
    {
        Flush();
        _out?.Dispose();
        _out = null;
    }
}
