namespace SparkTfrecord.TestSupport;

/// <summary>
/// Golden files: expected output kept in the repository (tests/SparkTfrecord.Spark.Tests/golden, tests/python/golden)
/// and compared byte for byte. With <c>SPARKTF_UPDATE_GOLDEN=1</c> a test whose output differs rewrites its file and
/// fails, naming the file: an update run must never pass as a check, so the change is reviewed (git diff) and the
/// tests are run again without the switch.
/// </summary>
public static class Golden
{
    /// <summary>The environment variable that turns on the update mode (value <c>1</c>).</summary>
    public const string UpdateVariable = "SPARKTF_UPDATE_GOLDEN";

    /// <summary>Whether this run rewrites golden files that differ.</summary>
    public static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    /// <summary>
    /// Asserts that <paramref name="actual"/> equals the golden file at <paramref name="path"/>; in update mode a
    /// differing or missing file is written and the test fails. <paramref name="what"/> names the output in messages
    /// ("the rendering of conf/din.yaml (delta-yarn)").
    /// </summary>
    public static void Check(string path, string actual, string what) => Check(path, actual, what, Updating);

    internal static void Check(string path, string actual, string what, bool updating)
    {
        bool exists = File.Exists(path);
        if (exists && File.ReadAllText(path) == actual)
        {
            return;
        }

        if (updating)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            Assert.Fail($"golden file written: {path} ({what}). A run that updates golden files fails; review the diff (git diff) and rerun without {UpdateVariable} to check.");
        }

        string regenerate = RegenerateCommand();
        Assert.That(exists, Is.True, $"{path} is missing ({what}): write it with {regenerate}, and review it");
        Assert.That(actual, Is.EqualTo(File.ReadAllText(path)),
            $"{what} differs from its golden file {path}; if that is intended, regenerate with {regenerate}, review the diff and rerun without {UpdateVariable}");
    }

    /// <summary>The command that reruns the current test's fixture in update mode.</summary>
    private static string RegenerateCommand()
    {
        var test = TestContext.CurrentContext.Test;
        string? assembly = test.Method?.TypeInfo.Assembly.GetName().Name;
        string project = assembly is null ? "<test project>" : "tests/" + assembly;
        return $"{UpdateVariable}=1 dotnet test {project} --filter FullyQualifiedName~{test.ClassName}";
    }
}
