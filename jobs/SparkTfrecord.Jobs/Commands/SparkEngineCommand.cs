using System.CommandLine;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Jobs;
using SparkTfrecord.Engine.Spark;

namespace SparkTfrecord.Jobs.Commands;

/// <summary><c>--engine spark</c> of <c>plan</c> and <c>samples</c>.</summary>
internal static partial class SparkEngineCommand
{
    /// <summary><c>sparktf plan --engine spark</c>: the script(s) that <c>samples</c> would run, on stdout.</summary>
    public static int Plan(CliContext context, ParseResult result, JobOptions o, SparkOptions spark)
    {
        var dates = DateOnlyOption.ParseRange(result.GetValue(o.Date)!);
        string output = result.GetValue(o.Output) ?? throw new UsageException("--output is required with --engine spark: the script writes there.");
        var definition = SamplesStart.Load(result.GetValue(o.Spec)!, o.Overrides(result));
        foreach (var date in dates)
        {
            var setup = Setup(context.Err, result, o, spark, definition, date, output, resolveLocalInputs: result.GetValue(o.Input) is not null);
            if (setup is null)
            {
                return ExitCodes.Failure;
            }

            // The script writes --output itself, so it can be run by hand (docs/spark.md, "Debugging with --master
            // local[*]"); a launch writes a hidden work folder first, which --dry-run shows.
            context.Out.Write(setup.ScriptText());
        }

        return ExitCodes.Success;
    }

    private static SparkSetup? Setup(TextWriter err, ParseResult result, JobOptions o, SparkOptions spark, JobDefinition definition, DateOnly date, string output, bool resolveLocalInputs)
    {
        var options = spark.RunOptions(result, date, result.GetValue(o.Input), output);
        try
        {
            return SparkSetup.Create(definition, options, resolveLocalInputs);
        }
        catch (InvalidOperationException e)
        {
            err.WriteLine($"sparktf: {e.Message}");
            return null;
        }
    }
}
