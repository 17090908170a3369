using System.CommandLine;
using SparkTfrecord.Jobs.Commands;
using SparkTfrecord.Tfrecord;

namespace SparkTfrecord.Jobs;

/// <summary>Builds the root command and runs it: data to stdout, diagnostics to stderr, documented exit codes.</summary>
internal static class Cli
{
    /// <summary>Runs a command line as the <c>sparktf</c> program: over the process's console.</summary>
    public static int Run(string[] args)
    {
        using var context = CliContext.ForConsole();
        return Run(args, context);
    }

    /// <summary>Runs a command line over the given streams (tests run commands in process through this).</summary>
    public static int Run(string[] args, CliContext context)
    {
        try
        {
            return RunCommand(args, context);
        }
        finally
        {
            context.Flush();
        }
    }

    private static int RunCommand(string[] args, CliContext context)
    {
        TextWriter stdout = context.Out;
        TextWriter stderr = context.Err;
        var root = new RootCommand("SparkTfrecord: turn click logs into TFRecord files of tf.train.Example, and inspect, count and write TFRecord files.")
        {
            InspectCommand.Create(context),
            CountCommand.Create(context),
            WriteCommand.Create(context),
            GenLogsCommand.Create(context),
            SamplesCommand.Create(context),
            PlanCommand.Create(context),
            EncodeCommand.Create(context),
            SpecCommand.Create(context),
            ValidateCommand.Create(context),
            SchemaCommand.Create(context),
        };

        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                stderr.WriteLine($"sparktf: {error.Message}");
            }

            stderr.WriteLine("Run 'sparktf --help' (or 'sparktf COMMAND --help') for usage.");
            return ExitCodes.Usage;
        }

        try
        {
            ThrowForTest();
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is SparkTfrecord.Spec.SpecException or TfRecordFormatException or IOException or FormatException or UnauthorizedAccessException or UsageException)
        {
            stderr.WriteLine($"sparktf: {e.Message}");
            return e is UsageException ? ExitCodes.Usage : ExitCodes.Failure;
        }
        catch (OutOfMemoryException)
        {
            // .NET ran out of memory outside a phase that says which (a phase of samples reports its own).
            stderr.WriteLine($"sparktf: {CommandName(args)}: out of memory (the process could not allocate more). Free memory, or give the job less at a time: " +
                "fewer inputs per run, and for samples a lower --memory-limit with --spill-dir on a disk with room.");
            return ExitCodes.Failure;
        }
        catch (Exception e)
        {
            // The last line of defence: every failure a user can cause has its own message; anything else is a bug,
            // reported in one line (no stack trace reaches a user) with what a report needs.
            stderr.WriteLine($"sparktf: internal error in '{CommandName(args)}': {e.GetType().Name}: {OneLine(e.Message)}. " +
                "This is a bug in sparktf, not in your data: please report it with the command line and this message.");
            return ExitCodes.Failure;
        }
    }

    /// <summary>Test-only hook: <c>bug</c> or <c>oom</c> throws what a bug or an exhausted heap would, to prove
    /// that neither reaches the user as a stack trace.</summary>
    public const string ThrowVariable = "SPARKTF_TEST_THROW";

    private static void ThrowForTest()
    {
        switch (Environment.GetEnvironmentVariable(ThrowVariable))
        {
            case "bug":
                throw new InvalidOperationException("test hook: a bug");
            case "oom":
                throw new OutOfMemoryException();
        }
    }

    private static string CommandName(string[] args) => args.FirstOrDefault(a => !a.StartsWith('-')) ?? "sparktf";

    private static string OneLine(string text) => string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

/// <summary>A command line that parses but makes no sense (for example conflicting options); exits with 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
