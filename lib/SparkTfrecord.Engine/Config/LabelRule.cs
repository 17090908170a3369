namespace SparkTfrecord.Engine.Config;

/// <summary>
/// The label rule: an impression is positive when a click is attributed to it. A click is attributed to the latest
/// impression at or before it with the same <see cref="Match"/> columns, at most <see cref="Within"/> earlier; so one
/// click labels at most one impression and several clicks count once.
/// </summary>
/// <param name="Events">The click source.</param>
/// <param name="Match">Columns both sources share (request_id and item_id, or user_id and item_id).</param>
/// <param name="Within">How long after the impression a click may come.</param>
internal sealed record LabelRule(string Events, IReadOnlyList<string> Match, TimeSpan Within);
