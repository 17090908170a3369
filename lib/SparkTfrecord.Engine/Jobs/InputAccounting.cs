using System.Globalization;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Engines;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Engine.Sql;

namespace SparkTfrecord.Engine.Jobs;

/// <summary>
/// Checks that the engine accounted for every line of every input file, against counts it did not make: for a CSV or
/// JSON-lines file, the physical lines the job counted itself (<see cref="InputScan"/>); for a Parquet file, the rows
/// its metadata declares.
/// <para>A CSV file's lines are: its header, its blank lines (which the reader skips), the lines of the rows it read
/// (a record whose quoted field holds line ends spans one line more per line end, less the blank lines inside it, which
/// are counted as blank), and the records it rejected (likewise). JSON lines: every line is a row read (a blank one is
/// skipped) or a rejected line.</para>
/// <para>A CSV record with an unterminated quote leaves the reader no way to tell where the next record starts, and
/// DuckDB's reader then reads nothing more of the file's scan chunk (about 8 MB): when that was the rest of the file,
/// those lines are quarantined as one entry that counts every one of them (so the bad-rows limit sees them all); when
/// the reader went on in a later chunk, the job stops naming the file and the line. Any other difference stops the
/// job, naming the file and both counts.</para>
/// </summary>
internal static class InputAccounting
{
    /// <summary>Checks every source; adds the lines quarantined as unreadable to <paramref name="counts"/>.</summary>
    /// <param name="engine">The engine, after the typed tables were made.</param>
    /// <param name="plan">The scanned plan.</param>
    /// <param name="counts">The counts (read.SOURCE and quarantined.SOURCE are updated).</param>
    /// <returns>The quarantine entries to add.</returns>
    /// <exception cref="JobFailedException">A file's lines or rows are not all accounted for.</exception>
    public static List<UnreadLines> Check(DuckDbEngine engine, JobPlan plan, Dictionary<string, long> counts)
    {
        var unread = new List<UnreadLines>();
        foreach (var source in plan.Sources.Values)
        {
            if (source.Files.Count == 0)
            {
                continue;
            }

            if (source.Config.Format == SourceFormat.Parquet)
            {
                CheckParquet(engine, source, plan.Names);
                continue;
            }

            if (source.Scans is null)
            {
                continue;
            }

            foreach (var entry in CheckText(engine, source, plan.Names))
            {
                unread.Add(entry.Entry);
                counts[RunCounts.Read(source.Name)] += entry.Lines;
                counts[RunCounts.Quarantined(source.Name)] += entry.Lines;
            }
        }

        return unread;
    }

    private static string Q(string name) => DuckDbDialect.Instance.Identifier(name);

    private static void CheckParquet(DuckDbEngine engine, PlannedSource source, TechnicalColumns names)
    {
        var read = RowsPerFile(engine, source, names);
        var declared = new Dictionary<string, long>(StringComparer.Ordinal);
        engine.Query($"SELECT file_name, CAST(num_rows AS BIGINT) FROM parquet_file_metadata({DuckDbDialect.Instance.FileList(source)})", r =>
        {
            while (r.Read())
            {
                declared[r.GetString(0)] = r.GetInt64(1);
            }
        });
        for (int i = 0; i < source.Files.Count; i++)
        {
            string file = source.Files[i];
            long rows = read.GetValueOrDefault(i);
            if (!declared.TryGetValue(file, out long expected) || expected != rows)
            {
                throw new InputDataException(InputProblem.LinesUnaccounted,
                    $"source '{source.Name}': {file}: its metadata declares {(declared.ContainsKey(file) ? expected.ToString(CultureInfo.InvariantCulture) : "no")} rows, " +
                    $"but {rows} were read. Rows would be lost without a trace, so nothing was written: check the file (rewrite it, or move it out of the input) and rerun.", file);
            }
        }
    }

    // Rows of the typed table per file index (a JSON-lines source's blank lines included).
    private static Dictionary<long, long> RowsPerFile(DuckDbEngine engine, PlannedSource source, TechnicalColumns names)
    {
        var rows = new Dictionary<long, long>();
        engine.Query($"SELECT {names.File}, count(*) FROM {Q("typed_" + source.Name)} WHERE {names.File} IS NOT NULL GROUP BY {names.File}", r =>
        {
            while (r.Read())
            {
                rows[r.GetInt64(0)] = r.GetInt64(1);
            }
        });
        return rows;
    }

    private static List<(UnreadLines Entry, long Lines)> CheckText(DuckDbEngine engine, PlannedSource source, TechnicalColumns names)
    {
        bool csv = source.Config.Format == SourceFormat.Csv;
        var rows = RowsPerFile(engine, source, names);

        // The reader's rejected records per file: how many, the lines they span beyond their first (a rejected line's
        // text, as DuckDB keeps it, is cut at 10,000 characters and may begin with the line ends before it), and the
        // record with an unterminated quote, if any.
        var rejected = new Dictionary<long, (long Records, long Extra, long? Unquoted, long UnquotedAt)>();
        engine.Query(
            $"SELECT CAST(file_id AS BIGINT), count(DISTINCT line), " +
            $"CAST(coalesce(sum(len(t) - len(replace(t, chr(10), ''))) FILTER (WHERE error_type <> 'UNQUOTED VALUE'), 0) AS BIGINT), " +
            $"CAST(min(line) FILTER (WHERE error_type = 'UNQUOTED VALUE') AS BIGINT), " +
            $"CAST(arg_min(line_byte_position, line) FILTER (WHERE error_type = 'UNQUOTED VALUE') AS BIGINT) " +
            $"FROM (SELECT DISTINCT file_id, line, line_byte_position, error_type, trim(csv_line, chr(13) || chr(10)) AS t FROM {Q("rejects_" + source.Name)}) r GROUP BY file_id",
            r =>
            {
                while (r.Read())
                {
                    rejected[r.GetInt64(0)] = (r.GetInt64(1), csv ? r.GetInt64(2) : 0, r.IsDBNull(3) ? null : r.GetInt64(3), r.IsDBNull(4) ? 0 : r.GetInt64(4));
                }
            });

        var unread = new List<(UnreadLines, long)>();
        for (int i = 0; i < source.Files.Count; i++)
        {
            string file = source.Files[i];
            var scan = source.Scans![i];
            long read = rows.GetValueOrDefault(i);
            var (records, extra, unquoted, unquotedAt) = rejected.GetValueOrDefault(i);
            long header = csv && source.Config.Csv.Header && scan.Lines > 0 ? 1 : 0;
            long blank = csv ? scan.BlankLines : 0;
            long accounted = header + blank + read + records + extra;
            if (csv && accounted != scan.Lines)
            {
                // Records whose quoted fields span lines: read the file again, every column, to count them.
                accounted += SpannedLines(engine, source, file);
            }

            if (accounted == scan.Lines)
            {
                continue;
            }

            long missing = scan.Lines - accounted;
            if (missing > 0 && unquoted is { } line)
            {
                // DuckDB numbers the line as the header, blank lines and records before it, plus one. When it read
                // nothing after it, those are all the header, rows and rejected records it gave, and the blank lines
                // before it (counted here up to the line's first byte). A file of several scan chunks (about 8 MB
                // each) is read again from the next chunk on, and then the lines of the rows after the gap cannot be
                // told: the job stops.
                long blankBefore = TextFileScan.ReadPrefix(file, unquotedAt, loneCarriageReturnEndsLine: false).BlankLines;
                if (header + read + records + blankBefore != line)
                {
                    throw new InputDataException(InputProblem.LinesUnaccounted,
                        $"source '{source.Name}': {file}: the quote opened on line {line} is never closed, so the CSV reader cannot tell where a record starts after it: " +
                        $"it skipped {missing} lines and went on further down the file, so the lines of the rows after them cannot be told. " +
                        "Nothing was written. Close the quote (or move the file out of the input) and rerun.", file);
                }

                unread.Add((new UnreadLines(source.Name, file, line + 1,
                    $"not read: the quote opened on line {line} is never closed, so the CSV reader cannot tell where a record starts after it; " +
                    $"the rest of the file ({missing} lines) is quarantined. Close the quote and rerun to read them"), missing));
                continue;
            }

            string what = csv
                ? $"{read} rows read, {records} records rejected{(extra > 0 ? $" (spanning {extra} more lines)" : "")}, {blank} blank lines{(header > 0 ? ", the header" : "")}"
                : $"{read} lines read (blank ones included) and {records} rejected";
            throw new InputDataException(InputProblem.LinesUnaccounted,
                $"source '{source.Name}': {file} has {scan.Lines} lines, but the reader accounted for {accounted} ({what}). " +
                $"{Math.Abs(missing)} lines would be {(missing > 0 ? "lost" : "made up")} without a trace, so nothing was written. " +
                "Check the file near the lines the quarantine names (an unusual line end, a stray quote), fix it or move it out of the input, and rerun.", file);
        }

        return unread;
    }

    // The lines the read records' values span beyond their first: one per line end in a value, less the blank lines
    // inside values (counted as blank lines already).
    private static long SpannedLines(DuckDbEngine engine, PlannedSource source, string file)
    {
        long spanned = 0;
        engine.Query($"SELECT * FROM {DuckDbDialect.Instance.ReadCsvFile(source, file)}", r =>
        {
            while (r.Read())
            {
                for (int c = 0; c < r.FieldCount; c++)
                {
                    // Text columns only (a hive partition column such as dt=... is the path's, not the file's).
                    if (r.IsDBNull(c) || r.GetFieldType(c) != typeof(string))
                    {
                        continue;
                    }

                    string v = r.GetString(c);
                    for (int at = v.IndexOf('\n', StringComparison.Ordinal); at >= 0; at = v.IndexOf('\n', at + 1))
                    {
                        bool blankNext = (at + 1 < v.Length && v[at + 1] == '\n') || (at + 2 < v.Length && v[at + 1] == '\r' && v[at + 2] == '\n');
                        spanned += blankNext ? 0 : 1;
                    }
                }
            }
        });
        return spanned;
    }
}
