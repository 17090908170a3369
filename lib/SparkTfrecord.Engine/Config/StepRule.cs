namespace SparkTfrecord.Engine.Config;

/// <summary>
/// A per-step companion of a sequence history (issue 14): one value per event of the history, aligned with it (the same
/// events, in the same order, cut by the same window and <c>max_length</c>). The spec's <c>of:</c> names the history;
/// the job's <c>history:</c> entry of the companion gives its value.
/// </summary>
/// <param name="Feature">The companion feature.</param>
/// <param name="Value">The value: a column of the history's events, or of a keyed table joined on the events' key
/// column; null for <see cref="TimeDelta"/>.</param>
/// <param name="Missing">The value written for an event whose value is missing or does not convert (the
/// companion's <c>missing:</c>, by default the feature's padding), as text: a step is never dropped, so the lists stay
/// aligned.</param>
/// <param name="TimeDelta">True for <c>time_delta: seconds</c>: the impression's time less the event's, in seconds
/// (whole seconds, rounded down, for an int64 feature; fractional for a float one).</param>
internal sealed record StepRule(string Feature, ColumnRef? Value, string Missing, bool TimeDelta)
{
    /// <summary>Where the value is written (for messages while the job section is read); null otherwise.</summary>
    internal SparkTfrecord.Spec.Yaml.YamlNode? At { get; init; }
}
