using System.Diagnostics;
using System.Text.Json;
using static SparkTfrecord.Jobs.Tests.SamplesRuns;

namespace SparkTfrecord.Jobs.Tests;

/// <summary>The training side (lib/python's sparktfrecord_spec, run by Debian's python3) accepts what samples writes.</summary>
[TestFixture]
[Category("External")]
public sealed class SamplesPythonTests
{
    private LogsFolder _folder = null!;

    private static string Spec => SamplesRuns.Spec;

    [OneTimeSetUp]
    public void GenerateLogs()
    {
        _folder = new LogsFolder("sparktf-samples-python-");
    }

    [OneTimeTearDown]
    public void RemoveLogs() => _folder.Dispose();

    private string Out(string name) => _folder.Out(name);

    private string[] SamplesArgs(string output, params string[] more) => _folder.SamplesArgs(output, more);

    [Test]
    public void The_training_sides_check_manifest_accepts_the_manifest()
    {
        string module = Path.Combine(Sparktf.RepoRoot, "lib", "python");
        Prerequisite.RequireDebianPython("apt-get install python3-yaml", "yaml"); // the training side's spec module reads YAML

        string output = Out("python");
        Assert.That(InProcess.Run(SamplesArgs(output)).ExitCode, Is.Zero);
        var start = new ProcessStartInfo(Prerequisite.DebianPython) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import sys; sys.path.insert(0, sys.argv[1]); import sparktfrecord_spec as s; print(s.check_manifest(sys.argv[2], sys.argv[3]))");
        start.ArgumentList.Add(module);
        start.ArgumentList.Add(output);
        start.ArgumentList.Add(Spec);
        using var python = Process.Start(start)!;
        string stdout = python.StandardOutput.ReadToEnd();
        string stderr = python.StandardError.ReadToEnd();
        python.WaitForExit();

        Assert.That(python.ExitCode, Is.Zero, stderr);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "_manifest.json")));
        Assert.That(stdout.Trim(), Is.EqualTo(manifest.RootElement.GetProperty("spec_hash").GetString()));
    }
}
