using System.Globalization;

namespace SparkTfrecord.Engine.Generation;

/// <summary>What <see cref="LogGenerator"/> wrote.</summary>
/// <param name="Impressions">Impression rows (duplicates and bad rows included).</param>
/// <param name="Clicks">Click rows.</param>
/// <param name="Users">Users with a profile (a profile changed during the window has more than one row, one per version).</param>
/// <param name="Items">Items in the items table (likewise, one row per version).</param>
public sealed record GeneratedLogs(long Impressions, long Clicks, long Users, long Items)
{
    /// <summary>The counts as one line of JSON, with the output folder's full path.</summary>
    /// <param name="output">The folder the logs were written to.</param>
    /// <returns><c>{"impressions": N, "clicks": N, "users": N, "items": N, "output": "/full/path"}</c>.</returns>
    public string SummaryJson(string output) => string.Create(CultureInfo.InvariantCulture,
        $"{{\"impressions\": {Impressions}, \"clicks\": {Clicks}, \"users\": {Users}, \"items\": {Items}, \"output\": \"{Path.GetFullPath(output).Replace("\\", "\\\\", StringComparison.Ordinal)}\"}}");
}
