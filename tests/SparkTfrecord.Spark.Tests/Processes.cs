using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace SparkTfrecord.Spark.Tests;

/// <summary>The outcome of a finished process.</summary>
internal sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Both streams, for assertion messages.</summary>
    public string Output => "stdout:\n" + Stdout + "\nstderr:\n" + Stderr;
}

/// <summary>Runs external programs (bash scripts, python3, node, npm) as a scheduler or a launcher would.</summary>
internal static class Processes
{
    /// <summary>The repository root (the folder holding SparkTfrecord.sln).</summary>
    public static string RepoRoot => Repo.Root;

    public static string InRepo(params string[] parts) => Path.Combine([RepoRoot, .. parts]);

    /// <summary>Runs a program to its end; null environment values remove the variable.</summary>
    public static ProcessResult Run(
        string fileName,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null,
        int timeoutSeconds = 60)
    {
        using var running = RunningProcess.Start(fileName, arguments, workingDirectory, environment);
        return running.WaitForExit(timeoutSeconds);
    }

    /// <summary>Sends a signal by name (TERM, INT) with the kill command: Process.Kill only sends SIGKILL.</summary>
    public static void Signal(int pid, string signal)
    {
        var result = Run("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} failed: {result.Stderr}");
        }
    }
}

/// <summary>A started process whose output lines are collected as they arrive (to test streaming and signals).</summary>
internal sealed class RunningProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly BlockingCollection<(string Stream, string Line, DateTime At)> _lines = [];
    private readonly string _description;

    private RunningProcess(Process process, string description)
    {
        _process = process;
        _description = description;
    }

    public int Id => _process.Id;

    public static RunningProcess Start(
        string fileName,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        // Started through env --default-signal: a process whose parent ignores SIGINT (a CI script run in the
        // background, a nohup) inherits the ignore, and a shell cannot trap a signal ignored on entry, so the signal
        // tests would see nothing happen. The child gets SIGINT and SIGTERM at their defaults, as from a terminal.
        var start = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Processes.RepoRoot,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("--default-signal=INT,TERM");
        start.ArgumentList.Add(fileName);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var running = new RunningProcess(process, fileName + " " + string.Join(' ', start.ArgumentList));
        process.OutputDataReceived += (_, e) => running.Collect("stdout", running._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => running.Collect("stderr", running._stderr, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
    }

    /// <summary>Waits for an output line (either stream) that contains <paramref name="text"/>; returns when it came.</summary>
    public DateTime WaitForLine(string text, int timeoutSeconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (DateTime.UtcNow < deadline)
        {
            if (_lines.TryTake(out var line, TimeSpan.FromMilliseconds(100)) && line.Line.Contains(text, StringComparison.Ordinal))
            {
                return line.At;
            }
        }

        throw new TimeoutException($"no line containing '{text}' from {_description} in {timeoutSeconds} s");
    }

    public ProcessResult WaitForExit(int timeoutSeconds = 60)
    {
        if (!_process.WaitForExit(timeoutSeconds * 1000))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{_description} did not finish in {timeoutSeconds} s");
        }

        _process.WaitForExit(); // drains the asynchronous output readers
        lock (_stdout)
        {
            lock (_stderr)
            {
                return new ProcessResult(_process.ExitCode, _stdout.ToString(), _stderr.ToString());
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
        _lines.Dispose();
    }

    private void Collect(string stream, StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (buffer)
        {
            buffer.Append(line).Append('\n');
        }

        _lines.Add((stream, line, DateTime.UtcNow));
    }
}
