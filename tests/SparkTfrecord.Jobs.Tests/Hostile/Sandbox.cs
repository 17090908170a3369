using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace SparkTfrecord.Jobs.Tests.Hostile;

/// <summary>
/// A folder a hostile-input test runs sparktf in, with its own temporary folder (TMPDIR), so a test can prove what a
/// run left behind: <see cref="Snapshot"/> before, then <see cref="AssertUntouchedOutside"/> and
/// <see cref="AssertNoLeftovers"/> after. Every user file outside the declared output must be byte-identical, and no
/// spill folder, hidden work folder or set-aside old output may remain.
/// </summary>
internal sealed class Sandbox : IDisposable
{
    private Sandbox(string root)
    {
        Root = root;
        Temp = System.IO.Path.Combine(root, "tmp");
        Directory.CreateDirectory(Temp);
    }

    /// <summary>The sandbox's root: put the user's files (logs, specs, earlier outputs) anywhere below it.</summary>
    public string Root { get; }

    /// <summary>The child's TMPDIR (DuckDB's default spill folders go here).</summary>
    public string Temp { get; }

    public static Sandbox Create(string name) => new(Directory.CreateTempSubdirectory($"sparktf-hostile-{name}-").FullName);

    public string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>Writes a text file (UTF-8, no BOM) below the root, creating its folder.</summary>
    public string Write(string relative, string text) => Write(relative, new UTF8Encoding(false).GetBytes(text));

    public string Write(string relative, byte[] bytes)
    {
        string file = Path(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllBytes(file, bytes);
        return file;
    }

    /// <summary>Copies a folder (generated logs, say) below the root.</summary>
    public string CopyFolder(string from, string relative)
    {
        string to = Path(relative);
        Folders.Copy(from, to);
        return to;
    }

    /// <summary>Every file below the root (the temporary folder and outputs' lock files aside) with its SHA-256, by relative path.</summary>
    public IReadOnlyDictionary<string, string> Snapshot()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(Root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            string relative = System.IO.Path.GetRelativePath(Root, file);
            // The lock file beside an output (.<leaf>.lock) is the tool's own: every run that takes the lock writes its
            // holder into it, so it is left out of the comparison.
            string name = System.IO.Path.GetFileName(file);
            if (relative.StartsWith("tmp" + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal) || (name.StartsWith('.') && name.EndsWith(".lock", StringComparison.Ordinal)))
            {
                continue;
            }

            using var stream = File.OpenRead(file);
            files[relative] = Convert.ToHexString(SHA256.HashData(stream));
        }

        return files;
    }

    /// <summary>
    /// Asserts that every file of <paramref name="before"/> outside <paramref name="outputs"/> (folders relative to
    /// the root, with their lock files and hidden siblings) is still there with the same bytes, and that no file
    /// appeared outside them.
    /// </summary>
    public void AssertUntouchedOutside(IReadOnlyDictionary<string, string> before, params string[] outputs)
    {
        bool Inside(string relative) => outputs.Any(o =>
        {
            string output = System.IO.Path.GetRelativePath(Root, Path(o)).TrimEnd(System.IO.Path.DirectorySeparatorChar);
            string parent = System.IO.Path.GetDirectoryName(output) ?? "";
            string leaf = System.IO.Path.GetFileName(output);
            string hidden = System.IO.Path.Combine(parent, "." + leaf + ".");
            return relative == output || relative.StartsWith(output + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal)
                || relative.StartsWith(hidden, StringComparison.Ordinal) || relative == System.IO.Path.Combine(parent, leaf + ".quarantine.jsonl");
        });
        var after = Snapshot();
        var changed = before.Where(f => !Inside(f.Key) && (!after.TryGetValue(f.Key, out string? hash) || hash != f.Value)).Select(f => f.Key).ToList();
        var added = after.Keys.Where(f => !Inside(f) && !before.ContainsKey(f)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(changed, Is.Empty, "user files outside the output were changed or removed");
            Assert.That(added, Is.Empty, "files appeared outside the output");
        });
    }

    /// <summary>Asserts that no spill folder, hidden work folder or set-aside output remains anywhere in the sandbox.</summary>
    public void AssertNoLeftovers()
    {
        var leftovers = Directory.EnumerateFileSystemEntries(Root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(e => System.IO.Path.GetRelativePath(Root, e))
            .Where(e =>
            {
                string name = System.IO.Path.GetFileName(e);
                return name.StartsWith("sparktf-spill-", StringComparison.Ordinal) || (name.StartsWith('.') && (name.Contains(".tmp-", StringComparison.Ordinal) || name.Contains(".old-", StringComparison.Ordinal)));
            })
            .ToList();
        Assert.That(leftovers, Is.Empty, "temporary, spill or set-aside folders were left behind");
    }

    /// <summary>Runs sparktf with the working directory <paramref name="workingDirectory"/> (default: the root) and
    /// TMPDIR set to <see cref="Temp"/>.</summary>
    public Sparktf.Result Run(string? workingDirectory, params string[] args) => Run(workingDirectory, null, args);

    public Sparktf.Result Run(string? workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using Process process = Start(workingDirectory, environment, args);
        var stdout = new MemoryStream();
        Task copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(300_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("sparktf " + string.Join(' ', args) + " did not finish in 300 s");
        }

        copy.Wait();
        byte[] bytes = stdout.ToArray();
        return new Sparktf.Result(process.ExitCode, Encoding.UTF8.GetString(bytes), stderr.Result, bytes);
    }

    /// <summary>Starts sparktf like <see cref="Run(string?, IReadOnlyDictionary{string, string}?, string[])"/> without
    /// waiting (standard output and error redirected), for a test that acts while it runs.</summary>
    public Process Start(string? workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Root,
        };
        start.Environment["TMPDIR"] = Temp;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Sparktf.DllFor(environment?.Keys ?? []));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A read-only folder a test made; the OS cleans the temporary folder.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
