using SparkTfrecord.Engine.Jobs;

namespace SparkTfrecord.Engine.Spark;

/// <summary>
/// What a launch did: a summary per day run, and when a day failed, its error (that day's summary is the last, with
/// status failed and the counts known). The days after a failed one are not run.
/// </summary>
/// <param name="Summaries">The days' summaries, in date order.</param>
/// <param name="Failure">The failed day's error as reported on the log (without the <c>sparktf: </c> prefix), or null
/// when every day was committed.</param>
internal sealed record SparkLaunchResult(IReadOnlyList<SamplesSummary> Summaries, string? Failure)
{
    /// <summary>Whether every day was committed.</summary>
    public bool Succeeded => Failure is null;
}
