namespace SparkTfrecord.Engine.Config;

/// <summary>
/// A history feature: the values of the user's events in <c>[ts - window, ts)</c>, newest first, ties broken by value
/// ascending, at most <see cref="MaxLength"/>.
/// </summary>
/// <param name="Feature">The feature.</param>
/// <param name="Events">The event source.</param>
/// <param name="Value">The value: a column of the events, or of a profile table joined on its key.</param>
/// <param name="Window">The look-back window.</param>
/// <param name="MaxLength">The cap on the list's length.</param>
/// <param name="User">The column that names the user in both the events and the impressions.</param>
/// <param name="Missing">The value listed for an event whose value is missing (for example an item absent from the
/// items table, in a parallel history of categories), keeping parallel histories aligned; null drops such events.</param>
internal sealed record HistoryRule(string Feature, string Events, ColumnRef Value, TimeSpan Window, int MaxLength, string User, string? Missing = null)
{
    /// <summary>The per-step companions of a sequence history (spec <c>of:</c>), in the spec's order; empty otherwise.</summary>
    public IReadOnlyList<StepRule> Steps { get; init; } = [];
}
