using System.Runtime.InteropServices;
using System.Text;

namespace SparkTfrecord.Engine.Output;

/// <summary>
/// Who holds an output's lock: the holder writes its pid, host, start time (UTC, ISO 8601) and command line into the
/// lock file, one <c>key: value</c> line each; a refused run reads them back to name it. The file is read with plain
/// <c>open</c>/<c>read</c>, because every .NET file open takes <c>flock</c>, which the holder's exclusive lock refuses.
/// </summary>
internal static class LockHolder
{
    /// <summary>Writes this process into the lock file it holds, through the same stream.</summary>
    public static void Write(FileStream lockFile)
    {
        string started = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        string text = $"pid: {Environment.ProcessId}\nhost: {Environment.MachineName}\nstarted: {started}\ncommand: {CommandLine()}\n";
        try
        {
            lockFile.SetLength(0);
            lockFile.Position = 0;
            lockFile.Write(new UTF8Encoding(false).GetBytes(text));
            lockFile.Flush();
        }
        catch (IOException)
        {
            // The holder's name only serves another run's message; a run that cannot write it (a full disk) still holds
            // the lock, and the waiting run says the file names no holder.
        }
    }

    /// <summary>Describes the holder from the lock file: "pid 123 on host h, started ..., command: ...", or what is wrong
    /// with the file.</summary>
    public static string Describe(string lockPath)
    {
        string? text = Read(lockPath, out string? error);
        if (text is not null && text.Length == 0)
        {
            // The holder may have just taken the lock and not yet written its name.
            Thread.Sleep(200);
            text = Read(lockPath, out error);
        }

        if (text is null)
        {
            return $"the lock file could not be read to name it ({error})";
        }

        var fields = text.Split('\n')
            .Select(line => line.Split(": ", 2))
            .Where(kv => kv.Length == 2)
            .GroupBy(kv => kv[0].Trim(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First()[1].Trim(), StringComparer.Ordinal);
        if (!fields.TryGetValue("pid", out string? pid))
        {
            return text.Trim().Length == 0
                ? "the lock file is empty, so it does not say which run (a sparktf older than this one, or a run just starting)"
                : "the lock file does not name the run (it holds no pid line)";
        }

        var parts = new List<string> { $"pid {pid}" };
        if (fields.TryGetValue("host", out string? host))
        {
            parts[0] += $" on host {host}";
        }

        if (fields.TryGetValue("started", out string? started))
        {
            parts.Add($"started {started}");
        }

        if (fields.TryGetValue("command", out string? command))
        {
            parts.Add($"command: {command}");
        }

        return string.Join(", ", parts);
    }

    /// <summary>This process's command line, as the user typed it where possible (<c>sparktf ARGS</c>).</summary>
    private static string CommandLine()
    {
        string[] args = Environment.GetCommandLineArgs();
        if (args.Length == 0)
        {
            return "";
        }

        // The host's name for the program is its dll or apphost path; the user knows it by its file name.
        string program = Path.GetFileNameWithoutExtension(args[0]);
        return string.Join(' ', new[] { program }.Concat(args.Skip(1).Select(Quote))).Replace('\n', ' ');
    }

    private static string Quote(string s) =>
        s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%{}".Contains(c, StringComparison.Ordinal)) ? s : "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string? Read(string path, out string? error)
    {
        error = null;
        try
        {
            int fd = Native.open(path, Native.ORdOnly | Native.OCloExec);
            if (fd < 0)
            {
                error = new System.ComponentModel.Win32Exception(Marshal.GetLastPInvokeError()).Message;
                return null;
            }

            try
            {
                var buffer = new byte[8192];
                int total = 0;
                while (total < buffer.Length)
                {
                    nint n = Native.read(fd, ref buffer[total], (nuint)(buffer.Length - total));
                    if (n <= 0)
                    {
                        break;
                    }

                    total += (int)n;
                }

                return Encoding.UTF8.GetString(buffer, 0, total);
            }
            finally
            {
                _ = Native.close(fd);
            }
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            error = "no libc to read it with";
            return null;
        }
    }

    private static class Native
    {
        public const int ORdOnly = 0;
        public const int OCloExec = 0x80000;

#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code; the runtime marshaller is fine for one refused run.
        [DllImport("libc", SetLastError = true)]
        public static extern int open(string path, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern nint read(int fd, ref byte buffer, nuint count);

        [DllImport("libc")]
        public static extern int close(int fd);
#pragma warning restore SYSLIB1054
    }
}
