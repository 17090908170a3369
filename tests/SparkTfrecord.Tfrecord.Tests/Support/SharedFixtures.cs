namespace SparkTfrecord.Tfrecord.Tests.Support;

/// <summary>Finds the shared fixtures: <c>../shared/fixtures</c> relative to the repository root.</summary>
internal static class SharedFixtures
{
    private static readonly Lazy<string> s_root = new(FindRepositoryRoot);

    /// <summary>The folder holding SparkTfrecord.sln, found by walking up from the test assembly.</summary>
    public static string RepositoryRoot => s_root.Value;

    /// <summary>The shared fixtures folder.</summary>
    public static string Directory => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "fixtures"));

    /// <summary>The full path of a file under <c>fixtures/tfrecord/</c>; fails the test when it is missing.</summary>
    public static string Tfrecord(string relative)
    {
        string path = Path.Combine(Directory, "tfrecord", relative);
        if (!File.Exists(path))
        {
            Assert.Fail($"Fixture {path} is missing: the tests expect the shared fixtures at ../shared/fixtures beside the repository.");
        }

        return path;
    }

    /// <summary>The bytes of a file under <c>fixtures/tfrecord/</c>.</summary>
    public static byte[] Read(string relative) => File.ReadAllBytes(Tfrecord(relative));

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SparkTfrecord.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No SparkTfrecord.sln above {AppContext.BaseDirectory}.");
    }
}
