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
}
