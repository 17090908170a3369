using System.Globalization;
using SparkTfrecord.Engine.Sql;

namespace SparkTfrecord.Engine.Spark;

/// <summary>Reads the script's report: the count of samples written and the other counts of its last query.</summary>
internal static class SparkReport
{
    /// <summary>The runner's form and the report file's: <c>SPARKTF_SAMPLES_WRITTEN=&lt;n&gt;</c>.</summary>
    public const string Key = "SPARKTF_SAMPLES_WRITTEN";

    /// <summary>
    /// Finds the report in what spark-sql or the runner printed on stdout: <c>SPARKTF_SAMPLES_WRITTEN=n</c> (the runner),
    /// a header line naming <c>sparktf_samples_written</c> followed by the values (spark-sql with
    /// <c>hive.cli.print.header=true</c>), or the last line of tab-separated integers (spark-sql's default), whose first
    /// value is the count.
    /// </summary>
    /// <param name="lines">The stdout lines.</param>
    /// <param name="columns">The report's columns (see <see cref="SparkScriptText.Report"/>).</param>
    /// <returns>Counts by name (at least <c>written</c>), or null when there is no report.</returns>
    public static Dictionary<string, long>? Parse(IReadOnlyList<string> lines, IReadOnlyList<CountColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(columns);
        for (int i = lines.Count - 1; i >= 0; i--)
        {
            string[] header = lines[i].Trim().Split('\t');
            if (header.Contains(SparkScript.ReportColumnName) && i + 1 < lines.Count)
            {
                string[] values = lines[i + 1].Trim().Split('\t');
                var counts = CountsByHeader(header, values, columns);

                return counts.ContainsKey(RunCounts.Written) ? counts : null;
            }

            if (FromKeyLine(lines[i]) is { } written)
            {
                return new Dictionary<string, long>(StringComparer.Ordinal) { [RunCounts.Written] = written };
            }
        }

        for (int i = lines.Count - 1; i >= 0; i--)
        {
            string[] values = lines[i].Trim().Split('\t');
            if ((values.Length == columns.Count || values.Length == 1) && values.All(v => long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                var counts = new Dictionary<string, long>(StringComparer.Ordinal);
                for (int k = 0; k < values.Length; k++)
                {
                    counts[columns[k].Count] = long.Parse(values[k], CultureInfo.InvariantCulture);
                }

                return counts;
            }
        }

        return null;
    }

    /// <summary>
    /// Finds the input counts row that the script prints before its bad-rows check (spark-sql with
    /// <c>hive.cli.print.header=true</c>: a header line naming <c>sparktf_rows_read</c>, then the values).
    /// </summary>
    /// <param name="lines">The stdout lines.</param>
    /// <param name="columns">The row's columns (see <see cref="SparkScriptText.InputCounts"/>).</param>
    /// <returns>Counts by name (<c>rows_read</c>, <c>rows_bad</c>, <c>read.SOURCE</c>, <c>quarantined.SOURCE</c>), or null.</returns>
    public static Dictionary<string, long>? ParseInputCounts(IReadOnlyList<string> lines, IReadOnlyList<CountColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(columns);
        for (int i = lines.Count - 2; i >= 0; i--)
        {
            string[] header = lines[i].Trim().Split('\t');
            if (!header.Contains(SparkScript.RowsReadColumn))
            {
                continue;
            }

            string[] values = lines[i + 1].Trim().Split('\t');
            return WithTotals(CountsByHeader(header, values, columns));
        }

        return null;
    }

    // Input counts that have both totals (rows_read and rows_bad), else null.
    private static Dictionary<string, long>? WithTotals(Dictionary<string, long> inputs) =>
        inputs.ContainsKey("rows_read") && inputs.ContainsKey("rows_bad") ? inputs : null;

    /// <summary>The counts of a row printed under its header (spark-sql with <c>hive.cli.print.header=true</c>): each
    /// header column the script declared, with an integer value, under its count name.</summary>
    private static Dictionary<string, long> CountsByHeader(string[] header, string[] values, IReadOnlyList<CountColumn> columns)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        for (int k = 0; k < header.Length && k < values.Length; k++)
        {
            var column = columns.FirstOrDefault(c => c.Column == header[k]);
            if (column is not null && long.TryParse(values[k], NumberStyles.None, CultureInfo.InvariantCulture, out long v))
            {
                counts[column.Count] = v;
            }
        }

        return counts;
    }

    /// <summary>Whether a line of Spark's output is the bad-rows check's error: the message the script gives
    /// <c>assert_true</c> (Spark 3.2 and later), or Spark's own <c>'sparktf_bad_rows_within_limit#N' is not true!</c>
    /// (Spark 2.4 to 3.1). A line echoing the statement itself (it contains <c>assert_true(</c>) is not.</summary>
    /// <param name="line">The line.</param>
    /// <returns>True for the check's error.</returns>
    public static bool IsBadRowsFailure(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Contains("assert_true(", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return line.Contains(SparkScript.TooManyBadRows + ":", StringComparison.Ordinal) ||
               (line.Contains(SparkScript.WithinLimitColumn, StringComparison.Ordinal) && line.Contains("is not true", StringComparison.Ordinal));
    }

    /// <summary>The runner's failure line in its report file: <c>SPARKTF_FAILED=statement i of n (line l): error</c>.</summary>
    public const string FailedKey = "SPARKTF_FAILED";

    /// <summary>
    /// Reads the PySpark runner's report file (cluster mode): after a successful run <c>SPARKTF_SAMPLES_WRITTEN=n</c>,
    /// then a <c>name=value</c> line per column of the report row; after a failed statement the input counts row's
    /// <c>name=value</c> lines (when it ran) and <c>SPARKTF_FAILED=...</c>. Column names are mapped to the same count
    /// names as <see cref="Parse"/> and <see cref="ParseInputCounts"/> give in client mode; unknown names are ignored.
    /// </summary>
    /// <param name="text">The file's text.</param>
    /// <param name="columns">The report's columns (see <see cref="SparkScriptText.Report"/>).</param>
    /// <param name="inputColumns">The input counts row's columns (see <see cref="SparkScriptText.InputCounts"/>).</param>
    /// <returns>The counts (null without a <c>SPARKTF_SAMPLES_WRITTEN</c> line), the input counts (null unless
    /// <c>rows_read</c> and <c>rows_bad</c> are there) and the failure (null when none).</returns>
    public static SparkReportFile ParseFile(string text, IReadOnlyList<CountColumn> columns, IReadOnlyList<CountColumn> inputColumns)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(inputColumns);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var inputs = new Dictionary<string, long>(StringComparer.Ordinal);
        string? failure = null;
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            string name = line[..eq];
            if (name == FailedKey)
            {
                failure ??= line[(eq + 1)..];
                continue;
            }

            if (FromKeyLine(line) is { } written)
            {
                counts[RunCounts.Written] = written;
                continue;
            }

            if (!long.TryParse(line.AsSpan(eq + 1), NumberStyles.None, CultureInfo.InvariantCulture, out long v))
            {
                continue;
            }

            if (columns.FirstOrDefault(c => string.Equals(c.Column, name, StringComparison.OrdinalIgnoreCase)) is { } column && column.Column != SparkScript.ReportColumnName)
            {
                counts[column.Count] = v;
            }

            if (inputColumns.FirstOrDefault(c => string.Equals(c.Column, name, StringComparison.OrdinalIgnoreCase)) is { } input)
            {
                inputs[input.Count] = v;
            }
        }

        return new SparkReportFile(
            counts.ContainsKey(RunCounts.Written) ? counts : null,
            WithTotals(inputs),
            failure);
    }

    /// <summary>The count in a <c>SPARKTF_SAMPLES_WRITTEN=n</c> line, or null.</summary>
    /// <param name="line">The line.</param>
    /// <returns>The count.</returns>
    public static long? FromKeyLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        string l = line.Trim();
        return l.StartsWith(Key + "=", StringComparison.Ordinal) && long.TryParse(l.AsSpan(Key.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out long v) ? v : null;
    }
}
