namespace SparkTfrecord.Engine.Sql;

/// <summary>
/// Which absolute paths of a Spark script are files on the launcher's machine, and are therefore written as
/// <c>file://</c> URIs. Spark resolves a path without a scheme against the cluster's default file system
/// (<c>fs.defaultFS</c>: HDFS on YARN), so a local path written bare would be read from, or written to, another file
/// system. Locality belongs to each path, not to the master (docs/spark.md, "Paths"): with a local master every
/// absolute path is local; with a cluster master only the paths the launcher knows to be local are (those given as
/// <c>file:</c>, and the folders it keeps beside a local output, such as the native writer's Parquet folder).
/// </summary>
internal sealed class SparkLocalPaths
{
    private readonly bool _everyAbsolutePath;
    private readonly HashSet<string> _paths;

    private SparkLocalPaths(bool everyAbsolutePath, IEnumerable<string> paths)
    {
        _everyAbsolutePath = everyAbsolutePath;
        _paths = new HashSet<string>(paths, StringComparer.Ordinal);
    }

    /// <summary>No path is known to be local: every path is written as given (a cluster master's bare paths are on
    /// its default file system).</summary>
    public static SparkLocalPaths None { get; } = new(false, []);

    /// <summary>Every absolute path is local (a local master, where the driver and the executors share this machine's
    /// disks).</summary>
    public static SparkLocalPaths EveryAbsolutePath { get; } = new(true, []);

    /// <summary>Exactly these absolute paths are local (a cluster master with some <c>file:</c> paths).</summary>
    /// <param name="paths">The local paths, absolute and without a scheme.</param>
    /// <returns>The set.</returns>
    public static SparkLocalPaths Only(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return new(false, paths);
    }

    /// <summary>Whether a path is a local absolute path (which Spark must read as a <c>file://</c> URI).</summary>
    /// <param name="path">The path, as the plan or the launcher spells it.</param>
    /// <returns>True for a local absolute path.</returns>
    public bool Contains(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.StartsWith('/') && (_everyAbsolutePath || _paths.Contains(path));
    }

    /// <summary>A path as Spark must see it: a local absolute path as a <c>file://</c> URI, any other as given.</summary>
    /// <param name="path">The path.</param>
    /// <returns>The URI or path.</returns>
    public string Uri(string path) => Contains(path) ? "file://" + path : path;
}
