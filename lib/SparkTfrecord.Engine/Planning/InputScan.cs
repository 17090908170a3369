using System.Buffers;
using System.Globalization;
using System.Text;
using SparkTfrecord.Engine.Config;

namespace SparkTfrecord.Engine.Planning;

/// <summary>
/// Reads every CSV and JSON-lines file of a plan once, before the engine does (<see cref="TextFileScan"/>): the lines
/// of each file, for the job's check that the engine accounted for every one of them; the longest line, so the
/// engine's reader can step over lines longer than its limit (and quarantine them) rather than lose them; and a CSV
/// file's header, so the reader is told the columns rather than guessing them (a guess fails on a broken quote near
/// the top of a file).
/// </summary>
internal static class InputScan
{
    /// <summary>The longest line the job can step over: a line up to this length over the reader's limit is
    /// quarantined; a longer one stops the job with its file and line (the reader would need a buffer that big).</summary>
    public const long MaxSkippableLine = 128L << 20;

    /// <summary>Scans the text sources' files of a plan.</summary>
    /// <param name="plan">The plan, with its files resolved.</param>
    /// <param name="cancellation">Stops the scan.</param>
    /// <returns>The plan with <see cref="PlannedSource.Scans"/> and <see cref="PlannedSource.CsvColumns"/> set.</returns>
    /// <exception cref="Jobs.InputDataException">A CSV header is unterminated, not UTF-8 or differs between the files of
    /// a source, or a line is too long to step over.</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    public static JobPlan Apply(JobPlan plan, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var sources = new Dictionary<string, PlannedSource>(StringComparer.Ordinal);
        foreach (var (name, source) in plan.Sources)
        {
            sources[name] = source.Config.Format == SourceFormat.Parquet || source.Files.Count == 0 ? source : Scan(source, cancellation);
        }

        return plan.WithSources(sources);
    }

    /// <summary>Reads only the headers of the CSV sources' files (the Spark engine, which needs every column of a CSV
    /// source in its schema to tell a line with a wrong number of fields, and reads the files itself).</summary>
    /// <param name="plan">The plan, with its files resolved (sources without files are left as they are).</param>
    /// <returns>The plan with <see cref="PlannedSource.CsvColumns"/> set for CSV sources with files.</returns>
    /// <exception cref="Jobs.InputDataException">A CSV header is unterminated, not UTF-8 or differs between files.</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    public static JobPlan ApplyCsvHeaders(JobPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var sources = new Dictionary<string, PlannedSource>(StringComparer.Ordinal);
        foreach (var (name, source) in plan.Sources)
        {
            sources[name] = source.Config.Format != SourceFormat.Csv || source.Files.Count == 0
                ? source
                : source with { CsvColumns = CsvColumns(source, source.Files.Select(f => TextFileScan.ReadPrefix(f, HeaderBytes, loneCarriageReturnEndsLine: false)).ToList()) };
        }

        return plan.WithSources(sources);
    }

    // The most of a file read for its header: the longest first line a scan keeps, and its line end.
    private const long HeaderBytes = (1L << 20) + 2;

    private static PlannedSource Scan(PlannedSource source, CancellationToken cancellation)
    {
        bool csv = source.Config.Format == SourceFormat.Csv;
        var scans = new List<TextFileScan>(source.Files.Count);
        foreach (string file in source.Files)
        {
            var scan = TextFileScan.Read(file, loneCarriageReturnEndsLine: !csv, cancellation);
            if (scan.LongestLine > MaxSkippableLine)
            {
                throw new Jobs.InputDataException(Jobs.InputProblem.LineTooLong,
                    $"source '{source.Name}': {file} line {scan.LongestLineNumber} is {scan.LongestLine} bytes long. Lines over the reader's limit of " +
                    $"{Sql.DuckDbDialect.MaxLineBytes} bytes are quarantined, but one over {MaxSkippableLine} bytes cannot be stepped over: " +
                    "remove or split that line (or move the file out of the input) and rerun.", file);
            }

            scans.Add(scan);
        }

        IReadOnlyList<string>? columns = null;
        if (csv)
        {
            columns = CsvColumns(source, scans);
        }

        return source with { Scans = scans, CsvColumns = columns };
    }

    // The columns of the source's CSV files: the job's names without a header; with one, the header's names (the
    // job's names, when given, in place of the first ones), the same in every file.
    private static IReadOnlyList<string>? CsvColumns(PlannedSource source, List<TextFileScan> scans)
    {
        var options = source.Config.Csv;
        if (!options.Header)
        {
            return options.Columns.Count > 0 ? options.Columns : null;
        }

        string? first = null;
        List<string>? names = null;
        for (int i = 0; i < scans.Count; i++)
        {
            if (scans[i].Lines == 0)
            {
                continue;
            }

            string file = source.Files[i];
            byte[] header = scans[i].FirstLine;
            string text = Utf8Header(source, file, header);
            var these = SplitHeader(text, options.Delimiter);
            if (these is null)
            {
                throw new Jobs.InputDataException(Jobs.InputProblem.BadHeader,
                    $"source '{source.Name}': {file}: its header (line 1) has an unterminated quote: {Shown(text)}. Fix the header and rerun.", file);
            }

            if (names is null)
            {
                names = these;
                first = file;
            }
            else if (names.Count != these.Count || !names.Skip(options.Columns.Count).SequenceEqual(these.Skip(options.Columns.Count), StringComparer.Ordinal))
            {
                // The job's names stand for the first columns, so only the rest must match (and the number of columns).
                throw new Jobs.InputDataException(Jobs.InputProblem.BadHeader,
                    $"source '{source.Name}': {file}: its header ({string.Join(options.Delimiter, these)}) differs from that of {first} ({string.Join(options.Delimiter, names)}); " +
                    "the files of a source are read with one set of columns in one order: make the headers the same (or move the file out of the input) and rerun.", file);
            }
        }

        if (names is null)
        {
            // Every file is empty: no rows, and the columns the job reads are as good as any.
            var c = source.Config;
            var read = c.Columns.Select(l => c.Rename.TryGetValue(l, out var p) ? p : l).ToList();
            if (c.RowTime is { } time)
            {
                read.Add(c.Rename.TryGetValue(time.Column, out var p) ? p : time.Column);
            }

            return read.Distinct(StringComparer.Ordinal).ToList();
        }

        for (int i = 0; i < options.Columns.Count && i < names.Count; i++)
        {
            names[i] = options.Columns[i];
        }

        return names;
    }

    private static string Utf8Header(PlannedSource source, string file, byte[] header)
    {
        var status = System.Text.Unicode.Utf8.ToUtf16(header, new char[header.Length], out int read, out _, replaceInvalidSequences: false);
        if (status != OperationStatus.Done)
        {
            throw new Jobs.InputDataException(Jobs.InputProblem.BadHeader,
                $"source '{source.Name}': {file}: its header (line 1) is not UTF-8 text (the byte 0x{header[read]:X2} at byte {read.ToString(CultureInfo.InvariantCulture)} of the line: " +
                $"\"{Shown(Encoding.Latin1.GetString(header))}\" read as Latin-1). The job reads CSV files as UTF-8: save the file as UTF-8 and rerun.", file);
        }

        return Encoding.UTF8.GetString(header);
    }

    // The first 200 characters of a text for a message.
    private static string Shown(string text) => text.Length > 200 ? text[..200] + "..." : text;

    // Splits a header line as the reader does: fields separated by the delimiter, a field in '"' may hold the
    // delimiter and '""'. Null when a quote is not closed.
    private static List<string>? SplitHeader(string line, char delimiter)
    {
        var names = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == delimiter)
            {
                names.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        if (quoted)
        {
            return null;
        }

        names.Add(field.ToString());
        return names;
    }
}
