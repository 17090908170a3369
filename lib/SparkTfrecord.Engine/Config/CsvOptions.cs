namespace SparkTfrecord.Engine.Config;

/// <summary>Options of a CSV source.</summary>
/// <param name="Header">Whether the first line names the columns.</param>
/// <param name="Delimiter">The field delimiter.</param>
/// <param name="Columns">The column names when there is no header, in file order.</param>
internal sealed record CsvOptions(bool Header, char Delimiter, IReadOnlyList<string> Columns);
