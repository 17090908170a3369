namespace SparkTfrecord.Jobs.Tests;

/// <summary>sparktf spec export and hash against the training side's Python module (Debian's python3 with PyYAML).</summary>
[TestFixture]
[Category("External")]
public sealed class SpecExportPythonTests
{
    private string _temp = null!;

    [SetUp]
    public void SetUp() => _temp = Directory.CreateTempSubdirectory("sparktf-spec-python-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_temp, recursive: true);

    private static string Conf(string name) => Path.Combine(Sparktf.RepoRoot, "conf", name);

    [Test]
    public void Spec_export_json_is_the_python_modules_description_for_every_conf_spec()
    {
        foreach (string conf in Directory.GetFiles(Path.Combine(Sparktf.RepoRoot, "conf"), "*.yaml"))
        {
            var export = InProcess.Run("spec", "export", "--spec", conf, "--target", "json");
            Assert.That(export.ExitCode, Is.Zero, export.Stderr);
            string exported = Path.Combine(_temp, Path.GetFileName(conf) + ".json");
            File.WriteAllBytes(exported, export.StdoutBytes);

            var python = Python($"""
                import json, sparktfrecord_spec as sts
                exported = json.load(open({Py(exported)}, encoding="utf-8"))
                mine = sts.describe({Py(conf)})
                canon = lambda o: json.dumps(o, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
                print("same" if canon(exported) == canon(mine) else "DIFFERENT\n" + canon(exported) + "\n" + canon(mine))
                """);

            Assert.That(python, Is.EqualTo("same"), conf);
        }
    }

    [Test]
    public void Spec_hash_accepts_conf_as_the_same_option_and_matches_python()
    {
        var hash = InProcess.Run("spec", "hash", "--conf", Conf("din.yaml"));

        Assert.That(hash.ExitCode, Is.Zero, hash.Stderr);
        Assert.That(hash.Stdout.Trim(), Is.EqualTo(Python($"import sparktfrecord_spec as sts; print(sts.spec_hash({Py(Conf("din.yaml"))}))")));
    }

    private static string Py(string s) => "'" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    /// <summary>Runs Debian's /usr/bin/python3 with lib/python on the path; fails with a hint when PyYAML is missing.</summary>
    private static string Python(string script)
    {
        var start = new System.Diagnostics.ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.Environment["PYTHONPATH"] = Path.Combine(Sparktf.RepoRoot, "lib", "python");
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        using var process = System.Diagnostics.Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (stderr.Contains("No module named 'yaml'", StringComparison.Ordinal))
        {
            Assert.Fail("/usr/bin/python3 cannot import yaml: run 'apt-get install -y python3-yaml' (.ci/run does).");
        }

        Assert.That(process.ExitCode, Is.Zero, stderr);
        return stdout.Trim();
    }
}
