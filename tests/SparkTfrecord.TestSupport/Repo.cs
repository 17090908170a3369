namespace SparkTfrecord.TestSupport;

/// <summary>
/// Paths in the repository and beside it, for tests and benchmarks: the root is the folder holding SparkTfrecord.sln,
/// found by walking up from the running assembly (tests run from bin/ folders at different depths).
/// </summary>
public static class Repo
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The repository root (the folder holding SparkTfrecord.sln).</summary>
    public static string Root => s_root.Value;

    /// <summary>A path under the repository root.</summary>
    public static string In(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>A job config under conf/.</summary>
    public static string Conf(string name) => In("conf", name);

    /// <summary>
    /// The shared fixtures (<c>../shared/fixtures</c> beside the repository: files written by TensorFlow, Hadoop and
    /// others); fails the test when the folder is missing, since no test may pass without the data it checks.
    /// </summary>
    public static string SharedFixtures
    {
        get
        {
            string path = Path.GetFullPath(Path.Combine(Root, "..", "shared", "fixtures"));
            if (!Directory.Exists(path))
            {
                Assert.Fail($"The shared fixtures are missing at {path}: the tests expect ../shared/fixtures beside the repository.");
            }

            return path;
        }
    }

    /// <summary>The TFRecord folder of the shared fixtures (<c>../shared/fixtures/tfrecord</c>).</summary>
    public static string TfrecordFixtures => Path.Combine(SharedFixtures, "tfrecord");

    /// <summary>A file under the shared fixtures' tfrecord folder; fails the test when it is missing.</summary>
    public static string TfrecordFixture(string relative)
    {
        string path = Path.Combine(TfrecordFixtures, relative);
        if (!File.Exists(path))
        {
            Assert.Fail($"Fixture {path} is missing: the tests expect the shared fixtures at ../shared/fixtures beside the repository.");
        }

        return path;
    }

    private static string FindRoot()
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
