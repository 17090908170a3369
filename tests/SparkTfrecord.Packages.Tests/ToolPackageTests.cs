using System.Runtime.InteropServices;

namespace SparkTfrecord.Packages.Tests;

/// <summary>
/// The sparktf .NET tool as a user gets it: installed with <c>dotnet tool install --tool-path</c> from the package
/// .ci/run built, then run from the tool's folder (DuckDB's native library must be found there).
/// </summary>
[TestFixture]
[Category("Process")]
public sealed class ToolPackageTests
{
    private string _folder = "";
    private string _sparktf = "";

    // The package cache is a fresh folder: a sparktf of the same version cached by an earlier install would
    // otherwise be installed instead of the package just built.
    private Dictionary<string, string?> _environment = [];

    [OneTimeSetUp]
    public void InstallTool()
    {
        Artifacts.RequirePackage("sparktf");
        _folder = Directory.CreateTempSubdirectory("sparktf-tool-").FullName;
        _environment = new()
        {
            ["NUGET_PACKAGES"] = Path.Combine(_folder, "nuget-cache"),
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };

        // Only the local folder is a source: the tool must come from the package just built, never from a registry.
        string config = Path.Combine(_folder, "nuget.config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{Artifacts.PackagesFolder}" />
              </packageSources>
            </configuration>
            """);
        string tools = Path.Combine(_folder, "tools");
        var install = ChildProcess.Run("dotnet",
            ["tool", "install", "--tool-path", tools, "--configfile", config, "sparktf", "--version", Artifacts.Version],
            _folder, TimeSpan.FromMinutes(3), _environment);
        Assert.That(install.ExitCode, Is.Zero, install.ToString());
        _sparktf = Path.Combine(tools, "sparktf");
        Assert.That(File.Exists(_sparktf), Is.True, "dotnet tool install made no " + _sparktf);
    }

    [OneTimeTearDown]
    public void RemoveFolder()
    {
        if (_folder.Length > 0)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Test]
    public void Installed_tool_is_the_package_for_this_platform()
    {
        // `dotnet tool install sparktf` reads the pointer package and installs the platform package it names: the
        // precompiled one on x64 Linux (linux-musl-x64 included, which NuGet counts as linux-x64), the portable one
        // elsewhere (PackageContentsTests checks what each holds).
        bool linuxX64 = OperatingSystem.IsLinux() && RuntimeInformation.OSArchitecture == Architecture.X64;
        string expected = linuxX64 ? "sparktf.linux-x64" : "sparktf.any";
        string other = linuxX64 ? "sparktf.any" : "sparktf.linux-x64";
        string store = Path.Combine(_folder, "tools", ".store", "sparktf", Artifacts.Version);
        var installed = Directory.GetDirectories(store).Select(Path.GetFileName).ToList();
        Assert.That(installed, Does.Contain(expected).And.Not.Contain(other));
    }

    [Test]
    public void Installed_tool_prints_the_version_of_Directory_Build_props() =>
        SparktfSmoke.AssertVersion(_sparktf, _folder, _environment);

    [Test]
    public void Installed_tool_runs_a_samples_job_whose_output_reads_back() =>
        SparktfSmoke.AssertSamplesRun(_sparktf, _folder, _environment);
}
