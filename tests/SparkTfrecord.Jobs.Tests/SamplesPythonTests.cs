using System.Diagnostics;
using System.Text.Json;
using SparkTfrecord.Jobs.Tests.Hostile;
using static SparkTfrecord.Jobs.Tests.SamplesRuns;

namespace SparkTfrecord.Jobs.Tests;

/// <summary>The training side (lib/python's sparktfrecord_spec, run by Debian's python3) accepts what samples writes.</summary>
[TestFixture]
[Category("External")]
public sealed class SamplesPythonTests
{
    private string _root = null!;
    private string _logs = null!;

    private static string Spec => SamplesRuns.Spec;

    [OneTimeSetUp]
    public void GenerateLogs()
    {
        _root = Directory.CreateTempSubdirectory("sparktf-samples-python-").FullName;
        _logs = Path.Combine(_root, "logs");
        SamplesRuns.GenerateLogs(_logs);
    }

    [OneTimeTearDown]
    public void RemoveLogs() => Directory.Delete(_root, recursive: true);

    private string Out(string name) => Path.Combine(_root, "out", name, "dt=" + Date);

    private string[] SamplesArgs(string output, params string[] more) => Args(_logs, output, 4, more);

    [Test]
    public void The_training_sides_check_manifest_accepts_the_manifest()
    {
        string module = Path.Combine(Sparktf.RepoRoot, "lib", "python");
        if (!File.Exists("/usr/bin/python3"))
        {
            throw Prerequisite.Missing("Debian's /usr/bin/python3 is needed to run the training side's check_manifest (.ci/run installs it).");
        }

        string output = Out("python");
        Assert.That(InProcess.Run(SamplesArgs(output)).ExitCode, Is.Zero);
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
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
