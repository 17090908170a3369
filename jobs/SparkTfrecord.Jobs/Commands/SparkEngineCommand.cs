using System.CommandLine;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Spark;

namespace SparkTfrecord.Jobs.Commands;

/// <summary><c>--engine spark</c> of <c>plan</c> and <c>samples</c>.</summary>
internal static partial class SparkEngineCommand
{
    /// <summary><c>sparktf plan --engine spark</c>: the script(s) that <c>samples</c> would run, on stdout.</summary>
    public static int Plan(ParseResult result, JobOptions o, SparkOptions spark)
    {
        var dates = DateOnlyOption.ParseRange(result.GetValue(o.Date)!);
        string output = result.GetValue(o.Output) ?? throw new UsageException("--output is required with --engine spark: the script writes there.");
        if (!TryLoad(result, o, out var definition))
        {
            return ExitCodes.Failure;
        }

        foreach (var date in dates)
        {
            var setup = Setup(result, o, spark, definition, date, output, resolveLocalInputs: result.GetValue(o.Input) is not null);
            if (setup is null)
            {
                return ExitCodes.Failure;
            }

            Console.Out.Write(setup.Script().Text());
        }

        return ExitCodes.Success;
    }

    private static bool TryLoad(ParseResult result, JobOptions o, out JobDefinition definition) => TryLoad(result, o, out definition, out _);

    private static bool TryLoad(ParseResult result, JobOptions o, out JobDefinition definition, out string? error)
    {
        try
        {
            definition = SparkOptions.WithOverrides(JobDefinition.Load(result.GetValue(o.Spec)!), result.GetValue(o.Shards), result.GetValue(o.Compression), result.GetValue(o.MaxBadFraction));
            error = null;
            return true;
        }
        catch (JobConfigException e)
        {
            Console.Error.WriteLine($"sparktf: {e.Message}");
            definition = null!;
            error = e.Message;
            return false;
        }
    }

    private static SparkSetup? Setup(ParseResult result, JobOptions o, SparkOptions spark, JobDefinition definition, DateOnly date, string output, bool resolveLocalInputs)
    {
        var options = spark.RunOptions(result, date, result.GetValue(o.Input), output);
        try
        {
            return SparkSetup.Create(definition, options, resolveLocalInputs);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"sparktf: {e.Message}");
            return null;
        }
    }
}
