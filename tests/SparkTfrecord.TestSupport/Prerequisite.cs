using System.Collections.Concurrent;
using System.Diagnostics;

namespace SparkTfrecord.TestSupport;

/// <summary>
/// The one check for what a test needs from the machine (Debian's python3 and its modules, protoc, node, root for a
/// mount): when it is missing, the test is skipped on a developer's machine and fails on CI (<c>CI=true</c>), so CI
/// can never pass by skipping. .ci/run installs every prerequisite (see docs/contributing.md). The real-Spark suite
/// is the one exception: no Spark can be installed here or on CI, so it skips everywhere.
/// </summary>
public static class Prerequisite
{
    /// <summary>Debian's interpreter: the python3 first on PATH may be a separate build without Debian's modules.</summary>
    public const string DebianPython = "/usr/bin/python3";

    private static readonly ConcurrentDictionary<string, string?> s_pythonImports = new(StringComparer.Ordinal);

    /// <summary>Whether the tests run on CI (the CI environment variable is <c>true</c>, as CI services set it).</summary>
    public static bool OnCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Fails on CI, else ignores the test, with <paramref name="why"/>; never returns (callers write
    /// <c>throw Prerequisite.Missing(...)</c> so the compiler knows).
    /// </summary>
    public static Exception Missing(string why) => Missing(why, OnCi);

    internal static Exception Missing(string why, bool onCi)
    {
        if (onCi)
        {
            Assert.Fail("missing prerequisite on CI: " + why);
        }

        Assert.Ignore(why + " (skipped here; with CI=true this fails)");
        return new UnreachableException();
    }

    /// <summary>
    /// Requires Debian's python3 able to import <paramref name="modules"/>; <paramref name="install"/> is the command
    /// that installs them (.ci/run runs it). The import is tried once per process for each module list.
    /// </summary>
    public static void RequireDebianPython(string install, params string[] modules)
    {
        if (!File.Exists(DebianPython))
        {
            throw Missing($"{DebianPython} is missing: install Debian's Python with '{install}'.");
        }

        string statement = modules.Length == 0 ? "pass" : "import " + string.Join(", ", modules);
        string? error = s_pythonImports.GetOrAdd(statement, TryPython);
        if (error is not null)
        {
            throw Missing($"{DebianPython} cannot run '{statement}': install with '{install}' (.ci/run does). {error}");
        }
    }

    /// <summary>
    /// The full path of a program: the first of <paramref name="preferred"/> that exists (Debian's own, say), else the
    /// first on PATH; missing, the test is a missing prerequisite whose message names <paramref name="install"/>.
    /// </summary>
    public static string RequireProgram(string name, string install, params string[] preferred)
    {
        var candidates = preferred.Concat((Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name)));
        string? found = candidates.FirstOrDefault(File.Exists);
        return found ?? throw Missing($"{name} is missing: install it with '{install}' (.ci/run does).");
    }

    /// <summary>
    /// A start of Debian's python3 with <paramref name="args"/>, its output redirected, that sees Debian's own modules
    /// only: no user site-packages, PYTHONPATH or PYTHONHOME from the environment (what the prerequisite checked).
    /// </summary>
    public static ProcessStartInfo DebianPythonStart(params string[] args)
    {
        var start = new ProcessStartInfo(DebianPython)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("PYTHONPATH");
        start.Environment.Remove("PYTHONHOME");
        start.Environment["PYTHONNOUSERSITE"] = "1";
        return start;
    }

    private static string? TryPython(string statement)
    {
        using Process process = Process.Start(DebianPythonStart("-c", statement))!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            return $"{DebianPython} -c '{statement}' did not finish in 60 s";
        }

        return process.ExitCode == 0 ? null : stderr.Result.Trim();
    }
}
