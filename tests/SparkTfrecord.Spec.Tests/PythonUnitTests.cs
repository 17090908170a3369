using System.Text.RegularExpressions;
using SparkTfrecord.Spec.Exports;

namespace SparkTfrecord.Spec.Tests;

/// <summary>Runs the Python unittest suite (tests/python) under Debian's /usr/bin/python3, so `dotnet test` covers it.</summary>
[TestFixture]
[Category("External")]
public sealed partial class PythonUnitTests
{
    [GeneratedRegex(@"^\S+ \(.*?\) \.\.\. skipped (.*)$", RegexOptions.Multiline)]
    private static partial Regex SkippedPattern();

    /// <summary>
    /// The suite's own skips that are no missing prerequisite: the TensorFlow tests run against real TensorFlow
    /// where it imports and against a stand-in elsewhere (Debian has no TensorFlow to install), and the runner's
    /// no-pyspark tests skip where pyspark imports. Any other skip (python3-jinja2 missing, say) is a prerequisite.
    /// </summary>
    [GeneratedRegex("TensorFlow|pyspark")]
    private static partial Regex AlternativePathPattern();

    [GeneratedRegex(@"^Ran (\d+) tests? in", RegexOptions.Multiline)]
    private static partial Regex RanPattern();

    [GeneratedRegex(@"^(OK|FAILED)(?: \((.*)\))?\s*$", RegexOptions.Multiline)]
    private static partial Regex ResultPattern();

    [Test]
    public void Python_unittest_suite_passes_under_debian_python()
    {
        var r = SpecPython.Run(["-m", "unittest", "discover", "-s", Path.Combine(Repo.Root, "tests", "python"), "-v"]);

        string output = r.Stderr + r.Stdout;
        Match ran = RanPattern().Match(output);
        Match result = ResultPattern().Match(output);
        Assert.That(ran.Success && result.Success, Is.True, "no unittest summary in the output:\n" + output);
        Assert.That(r.ExitCode, Is.Zero, "the Python unittest suite failed:\n" + output);
        Assert.That(result.Groups[1].Value, Is.EqualTo("OK"), output);
        int tests = int.Parse(ran.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(tests, Is.GreaterThanOrEqualTo(20), "the suite lost tests");
        string skipped = Regex.Match(result.Groups[2].Value, @"skipped=(\d+)").Groups[1].Value;
        var missing = SkippedPattern().Matches(output).Select(m => m.Groups[1].Value.Trim()).Where(reason => !AlternativePathPattern().IsMatch(reason)).Distinct().ToList();
        if (missing.Count > 0)
        {
            throw Prerequisite.Missing($"the Python suite skipped tests for want of: {string.Join("; ", missing)}; install them with 'apt-get install -y python3-jinja2 python3-yaml' (.ci/run does)");
        }

        Assert.Pass($"python unittest: {tests} ran, {(skipped.Length == 0 ? "0" : skipped)} skipped (TensorFlow is not importable here), 0 failed");
    }

    [TestCase("din.yaml")]
    [TestCase("wide_deep.yaml")]
    public void Exported_tf_python_module_compiles_and_gives_the_modules_parsing_spec(string name)
    {
        string temp = Path.Combine(Path.GetTempPath(), $"sparktf-export-{Guid.NewGuid():N}.py");
        File.WriteAllText(temp, SpecExports.ToTfPython(SpecLoader.Load(Repo.Conf(name))));
        try
        {
            string script = $$"""
                import importlib.util, py_compile, sparktfrecord_spec as sts
                py_compile.compile({{Quote(temp)}}, doraise=True, cfile={{Quote(temp + "c")}})
                s = importlib.util.spec_from_file_location("m", {{Quote(temp)}}); m = importlib.util.module_from_spec(s); s.loader.exec_module(m)
                spec = sts.load({{Quote(Repo.Conf(name))}})
                assert m.parsing_description() == spec.parsing_description(), (m.PARSING, spec.parsing_description())
                assert m.SPEC_HASH == spec.hash
                assert m.PADDING_VALUES == dict((f["name"], f["padding"]) for f in spec.features)
                print("ok")
                """;

            var r = SpecPython.Run(["-c", script]);

            Assert.That(r.ExitCode, Is.Zero, r.Stderr);
            Assert.That(r.Stdout.Trim(), Is.EqualTo("ok"));
        }
        finally
        {
            File.Delete(temp);
            File.Delete(temp + "c");
        }
    }

    private static string Quote(string s) => "'" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
}
