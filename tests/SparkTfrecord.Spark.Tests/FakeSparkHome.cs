namespace SparkTfrecord.Spark.Tests;

/// <summary>
/// A Spark installation for an in-process launch: bin/spark-sql and bin/spark-submit that set the fake's environment
/// (FAKE_SPARK_*) and exec the fake (fake-spark/), so a test gives the launcher <c>--spark-home</c> instead of changing
/// the test process's environment. The fake keeps its process id (exec), so a signal sent to "Spark" reaches it; it
/// starts with SIGINT and SIGTERM at their defaults (env --default-signal), as <see cref="RunningProcess"/> explains.
/// The stand-in Hadoop <c>yarn</c> is written the same way to <see cref="Yarn"/>.
/// </summary>
internal static class FakeSparkHome
{
    private static readonly string s_fake = Processes.InRepo("tests", "SparkTfrecord.Spark.Tests", "fake-spark", "bin");

    /// <summary>Writes the installation into <paramref name="folder"/> and returns it; null values unset a variable.</summary>
    public static string Create(string folder, IReadOnlyDictionary<string, string?> environment)
    {
        var lines = environment.Select(e => e.Value is null ? $"unset {e.Key}" : $"export {e.Key}={Quote(e.Value)}").ToList();
        foreach (string program in new[] { "spark-sql", "spark-submit", Path.Combine("..", "hadoop", "bin", "yarn") })
        {
            string path = Path.GetFullPath(Path.Combine(folder, "bin", program));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, string.Join('\n', ["#!/usr/bin/env bash", .. lines, $"exec env --default-signal=INT,TERM {Quote(Path.GetFullPath(Path.Combine(s_fake, program)))} \"$@\"", ""]));
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return folder;
    }

    /// <summary>The stand-in <c>yarn</c> of an installation <see cref="Create"/> wrote.</summary>
    public static string Yarn(string folder) => Path.Combine(folder, "hadoop", "bin", "yarn");

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
