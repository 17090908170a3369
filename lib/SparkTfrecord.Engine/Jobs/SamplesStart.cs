using SparkTfrecord.Engine.Config;

namespace SparkTfrecord.Engine.Jobs;

/// <summary>
/// The start of a samples run that both engines share: the spec loaded with the command line's overrides applied, and,
/// when the spec is wrong, the failed-before-start summary written where the run's summaries go. One place, so that
/// <c>samples</c> on either engine (and <c>plan</c>) read the same job from the same command line.
/// </summary>
public static class SamplesStart
{
    /// <summary>The spec with <paramref name="overrides"/> applied.</summary>
    /// <param name="spec">The feature spec file (the job's configuration is in it).</param>
    /// <param name="overrides">The command line's overrides.</param>
    /// <returns>The definition the run uses.</returns>
    /// <exception cref="JobConfigException">The spec is wrong.</exception>
    public static JobDefinition Load(string spec, JobOverrides overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        return overrides.Apply(JobDefinition.Load(spec));
    }

    /// <summary>
    /// <see cref="Load"/>; a spec that is wrong also gets the failed-before-start summary (the first day's, status
    /// failed, no counts) in <paramref name="summaryFile"/> (standard output carries no failed summary: see
    /// <see cref="SamplesSummaries.Write"/>), and the error propagates.
    /// </summary>
    /// <param name="spec">The feature spec file.</param>
    /// <param name="overrides">The command line's overrides.</param>
    /// <param name="firstDay">The run's first day.</param>
    /// <param name="output">The output template.</param>
    /// <param name="engine">The engine's name in the summary (<c>duckdb</c>, <c>spark</c>).</param>
    /// <param name="summaryFile">The <c>--summary</c> file, or null.</param>
    /// <param name="stdout">Standard output.</param>
    /// <returns>The definition the run uses.</returns>
    /// <exception cref="JobConfigException">The spec is wrong (nothing ran).</exception>
    public static JobDefinition LoadOrReport(string spec, JobOverrides overrides, DateOnly firstDay, string output, string engine, string? summaryFile, TextWriter stdout)
    {
        try
        {
            return Load(spec, overrides);
        }
        catch (JobConfigException e)
        {
            SamplesSummaries.Write([SamplesSummaries.FailedBeforeStart(firstDay, output, engine, e.Message)], summaryFile, stdout, failed: true);
            throw;
        }
    }

    /// <summary>Refuses what only the Spark engine can run, before the embedded engine starts: a metastore table source
    /// (<c>table:</c>); the message names the source and the path form to write instead.</summary>
    /// <param name="definition">The job.</param>
    /// <exception cref="JobConfigException">A source is a table.</exception>
    public static void CheckEmbeddedEngine(JobDefinition definition) => TableSource.RefuseOnEmbeddedEngine(definition);
}
