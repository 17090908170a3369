namespace SparkTfrecord.Engine.Spark;

/// <summary>The command line of a Spark run: spark-sql (client mode) or spark-submit of the PySpark runner (cluster
/// mode), and how it is shown in the log and a dry run.</summary>
internal static class SparkSubmitArguments
{
    /// <summary>The spark-sql (client) or spark-submit (cluster) arguments.</summary>
    /// <param name="options">The day's options.</param>
    /// <param name="name">The application's name.</param>
    /// <param name="packages">The connector jar's coordinates for <c>--packages</c>, or null.</param>
    /// <param name="script">The script's path (client) or the path shipped with <c>--files</c> (cluster).</param>
    /// <param name="runner">The PySpark runner (cluster mode), or null for spark-sql.</param>
    /// <param name="report">Where the runner writes its report (cluster mode).</param>
    public static List<string> For(SparkRunOptions options, string name, string? packages, string script, string? runner, string report)
    {
        var args = new List<string> { "--master", options.Master, "--deploy-mode", options.DeployMode == SparkDeployMode.Cluster ? "cluster" : "client", "--name", name };
        if (packages is not null)
        {
            args.Add("--packages");
            args.Add(packages);
        }

        foreach (string conf in options.SparkConf)
        {
            args.Add("--conf");
            args.Add(conf);
        }

        if (runner is null)
        {
            // spark-sql prints the report row's column names, so the launcher finds the count by name.
            args.AddRange(["--hiveconf", "hive.cli.print.header=true", "-f", script]);
        }
        else
        {
            args.AddRange(["--files", script, runner, Path.GetFileName(script), "--report", report]);
        }

        return args;
    }

    /// <summary>A program and its arguments as a POSIX shell command line.</summary>
    public static string Shown(string program, IEnumerable<string> arguments) => $"{Quote(program)} {string.Join(' ', arguments.Select(Quote))}";

    /// <summary>Quotes an argument for a POSIX shell when it needs it.</summary>
    private static string Quote(string s) =>
        s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%$".Contains(c)) ? s : "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
