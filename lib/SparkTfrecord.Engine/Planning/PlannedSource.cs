using SparkTfrecord.Engine.Config;

namespace SparkTfrecord.Engine.Planning;

/// <summary>A source of one run: its configuration, the paths its template expands to and the files found there.</summary>
/// <param name="Config">The source's configuration.</param>
/// <param name="Paths">The expanded paths (folders, files or globs).</param>
/// <param name="Files">The data files found under <see cref="Paths"/>, sorted; empty when not resolved.</param>
/// <param name="MissingPaths">Paths where nothing was found.</param>
/// <param name="KeyColumns">Columns used to join, de-duplicate or hash: read as text, and a null one quarantines the row.</param>
internal sealed record PlannedSource(
    SourceConfig Config,
    IReadOnlyList<string> Paths,
    IReadOnlyList<string> Files,
    IReadOnlyList<string> MissingPaths,
    IReadOnlyList<string> KeyColumns)
{
    /// <summary>The source's name.</summary>
    public string Name => Config.Name;

    /// <summary>Whether this is an event source (it has a time column).</summary>
    public bool IsEvents => Config.Time is not null;

    /// <summary>For a CSV or JSON-lines source read by the embedded engine: what the job read of each file itself
    /// (<see cref="InputScan"/>), in the order of <see cref="Files"/>; null when not scanned.</summary>
    public IReadOnlyList<TextFileScan>? Scans { get; init; }

    /// <summary>For a CSV source: the names of the files' columns in file order (the header's, with the job's
    /// <c>columns</c> in their place), so the reader is told the columns rather than guessing them; null when not
    /// known (the reader then detects them).</summary>
    public IReadOnlyList<string>? CsvColumns { get; init; }

    /// <summary>For a partitioned metastore table source (<see cref="SourceConfig.Table"/>): the days read, ascending,
    /// from its partition's <c>days</c> (the same rule as a path template's days); null otherwise.</summary>
    public IReadOnlyList<DateOnly>? TableDays { get; init; }

    /// <summary>The longest line of the source's files in bytes (0 when not scanned).</summary>
    public long LongestLine => Scans is null || Scans.Count == 0 ? 0 : Scans.Max(s => s.LongestLine);
}
