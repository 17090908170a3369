using System.Text.RegularExpressions;

namespace SparkTfrecord.Engine.Spark;

/// <summary>
/// A Spark application on YARN (cluster deploy mode), found from what spark-submit prints, and killed with
/// <c>yarn application -kill ID</c> when the launch is stopped. Killing spark-submit alone leaves the application
/// running: in cluster mode spark-submit is only YARN's client (Spark's
/// <c>resource-managers/yarn/src/main/scala/org/apache/spark/deploy/yarn/Client.scala</c>, <c>Client.run</c>: it
/// submits, then polls <c>monitorApplication</c>, or exits at once when <c>spark.yarn.submit.waitAppCompletion</c> is
/// false); it kills the application only on a <c>SparkLauncher</c> stop request (<c>launcherBackend.onStopRequest</c>),
/// never on a signal. A scheduler's retry after a stop would otherwise run a second copy beside the first.
/// </summary>
internal static partial class YarnApplication
{
    /// <summary>How long <c>yarn application -kill</c> may take before it is given up.</summary>
    public const int KillTimeoutSeconds = 60;

    /// <summary>
    /// The application id in a line spark-submit printed, or null: Spark's YARN client logs
    /// <c>Submitting application application_..._NNNN to ResourceManager</c> (<c>Client.submitApplication</c>) and then
    /// <c>Application report for application_..._NNNN (state: ...)</c> (<c>Client.monitorApplication</c>).
    /// </summary>
    public static string? IdIn(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var match = SubmittedOrReported().Match(line);
        return match.Success ? match.Groups["id"].Value : null;
    }

    /// <summary>
    /// The <c>yarn</c> command: <paramref name="configured"/> (the tests' stand-in; null when that file does not exist), else <c>$HADOOP_YARN_HOME/bin/yarn</c>, else
    /// <c>$HADOOP_HOME/bin/yarn</c> (where Hadoop's distribution has it, beside <c>bin/hadoop</c>), else the first
    /// <c>yarn</c> on <c>PATH</c>; null when there is none.
    /// </summary>
    public static string? FindYarn(string? configured)
    {
        if (configured is not null)
        {
            return File.Exists(configured) ? configured : null;
        }

        foreach (string variable in new[] { "HADOOP_YARN_HOME", "HADOOP_HOME" })
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } home && File.Exists(Path.Combine(home, "bin", "yarn")))
            {
                return Path.Combine(home, "bin", "yarn");
            }
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => Path.Combine(p, "yarn")).FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// Kills the application (<c>yarn application -kill ID</c>, at most <see cref="KillTimeoutSeconds"/>) and says what
    /// happened, as a clause of the stop's message; <paramref name="id"/> null (spark-submit printed none before the
    /// stop) or a missing <c>yarn</c> says that the application may still run and how to kill it.
    /// </summary>
    /// <param name="id">The application id spark-submit printed, or null.</param>
    /// <param name="yarn">The <c>yarn</c> command (see <see cref="FindYarn"/>), or null.</param>
    /// <param name="name">The application's name (<c>--name</c>), to find it with <c>yarn application -list</c>.</param>
    public static string Kill(string? id, string? yarn, string name)
    {
        if (id is null)
        {
            return "spark-submit printed no YARN application id before the stop, so none was killed: if it had submitted one, " +
                   $"it may still run on the cluster; find it with 'yarn application -list' (its name is {name}) and kill it with 'yarn application -kill <id>'";
        }

        if (yarn is null)
        {
            return $"the YARN application {id} may still run on the cluster: no yarn command was found (HADOOP_YARN_HOME, HADOOP_HOME or PATH) to kill it; " +
                   $"kill it with 'yarn application -kill {id}'";
        }

        int code;
        string output;
        try
        {
            (code, output) = SparkProcess.RunToEnd(yarn, ["application", "-kill", id], KillTimeoutSeconds);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"the YARN application {id} may still run on the cluster: {yarn} could not be started ({e.Message}); kill it with 'yarn application -kill {id}'";
        }

        return code == 0
            ? $"the YARN application {id} was killed ({yarn} application -kill {id})"
            : $"the YARN application {id} may still run on the cluster: '{yarn} application -kill {id}' failed (exit {code}: {OneLine(output)}); kill it with 'yarn application -kill {id}'";
    }

    private static string OneLine(string text)
    {
        string line = string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length > 300 ? line[..300] + "..." : line;
    }

    [GeneratedRegex(@"(?:Submitting application|Application report for) (?<id>application_[0-9]+_[0-9]+)\b")]
    private static partial Regex SubmittedOrReported();
}
