namespace SparkTfrecord.Engine.Spark;

/// <summary>
/// The <c>hadoop</c> command, for an output on the cluster's file system (HDFS, S3, GCS): the launcher reads the
/// runner's report, checks <c>_SUCCESS</c>, removes stale files and puts <c>_manifest.json</c> with it.
/// </summary>
/// <param name="path">The command's path.</param>
internal sealed class HadoopCommand(string path)
{
    /// <summary>The command of <c>HADOOP_HOME</c>, else the first <c>hadoop</c> on <c>PATH</c>, else null.</summary>
    public static HadoopCommand? Find(string? configured)
    {
        if (configured is not null)
        {
            return new HadoopCommand(configured);
        }

        if (Environment.GetEnvironmentVariable("HADOOP_HOME") is { } home && File.Exists(Path.Combine(home, "bin", "hadoop")))
        {
            return new HadoopCommand(Path.Combine(home, "bin", "hadoop"));
        }

        string? found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => Path.Combine(p, "hadoop")).FirstOrDefault(File.Exists);
        return found is null ? null : new HadoopCommand(found);
    }

    /// <summary><c>hadoop fs ARGS</c>: its exit code and what it printed.</summary>
    public (int ExitCode, string Output) Fs(params string[] arguments) => SparkProcess.RunToEnd(path, ["fs", .. arguments]);

    /// <summary>Whether a file exists (<c>hadoop fs -test -e</c>).</summary>
    public bool Exists(string file) => Fs("-test", "-e", file).ExitCode == 0;

    /// <summary>Removes a file if it is there (<c>hadoop fs -rm -f</c>); true when the command succeeded.</summary>
    public bool Remove(string file) => Fs("-rm", "-f", file).ExitCode == 0;

    /// <summary>Removes a folder and what it holds if it is there (<c>hadoop fs -rm -r -f</c>); true when the command succeeded.</summary>
    public bool RemoveFolder(string folder) => Fs("-rm", "-r", "-f", folder).ExitCode == 0;
}
