using System.Text.RegularExpressions;

namespace SparkTfrecord.Spark.Tests;

/// <summary>
/// Runs the Python unittest suite under tests/python (the PySpark runner's splitter, runs with a stand-in session,
/// reports and exit codes; the Airflow DAGs against stand-ins of Airflow) with Debian's Python, as CI must: the
/// cluster's drivers have no pyspark to test against here, and the python3 first on PATH may be another one.
/// </summary>
[TestFixture]
[Category("External")]
public sealed partial class PythonSuiteTests
{
    private const string DebianPython = "/usr/bin/python3";

    [Test]
    public void The_python_unittest_suite_passes_under_debians_python()
    {
        Prerequisite.RequireDebianPython("apt-get install -y python3 python3-yaml python3-jinja2", "yaml", "jinja2");
        using var cache = new TempFolder("sparktf-pycache-");

        var result = Processes.Run(
            DebianPython,
            ["-m", "unittest", "discover", "-s", Processes.InRepo("tests", "python"), "-t", Processes.InRepo("tests", "python"), "-v"],
            // tests/python also holds the spec module's tests (test_spec.py), which import lib/python/sparktfrecord_spec.
            environment: new Dictionary<string, string?> { ["PYTHONPYCACHEPREFIX"] = cache.Path, ["PYTHONDONTWRITEBYTECODE"] = "1", ["PYTHONPATH"] = Processes.InRepo("lib", "python") },
            timeoutSeconds: 120);

        var ran = RanLine().Match(result.Stderr);
        Assert.That(ran.Success, Is.True, "no 'Ran N tests' line:\n" + result.Output);
        int total = int.Parse(ran.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        int failures = Count(FailuresCount(), result.Stderr);
        int errors = Count(ErrorsCount(), result.Stderr);
        int skipped = Count(SkippedCount(), result.Stderr);
        int passed = total - failures - errors - skipped;
        TestContext.Out.WriteLine($"python unittest: {total} run, {passed} passed, {failures} failed, {errors} errors, {skipped} skipped");
        foreach (Match skip in SkipReason().Matches(result.Stderr))
        {
            TestContext.Out.WriteLine("  skipped: " + skip.Value.Trim());
        }

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.Stderr);
            Assert.That(failures + errors, Is.Zero, result.Stderr);
            Assert.That(total, Is.GreaterThanOrEqualTo(60), "fewer tests than expected were discovered:\n" + result.Stderr);
        });
    }

    private static int Count(Regex pattern, string text)
    {
        var match = pattern.Match(text);
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    [GeneratedRegex(@"^Ran (\d+) tests? in", RegexOptions.Multiline)]
    private static partial Regex RanLine();

    [GeneratedRegex(@"^(?:OK|FAILED) \(.*?failures=(\d+)", RegexOptions.Multiline)]
    private static partial Regex FailuresCount();

    [GeneratedRegex(@"^(?:OK|FAILED) \(.*?errors=(\d+)", RegexOptions.Multiline)]
    private static partial Regex ErrorsCount();

    [GeneratedRegex(@"^(?:OK|FAILED) \(.*?skipped=(\d+)", RegexOptions.Multiline)]
    private static partial Regex SkippedCount();

    [GeneratedRegex(@"\S+ \(.*?\) \.\.\. skipped .*$", RegexOptions.Multiline)]
    private static partial Regex SkipReason();
}
