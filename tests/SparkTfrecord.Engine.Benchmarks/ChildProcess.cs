using System.Diagnostics;
using System.Globalization;

/// <summary>Runs a benchmark's child process and measures it.</summary>
internal static class ChildProcess
{
    /// <summary>Runs <c>dotnet exec</c> with <paramref name="command"/>; its wall time and peak resident set (KiB).</summary>
    public static (double Seconds, long PeakKb) Measure(string[] command)
    {
        var m = MeasureWithCpu(command);
        return (m.Wall, m.PeakKb);
    }

    /// <summary>Runs <c>dotnet exec</c> with <paramref name="command"/>; its wall time, CPU time (user + system; NaN
    /// without GNU time) and peak resident set (KiB).</summary>
    public static (double Wall, double Cpu, long PeakKb) MeasureWithCpu(string[] command)
    {
        // GNU time, where installed, gives the exact peak resident set and the CPU time; else /proc is polled.
        bool gnuTime = File.Exists("/usr/bin/time");
        string timeFile = Path.GetTempFileName();
        var start = new ProcessStartInfo(gnuTime ? "/usr/bin/time" : "dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (gnuTime)
        {
            start.ArgumentList.Add("-o");
            start.ArgumentList.Add(timeFile);
            start.ArgumentList.Add("-f");
            start.ArgumentList.Add("%M %U %S");
            start.ArgumentList.Add("dotnet");
        }

        start.ArgumentList.Add("exec");
        foreach (string a in command)
        {
            start.ArgumentList.Add(a);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        long peak = 0;
        string status = $"/proc/{process.Id}/status";
        while (!process.HasExited)
        {
            // VmHWM only grows, so the last reading before the process ends is its peak (to within the polling interval).
            try
            {
                foreach (string line in File.ReadLines(status))
                {
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    {
                        peak = Math.Max(peak, long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture));
                    }
                }
            }
            catch (IOException)
            {
            }

            Thread.Sleep(20);
        }

        process.WaitForExit();
        double seconds = clock.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', command)} failed ({process.ExitCode}): {stderr.Result}");
        }

        _ = stdout.Result;
        double cpuSeconds = double.NaN;
        if (gnuTime)
        {
            string[] parts = File.ReadAllText(timeFile).Trim().Split('\n')[^1].Split(' ');
            peak = long.Parse(parts[0], CultureInfo.InvariantCulture);
            double cpu = double.Parse(parts[1], CultureInfo.InvariantCulture) + double.Parse(parts[2], CultureInfo.InvariantCulture);
            Console.Error.WriteLine($"    cpu {cpu:F1} s");
            cpuSeconds = cpu;
        }

        File.Delete(timeFile);
        return (seconds, cpuSeconds, peak);
    }
}
