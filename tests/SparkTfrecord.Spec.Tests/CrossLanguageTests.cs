using System.Text.Json;

namespace SparkTfrecord.Spec.Tests;

/// <summary>The C# loader and Python's sparktfrecord_spec read every spec the same way (Debian's /usr/bin/python3).</summary>
[TestFixture]
[Category("External")]
public sealed class CrossLanguageTests
{
    private string _temp = null!;

    [SetUp]
    public void SetUp() => _temp = Directory.CreateTempSubdirectory("sparktf-spec-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_temp, recursive: true);

    private static Dictionary<string, JsonElement> DescribeInPython(IEnumerable<string> paths)
    {
        var r = SpecPython.Run([Path.Combine(Repo.Root, "tests", "python", "describe_specs.py"), .. paths]);
        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        return r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .ToDictionary(e => e.GetProperty("path").GetString()!);
    }

    [Test]
    public void Every_conf_spec_has_the_same_description_and_hash_in_python()
    {
        string[] specs = Directory.GetFiles(Path.Combine(Repo.Root, "conf"), "*.yaml");
        Assert.That(specs, Has.Length.GreaterThanOrEqualTo(2));

        var python = DescribeInPython(specs);

        foreach (string path in specs)
        {
            FeatureSpec spec = SpecLoader.Load(path);
            JsonElement p = python[path];
            Assert.That(p.TryGetProperty("error", out var error), Is.False, $"{path}: {error}");
            Assert.That(p.GetProperty("canonical").GetString(), Is.EqualTo(spec.ToCanonicalJson()), path);
            Assert.That(p.GetProperty("hash").GetString(), Is.EqualTo(spec.Hash), path);
        }
    }

    [Test]
    public void Randomized_valid_specs_have_the_same_description_and_hash_in_python()
    {
        var generator = new RandomSpecs(seed: 7);
        var paths = new List<string>();
        for (int i = 0; i < 300; i++)
        {
            string path = Path.Combine(_temp, $"spec{i:000}.yaml");
            File.WriteAllText(path, generator.Next());
            paths.Add(path);
        }

        var python = DescribeInPython(paths);

        int compared = 0;
        foreach (string path in paths)
        {
            FeatureSpec spec;
            try
            {
                spec = SpecLoader.Load(path);
            }
            catch (SpecException e)
            {
                Assert.Fail($"the generator wrote an invalid spec: {e.Message}\n{File.ReadAllText(path)}");
                return;
            }

            JsonElement p = python[path];
            Assert.That(p.TryGetProperty("error", out var error), Is.False, $"{path}: python refused what C# loaded: {error}\n{File.ReadAllText(path)}");
            Assert.That(p.GetProperty("canonical").GetString(), Is.EqualTo(spec.ToCanonicalJson()), File.ReadAllText(path));
            Assert.That(p.GetProperty("hash").GetString(), Is.EqualTo(spec.Hash));
            compared++;
        }

        Assert.That(compared, Is.EqualTo(300));
    }

    [Test]
    public void Malformed_specs_are_refused_by_python_at_the_same_line_and_column()
    {
        string folder = Path.Combine(Repo.Root, "tests", "spec-cases", "malformed");
        string[] paths = Directory.GetFiles(folder, "*.yaml");

        var python = DescribeInPython(paths);

        foreach (string path in paths)
        {
            var e = Assert.Throws<SpecException>(() => SpecLoader.Load(path))!;
            JsonElement p = python[path];
            Assert.That(p.TryGetProperty("error", out var error), Is.True, $"python loaded {path}");
            Assert.That((p.GetProperty("line").GetInt64(), p.GetProperty("column").GetInt64()), Is.EqualTo((e.Line, e.Column)), path);
            if (!e.Problem.StartsWith("YAML syntax error", StringComparison.Ordinal))
            {
                Assert.That(error.GetString(), Is.EqualTo(e.Message), "the same message in both languages");
            }
        }
    }
}
