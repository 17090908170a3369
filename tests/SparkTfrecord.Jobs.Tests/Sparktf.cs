using System.Diagnostics;
using System.Text;

namespace SparkTfrecord.Jobs.Tests;

/// <summary>Runs the built sparktf program as a child process, as a user or a scheduler would.</summary>
internal static class Sparktf
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr, byte[] StdoutBytes);

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "sparktf.dll");

    /// <summary>The test-only host (tests/SparkTfrecord.FaultHost): sparktf with the fault its environment names
    /// (<see cref="FaultHost.Faults"/>) installed through the library's seams.</summary>
    public static string FaultHostDll => Path.Combine(AppContext.BaseDirectory, "SparkTfrecord.FaultHost.dll");

    /// <summary>The program a child runs: the fault host when <paramref name="environment"/> names a fault, else sparktf.</summary>
    public static string DllFor(IEnumerable<string> environment) => FaultHost.Faults.AnyIn(environment) ? FaultHostDll : Dll;

    /// <summary>The repository root (the folder holding SparkTfrecord.sln).</summary>
    public static string RepoRoot => Repo.Root;

    /// <summary>The shared fixtures folder, beside the repository.</summary>
    public static string Fixtures => SharedFixtures.TfrecordFolder;

    public static Result Run(params string[] args) => RunIn(null, null, args);

    public static Result RunIn(string? workingDirectory, string? stdin, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Dll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }

        var stdout = new MemoryStream();
        Task copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("sparktf " + string.Join(' ', args) + " did not finish in 120 s");
        }

        copy.Wait();
        byte[] bytes = stdout.ToArray();
        return new Result(process.ExitCode, Encoding.UTF8.GetString(bytes), stderr.Result, bytes);
    }
}
