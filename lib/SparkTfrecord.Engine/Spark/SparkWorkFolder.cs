namespace SparkTfrecord.Engine.Spark;

/// <summary>
/// Where a launch's Spark writes a local output, as a dry run shows it: the committer's hidden work folder beside the
/// output, whose name is only known at launch.
/// </summary>
internal static class SparkWorkFolder
{
    /// <summary>How a dry run spells the part of the work folder's name that a launch chooses.</summary>
    public const string LaunchId = "<pid>-<id>";

    /// <summary>
    /// Where Spark writes: a local connector output is written into a hidden work folder (its form, with
    /// <see cref="LaunchId"/>), then moved into place; null when Spark writes the default target (the native writer's
    /// Parquet folder, or a cluster output).
    /// </summary>
    public static string? LaunchTarget(SparkSetup setup) =>
        setup.OutputIsLocal && setup.Staging is null ? Form(setup.Output) : null;

    /// <summary>A dry run's account of where the samples go: what Spark writes, and where it ends up.</summary>
    public static string DescribeOutput(SparkSetup setup)
    {
        if (!setup.OutputIsLocal)
        {
            return $"Spark writes {setup.Output} itself (a cluster path: no work folder, so a failed run leaves it without _SUCCESS); sparktf then adds _manifest.json.";
        }

        string work = Form(setup.Output);
        return setup.Staging is null
            ? $"Spark writes the hidden work folder {work} ({LaunchId} is chosen at launch: the launcher's process id and a new id); " +
              $"after its _SUCCESS and the count check, sparktf adds _manifest.json and moves the folder to {setup.Output}, replacing any previous output in one step."
            : $"Spark writes Parquet to {setup.Staging}; sparktf encode then writes the shards into the hidden work folder {work} ({LaunchId} is chosen at launch) " +
              $"and moves it to {setup.Output}, replacing any previous output in one step.";
    }

    /// <summary>The form of the committer's work folder for an output (<see cref="Output.OutputCommitter.WorkFolder"/>
    /// with the id a launch chooses; a test compares a dry run with a launch).</summary>
    internal static string Form(string output) => Output.OutputCommitter.WorkFolder(output, LaunchId);
}
