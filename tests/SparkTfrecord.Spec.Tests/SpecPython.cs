using System.Diagnostics;
using System.Text;

namespace SparkTfrecord.Spec.Tests;

/// <summary>Runs Debian's python3 with the spec module (lib/python/sparktfrecord_spec) on its path.</summary>
internal static class SpecPython
{
    /// <summary>What the spec module needs from Debian (.ci/run installs it).</summary>
    public const string Install = "apt-get install -y python3 python3-yaml";

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>Runs <c>/usr/bin/python3</c> with <paramref name="args"/> in the repository root; a missing Python or
    /// PyYAML is a missing prerequisite.</summary>
    public static Result Run(IEnumerable<string> args, string? stdin = null)
    {
        Prerequisite.RequireDebianPython(Install, "yaml");
        var start = new ProcessStartInfo(Prerequisite.DebianPython)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            WorkingDirectory = Repo.Root,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["PYTHONPATH"] = Repo.In("lib", "python");
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";

        using Process process = Process.Start(start)!;
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }

        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"python3 {string.Join(' ', args)} did not finish in 120 s");
        }

        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
