using System.CommandLine;
using SparkTfrecord.Engine.Jobs;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Engine.Sql;

namespace SparkTfrecord.Jobs.Commands;

/// <summary><c>sparktf plan</c>: the SQL that <c>samples</c> would run with the same options, printed instead of run.</summary>
internal static class PlanCommand
{
    public static Command Create(CliContext context)
    {
        var options = new JobOptions();
        var spark = new SparkOptions();
        var command = options.AddTo(new Command("plan", "Print the SQL the chosen engine would run for 'samples', without running it; it takes the options of 'samples' that shape the SQL."));
        spark.AddTo(command, withDryRun: false);
        EngineOptionRules.AddTo(command, options, spark);

        // plan prints, it does not run: the options that only matter to a run or a launch are not offered.
        foreach (Option option in options.RunOnly.Concat(spark.LaunchOnly))
        {
            command.Options.Remove(option);
        }

        command.SetAction(result =>
        {
            if (result.GetValue(options.Engine) == "spark")
            {
                return SparkEngineCommand.Plan(context, result, options, spark);
            }

            var definition = SamplesStart.Load(result.GetValue(options.Spec)!, options.Overrides(result));
            SamplesStart.CheckEmbeddedEngine(definition);
            foreach (var date in DateOnlyOption.ParseRange(result.GetValue(options.Date)!))
            {
                context.Out.Write($"-- sparktf plan: {definition.File}, date {PathTemplate.Format(date)}, engine duckdb\n");
                context.Out.Write(PlanRenderer.DuckDbScript(definition, date, result.GetValue(options.Input)));
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
