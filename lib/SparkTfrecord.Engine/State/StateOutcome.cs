namespace SparkTfrecord.Engine.State;

/// <summary>What a run did with its state, as the summary's <c>state</c> says it.</summary>
/// <param name="Used">The day of the snapshot used, or null (the run read the full window).</param>
/// <param name="Written">The day of the snapshot written, or null.</param>
/// <param name="Reason">Why the snapshot was or was not used (and, when none was written, why not).</param>
internal sealed record StateOutcome(DateOnly? Used, DateOnly? Written, string Reason);
