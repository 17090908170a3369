using System.Diagnostics;
using System.Text;

namespace SparkTfrecord.Spec.Tests;

/// <summary>Paths of the repository and a runner for Debian's Python.</summary>
internal static class Repo
{
    /// <summary>Debian's interpreter: the python3 first on PATH may be a separate build without python3-yaml.</summary>
    public const string Python = "/usr/bin/python3";

    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "SparkTfrecord.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("SparkTfrecord.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string Conf(string name) => Path.Combine(Root, "conf", name);

    public static string Fixtures
    {
        get
        {
            string path = Path.GetFullPath(Path.Combine(Root, "..", "shared", "fixtures", "tfrecord"));
            if (!Directory.Exists(path))
            {
                Assert.Fail($"The shared fixtures are missing at {path}: the tests expect ../shared/fixtures beside the repository.");
            }

            return path;
        }
    }

    public static string PythonLib => Path.Combine(Root, "lib", "python");

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(string file, IEnumerable<string> args, string? stdin = null, string? workingDirectory = null, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Root,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["PYTHONPATH"] = PythonLib;
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        if (environment is not null)
        {
            foreach ((string key, string value) in environment)
            {
                start.Environment[key] = value;
            }
        }

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
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in 120 s");
        }

        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Fails the test (never skips: CI must have them) when Debian's Python or its yaml module is missing.</summary>
    public static void RequirePythonYaml()
    {
        if (!File.Exists(Python))
        {
            Assert.Fail($"{Python} is missing: install Debian's Python with 'apt-get install -y python3 python3-yaml'.");
        }

        Result r = Run(Python, ["-c", "import yaml"]);
        if (r.ExitCode != 0)
        {
            Assert.Fail($"{Python} cannot import yaml (PyYAML): run 'apt-get install -y python3-yaml' (.ci/run does). {r.Stderr}");
        }
    }

    public static Result RunPython(params string[] args)
    {
        RequirePythonYaml();
        return Run(Python, args);
    }
}
