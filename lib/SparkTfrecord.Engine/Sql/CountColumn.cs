namespace SparkTfrecord.Engine.Sql;

/// <summary>One column of a row of counts that an engine computes: the count it gives and how the SQL names it.</summary>
/// <param name="Count">The count's name, a key of the summary's and the manifest's counts (written, read.SOURCE, ...;
/// see <see cref="RunCounts"/>).</param>
/// <param name="Column">The column's name in the row.</param>
/// <param name="Sql">The expression that computes it.</param>
internal sealed record CountColumn(string Count, string Column, string Sql);
