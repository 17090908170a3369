namespace SparkTfrecord.Engine.Spark;

/// <summary>What the PySpark runner's report file says (see <see cref="SparkReport.ParseFile"/>).</summary>
/// <param name="Counts">The report row's counts by name (at least <c>written</c>), or null when the run reported none.</param>
/// <param name="InputCounts">The input counts row's counts when a statement failed after it, or null.</param>
/// <param name="Failure">The failed statement and its error, or null.</param>
internal sealed record SparkReportFile(Dictionary<string, long>? Counts, Dictionary<string, long>? InputCounts, string? Failure);
