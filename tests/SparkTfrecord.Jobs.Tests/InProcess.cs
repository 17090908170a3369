using System.Text;

namespace SparkTfrecord.Jobs.Tests;

/// <summary>
/// Runs a sparktf command line inside the test process, through the same <see cref="Cli"/> entry the program uses, with
/// stdout, stderr and stdin in memory. For tests where no process boundary is under test (signals, kills, the
/// environment and the working directory are; those use <see cref="Sparktf"/>). Paths given must be absolute: the
/// test process's working directory is shared by every test.
/// </summary>
internal static class InProcess
{
    public static Sparktf.Result Run(params string[] args) => RunWithInput(null, args);

    public static Sparktf.Result RunWithInput(string? stdin, params string[] args)
    {
        var stdout = new MemoryStream();
        var stderr = new StringWriter();
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(stdin ?? ""));
        int code;
        using (var context = new CliContext(stdout, stderr, input, stderrIsTerminal: false))
        {
            code = Cli.Run(args, context);
        }

        byte[] bytes = stdout.ToArray();
        return new Sparktf.Result(code, Encoding.UTF8.GetString(bytes), stderr.ToString(), bytes);
    }
}
