using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace SparkTfrecord.Engine.Spark;

/// <summary>
/// Runs spark-sql or spark-submit as a child process: its stderr and stdout lines are handed over as they come (the
/// launcher streams them to its own stderr), a signal is forwarded with <see cref="Forward"/>, and the child is killed
/// with its process tree when it has not stopped a grace period after the signal.
/// </summary>
internal sealed class SparkProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private Timer? _killTimer;

    private SparkProcess(Process process) => _process = process;

    /// <summary>The child's process id.</summary>
    public int Id => _process.Id;

    /// <summary>The child's stdout lines so far.</summary>
    public IReadOnlyList<string> Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToList();
            }
        }
    }

    /// <summary>Starts a program.</summary>
    /// <param name="program">The program.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="onLine">Receives each line (stdout and stderr), from the reader threads, one line at a time: the two
    /// streams' threads are serialized here, so a receiver may write to a writer that is not thread-safe (a
    /// StringWriter given as the log crashed the process when both streams printed at once).</param>
    /// <returns>The running process.</returns>
    public static SparkProcess Start(string program, IEnumerable<string> arguments, Action<string> onLine)
    {
        ArgumentNullException.ThrowIfNull(onLine);
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        var process = new Process { StartInfo = start };
        var running = new SparkProcess(process);
        var oneLineAtATime = new Lock();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (running._stdout)
                {
                    running._stdout.Add(line);
                }

                lock (oneLineAtATime)
                {
                    onLine(line);
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (oneLineAtATime)
                {
                    onLine(line);
                }
            }
        };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
    }

    /// <summary>Runs a program to its end and returns its exit code and everything it printed.</summary>
    /// <param name="program">The program.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="timeoutSeconds">How long to wait before killing it.</param>
    /// <returns>Exit code and output.</returns>
    public static (int ExitCode, string Output) RunToEnd(string program, IEnumerable<string> arguments, int timeoutSeconds = 120)
    {
        var lines = new List<string>();
        using var p = Start(program, arguments, line =>
        {
            lock (lines)
            {
                lines.Add(line);
            }
        });
        int code = p.WaitForExit(timeoutSeconds);
        lock (lines)
        {
            return (code, string.Join('\n', lines));
        }
    }

    /// <summary>Waits for the child to end.</summary>
    /// <param name="timeoutSeconds">Kill it after this long (0: wait forever).</param>
    /// <returns>Its exit code.</returns>
    public int WaitForExit(int timeoutSeconds = 0)
    {
        if (timeoutSeconds > 0 && !_process.WaitForExit(timeoutSeconds * 1000))
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Sends a signal to the child (SIGTERM = 15, SIGINT = 2), and kills its process tree if it is still
    /// running <paramref name="graceSeconds"/> later.</summary>
    /// <param name="signal">The signal number.</param>
    /// <param name="graceSeconds">The grace period.</param>
    public void Forward(int signal, double graceSeconds)
    {
        try
        {
            if (!_process.HasExited)
            {
                _ = Native.kill(_process.Id, signal);
            }
        }
        catch (InvalidOperationException)
        {
            return;
        }

        _killTimer ??= new Timer(_ =>
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
            }
        }, null, TimeSpan.FromSeconds(graceSeconds), Timeout.InfiniteTimeSpan);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _killTimer?.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    private static class Native
    {
#pragma warning disable SYSLIB1054 // one call per signal; the runtime marshaller is fine.
        [DllImport("libc", SetLastError = true)]
        public static extern int kill(int pid, int sig);
#pragma warning restore SYSLIB1054
    }
}
