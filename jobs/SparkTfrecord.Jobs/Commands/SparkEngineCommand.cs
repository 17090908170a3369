using System.CommandLine;
using SparkTfrecord.Engine.Config;
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
        if (!TryLoad(context.Err, result, o, out var definition))
        {
            return ExitCodes.Failure;
        }

        foreach (var date in dates)
        {
            var setup = Setup(context.Err, result, o, spark, definition, date, output, resolveLocalInputs: result.GetValue(o.Input) is not null);
            if (setup is null)
            {
                return ExitCodes.Failure;
            }

            // The script writes --output itself, so it can be run by hand (docs/spark.md, "Debugging with --master
            // local[*]"); a launch writes a hidden work folder first, which --dry-run shows.
            context.Out.Write(setup.Script().Text());
        }

        return ExitCodes.Success;
    }

    /// <summary>How a dry run spells the part of the work folder's name that a launch chooses.</summary>
    internal const string LaunchId = "<pid>-<id>";

    /// <summary>
    /// Where a launch's Spark writes, as a dry run shows it: a local connector output is written into a hidden
    /// work folder whose name is only known at launch (its form, with <see cref="LaunchId"/>), then moved into place;
    /// null when Spark writes the default target (the native writer's Parquet folder, or a cluster output).
    /// </summary>
    internal static string? LaunchTarget(SparkSetup setup) =>
        setup.OutputIsLocal && setup.Staging is null ? WorkDirectoryForm(setup.Output) : null;

    /// <summary>The form of the committer's work folder for an output (OutputCommitter.Begin names it
    /// <c>.&lt;leaf&gt;.tmp-&lt;pid&gt;-&lt;guid&gt;</c> beside the output; a test compares a dry run with a launch).</summary>
    private static string WorkDirectoryForm(string output) =>
        Path.Combine(Path.GetDirectoryName(output) ?? "", $".{Path.GetFileName(output)}.tmp-{LaunchId}");

    /// <summary>A dry run's account of where the samples go: what Spark writes, and where it ends up.</summary>
    internal static string DescribeOutput(SparkSetup setup)
    {
        if (!setup.OutputIsLocal)
        {
            return $"Spark writes {setup.Output} itself (a cluster path: no work folder, so a failed run leaves it without _SUCCESS); sparktf then adds _manifest.json.";
        }

        string work = WorkDirectoryForm(setup.Output);
        return setup.Staging is null
            ? $"Spark writes the hidden work folder {work} ({LaunchId} is chosen at launch: the launcher's process id and a new id); " +
              $"after its _SUCCESS and the count check, sparktf adds _manifest.json and moves the folder to {setup.Output}, replacing any previous output in one step."
            : $"Spark writes Parquet to {setup.Staging}; sparktf encode then writes the shards into the hidden work folder {work} ({LaunchId} is chosen at launch) " +
              $"and moves it to {setup.Output}, replacing any previous output in one step.";
    }

    private static bool TryLoad(TextWriter err, ParseResult result, JobOptions o, out JobDefinition definition) => TryLoad(err, result, o, out definition, out _);

    private static bool TryLoad(TextWriter err, ParseResult result, JobOptions o, out JobDefinition definition, out string? error)
    {
        try
        {
            definition = new JobOverrides(result.GetValue(o.Shards), result.GetValue(o.Compression), result.GetValue(o.MaxBadFraction)).Apply(JobDefinition.Load(result.GetValue(o.Spec)!));
            error = null;
            return true;
        }
        catch (JobConfigException e)
        {
            err.WriteLine($"sparktf: {e.Message}");
            definition = null!;
            error = e.Message;
            return false;
        }
    }

    private static SparkSetup? Setup(TextWriter err, ParseResult result, JobOptions o, SparkOptions spark, JobDefinition definition, DateOnly date, string output, bool resolveLocalInputs)
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
            err.WriteLine($"sparktf: {e.Message}");
            return null;
        }
    }
}
