namespace SparkTfrecord.Engine.Config;

/// <summary>A source's time column.</summary>
/// <param name="Column">The column (after renaming).</param>
/// <param name="Unit">How it is stored.</param>
/// <param name="Zone">For <see cref="TimeUnit.Text"/>: the zone that text without an offset is read in (IANA name).</param>
internal sealed record TimeColumn(string Column, TimeUnit Unit, string Zone);
