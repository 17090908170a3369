namespace SparkTfrecord.Engine.State;

/// <summary>
/// What the plan of one run needs to read a snapshot and write the next (docs/state.md): the stateful sources, the
/// day of each of their files (by the file's index in the plan's list, the <c>__file</c> of its rows), the snapshot
/// used (or null: the run read the full window) and the days the next snapshot covers.
/// </summary>
/// <param name="Sources">The stateful sources.</param>
/// <param name="FileDays">Per stateful source, the partition day of each of its plan's files, in the plan's order.</param>
/// <param name="Previous">The folder of the snapshot used, or null.</param>
/// <param name="Date">The run's day.</param>
internal sealed record StatePlan(
    IReadOnlyList<StatefulSource> Sources,
    IReadOnlyDictionary<string, IReadOnlyList<DateOnly>> FileDays,
    string? Previous,
    DateOnly Date)
{
    /// <summary>The table holding the next snapshot's events of a history.</summary>
    /// <param name="feature">The history's feature.</param>
    /// <returns>The table's name.</returns>
    public static string NextEvents(string feature) => "state_next_events_" + feature;

    /// <summary>The table holding the next snapshot's carried rows of a source.</summary>
    /// <param name="source">The source.</param>
    /// <returns>The table's name.</returns>
    public static string NextCarry(string source) => "state_next_carry_" + source;

    /// <summary>The table holding the rows read and quarantined per partition of a source in this run.</summary>
    /// <param name="source">The source.</param>
    /// <returns>The table's name.</returns>
    public static string NextCounts(string source) => "state_next_counts_" + source;

    /// <summary>The file of a history's events in a snapshot.</summary>
    /// <param name="feature">The history's feature.</param>
    /// <returns>The file name.</returns>
    public static string EventsFile(string feature) => $"events_{feature}.parquet";

    /// <summary>The file of a source's carried rows in a snapshot.</summary>
    /// <param name="source">The source.</param>
    /// <returns>The file name.</returns>
    public static string CarryFile(string source) => $"carry_{source}.parquet";
}
