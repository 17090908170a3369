using System.CommandLine;
using SparkTfrecord.Jobs.Commands;

namespace SparkTfrecord.Jobs;

/// <summary>Builds the root command and runs it: data to stdout, diagnostics to stderr, documented exit codes.</summary>
internal static class Cli
{
    /// <summary>Runs a command line as the <c>sparktf</c> program: over the process's console and signals.</summary>
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
        var root = new RootCommand("SparkTfrecord: turn click logs into TFRecord files of tf.train.Example, and inspect, count and write TFRecord files.")
        {
            InspectCommand.Create(context),
            CountCommand.Create(context),
            WriteCommand.Create(context),
            IndexCommand.Create(context),
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
                context.Err.WriteLine($"sparktf: {error.Message}");
            }

            context.Err.WriteLine("Run 'sparktf --help' (or 'sparktf COMMAND --help') for usage.");
            return ExitCodes.Usage;
        }

        string command = args.FirstOrDefault(a => !a.StartsWith('-')) ?? "sparktf";
        Termination termination = context.Termination;
        bool stoppable = parsed.Action is System.CommandLine.Invocation.AsynchronousCommandLineAction;
        try
        {
            if (stoppable)
            {
                termination.CommandStarting(command);
            }

            // System.CommandLine's own signal handler stays off (ProcessTerminationTimeout null): Termination says why.
            // The token given here is linked into the one each action receives.
            var invocation = new InvocationConfiguration { Output = context.Out, Error = context.Err, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            int code = parsed.InvokeAsync(invocation, termination.Token).GetAwaiter().GetResult();
            context.Out.Flush(); // here, so that a failure to write the output is reported like any other
            if (stoppable && termination.Signal is not null && code == ExitCodes.Success)
            {
                // The signal came after the command's last step: its work is complete, but the run still reports the signal.
                throw new CommandStoppedException("");
            }

            return code;
        }
        catch (Exception e)
        {
            var (code, message) = ErrorReport.For(e, command, termination);
            context.Err.WriteLine(message);
            return code;
        }
        finally
        {
            termination.CommandEnded();
        }
    }
}
