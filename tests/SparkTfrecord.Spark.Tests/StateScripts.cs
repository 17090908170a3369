using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Spark;
using SparkTfrecord.Engine.State;

namespace SparkTfrecord.Spark.Tests;

/// <summary>
/// The Spark script of a day that keeps history state (docs/state.md, "The Spark side"), rendered without input files:
/// each stateful source has one file per day of its path window, and the day either uses the day before's snapshot
/// (its stateful sources read only the run day's and the next day's partitions) or has none (full window). The plan is
/// built by the launcher's own code (<see cref="StateRun.PlanWithState"/>); only the file listing is made up.
/// </summary>
internal static class StateScripts
{
    /// <summary>The state folder the renderings use.</summary>
    public const string Folder = "/data/state";

    /// <summary>The setup of a state run for the setup's day, or null when the job keeps no state (its reason is then
    /// the refusal the launcher gives) or the input is not on this machine (the launcher keeps no state then).</summary>
    /// <param name="definition">The job.</param>
    /// <param name="setup">The day's setup, made without listing the input (its input must be local).</param>
    /// <param name="usable">Whether the day before's snapshot is used.</param>
    /// <returns>The setup, or null.</returns>
    public static SparkSetup? WithState(JobDefinition definition, SparkSetup setup, bool usable)
    {
        var (sources, refusal) = StatefulSource.Of(definition.Job);
        if (refusal is not null || setup.LocalInput is not { } input)
        {
            return null;
        }

        var plan = setup.Plan;
        var listed = new Dictionary<string, Engine.Planning.PlannedSource>(plan.Sources, StringComparer.Ordinal);
        foreach (var s in sources)
        {
            listed[s.Name] = plan.Sources[s.Name] with { Files = plan.Sources[s.Name].Paths.Select(PartFile).Order(StringComparer.Ordinal).ToList() };
        }

        var day = plan.Date;
        var previous = day.AddDays(-1);
        var (statePlan, notKept) = StateRun.PlanWithState(plan.WithSources(listed), sources, input, usable ? previous : null,
            usable ? Path.Combine(Folder, "dt=" + StateManifest.Day(previous)) : null, path => [PartFile(path)]);
        Assert.That(statePlan, Is.Not.Null, notKept);
        return setup.WithState(statePlan!, SparkWorkFolder.Form(Path.Combine(Folder, "dt=" + StateManifest.Day(day))));
    }

    private static string PartFile(string partition) => partition + "/part-00000.csv";
}
