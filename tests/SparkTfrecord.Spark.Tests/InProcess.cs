using System.Text;
using SparkTfrecord.Jobs;

namespace SparkTfrecord.Spark.Tests;

/// <summary>
/// Runs a sparktf command line inside the test process, through the same <see cref="Cli"/> entry the program uses, with
/// stdout and stderr in memory (the pattern of the jobs tests' InProcess). For tests where no process boundary of
/// sparktf is under test; signals, a missing SPARK_HOME and the working directory use <see cref="Sparktf"/>. Paths
/// must be absolute: the test process's working directory is shared by every test.
/// </summary>
internal static class InProcess
{
    public static ProcessResult Run(params string[] args)
    {
        var stdout = new MemoryStream();
        var stderr = new StringWriter();
        using var stdin = new MemoryStream();
        int code;
        using (var context = new CliContext(stdout, stderr, stdin, stderrIsTerminal: false))
        {
            code = Cli.Run(args, context);
        }

        return new ProcessResult(code, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    /// <summary>
    /// Generates the Spark fixtures' logs into <paramref name="logs"/>: the run day 2024-05-16 and its 15-day look-back
    /// (from 2024-05-01), of the given size, seed 5 unless said otherwise.
    /// </summary>
    public static void GenerateLogs(string logs, int impressionsPerDay, int users, int items, int seed = 5)
    {
        var gen = Run("gen-logs", "--output", logs, "--date", "2024-05-01", "--days", "16", "--impressions-per-day", Text(impressionsPerDay),
            "--users", Text(users), "--items", Text(items), "--seed", Text(seed));
        Assert.That(gen.ExitCode, Is.Zero, gen.Output);
    }

    private static string Text(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
