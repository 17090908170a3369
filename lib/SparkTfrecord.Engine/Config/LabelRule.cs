namespace SparkTfrecord.Engine.Config;

/// <summary>
/// A label rule: an impression is positive when an event is attributed to it. An event is attributed to the latest
/// impression at or before it with the same <see cref="Match"/> columns, at most <see cref="Within"/> earlier; so one
/// event labels at most one impression and several events count once. Each label of a job is evaluated by its own
/// rule, independently of the others.
/// </summary>
/// <param name="Feature">The label feature it writes (0 or 1).</param>
/// <param name="Events">The event source (clicks).</param>
/// <param name="Match">Columns both sources share (request_id and item_id, or user_id and item_id).</param>
/// <param name="Within">How long after the impression an event may come.</param>
internal sealed record LabelRule(string Feature, string Events, IReadOnlyList<string> Match, TimeSpan Within)
{
    /// <summary>The events that count (<c>filter: {behavior: [cart]}</c>): per column of the event source, the texts
    /// its value may have; empty for every event. An event whose column is null never counts.</summary>
    public IReadOnlyList<LabelFilter> Filter { get; init; } = [];
}
