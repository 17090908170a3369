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
