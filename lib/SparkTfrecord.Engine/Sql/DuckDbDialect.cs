using System.Globalization;
using System.Text.Json;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Spec;

namespace SparkTfrecord.Engine.Sql;

/// <summary>
/// DuckDB's spelling (1.5): list functions, <c>read_parquet</c> / <c>read_csv</c> (CSV, and JSON lines as lines of text
/// parsed with <c>from_json</c>), ICU time zones.
/// A row's <c>__file</c> is its file's index in the plan's sorted file list (<c>file_index</c>), which keeps the
/// typed tables small; <see cref="Planning.PlannedSource.Files"/> names it.
/// </summary>
internal sealed class DuckDbDialect : SqlDialect
{
    // The reader columns of a source whose reader neither rejects nor skips rows itself (the lines DuckDB's CSV reader
    // rejects are not rows here: see RejectedRows).
    private string NoReason => $"CAST(NULL AS VARCHAR) AS {Names.Bad}, FALSE AS {Names.Skip}, CAST(NULL AS VARCHAR) AS {Names.Raw}";

    // A file's first row number, and whether its rows' numbers are consecutive (see ReadSource), grouped by the file column.
    private string FileSpan => $"min({Names.Row}) AS {Names.Local("lo")}, count(*) = max({Names.Row}) - min({Names.Row}) + 1 AS {Names.Local("ok")}";

    /// <summary>The reader's limit on a CSV or JSON line, in bytes (DuckDB's default, set explicitly): a longer line is
    /// quarantined with this limit in its reason.</summary>
    public const long MaxLineBytes = 2_000_000;

    /// <summary>The one instance.</summary>
    public static DuckDbDialect Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "duckdb";

    /// <inheritdoc/>
    public override string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <inheritdoc/>
    public override string String(string value) => QuoteDoubling(value);

    /// <inheritdoc/>
    public override string Type(FeatureDtype kind, bool list)
    {
        string t = kind switch
        {
            FeatureDtype.Int64 => "BIGINT",
            FeatureDtype.Float => "FLOAT",
            _ => "VARCHAR",
        };
        return list ? t + "[]" : t;
    }

    /// <inheritdoc/>
    public override string TryCast(string expression, string type) => $"TRY_CAST({expression} AS {type})";

    /// <inheritdoc/>
    public override string EmptyList(FeatureDtype kind) => $"CAST([] AS {Type(kind, true)})";

    /// <inheritdoc/>
    public override string Hash60(string text) => $"CAST('0x' || substr(md5({text}), 1, 15) AS BIGINT)";

    /// <inheritdoc/>
    public override string HourOfDay(string micros, string zone) => $"CAST(hour({Local(micros, zone)}) AS BIGINT)";

    /// <inheritdoc/>
    public override string DayOfWeek(string micros, string zone) => $"CAST(isodow({Local(micros, zone)}) AS BIGINT)";

    /// <inheritdoc/>
    public override string PartitionList(string rank, string value, string partition) =>
        $"list(struct_pack(r := {rank}, v := {value})) OVER (PARTITION BY {partition})";

    /// <inheritdoc/>
    /// <remarks>Sorting the structs sorts by rank (their first field, unique), so values are never compared.</remarks>
    public override string ValuesByRank(string list) => $"list_transform(list_sort({list}), lambda x: x.v)";

    /// <inheritdoc/>
    public override string ListConcat(string first, string second) => $"list_concat({first}, {second})";

    /// <inheritdoc/>
    /// <remarks><c>list_slice</c>'s bounds are 1-based and inclusive; an end before the start gives an empty list.</remarks>
    public override string ReversedSlice(string list, string start, string count) =>
        $"list_reverse(list_slice({list}, {start}, {start} + {count} - 1))";

    // ---- Order, identity and times (issue 11, helper "order"). ----

    /// <inheritdoc/>
    /// <remarks>The row's place in the table it is selected from (DuckDB's <c>rowid</c> pseudo-column, unique in a table;
    /// the plan selects the ids from a materialised table). Not <c>row_number() OVER ()</c>: a window over the whole
    /// table gathers every row into one partition first, which at 10M impressions spilled and cost more than the rest
    /// of the statement. The ids never leave a run.</remarks>
    public override string UniqueRowId(IReadOnlyList<string> content) => "rowid + 1";

    /// <inheritdoc/>
    protected override string WallTextToMicros(string local) => $"epoch_us(TRY_CAST({local} AS TIMESTAMP))";

    /// <inheritdoc/>
    /// <remarks>DuckDB's <c>timezone(zone, TIMESTAMP)</c> (ICU) moves a time in a gap forward by the gap, as Java does,
    /// but takes the later instant of a time that occurs twice (measured: Europe/Berlin 2024-10-27 02:30 gives 01:30Z,
    /// Java 00:30Z), so the earlier one is found (<see cref="SqlDialect.EarlierOfRepeatedTime"/>).</remarks>
    protected override string ZoneWallToUtcMicros(string wall, string zone) =>
        EarlierOfRepeatedTime(wall, $"epoch_us(timezone({String(zone)}, make_timestamp({wall})))", zone);

    /// <inheritdoc/>
    protected override string WallMicros(string micros, string zone) => $"epoch_us({Local(micros, zone)})";

    /// <inheritdoc/>
    protected override string Let(string value, string name, string body) => $"list_transform([{value}], lambda {name}: {body})[1]";

    // ---- End of the order, identity and times members. ----

    /// <inheritdoc/>
    public override string ListLength(string list) => $"CAST(len({list}) AS BIGINT)";

    /// <inheritdoc/>
    public override string Materialize(string name, string query) => $"CREATE OR REPLACE TEMP TABLE {Identifier(name)} AS\n{query}";

    /// <inheritdoc/>
    public override string View(string name, string query) => $"CREATE OR REPLACE TEMP VIEW {Identifier(name)} AS\n{query}";

    /// <inheritdoc/>
    /// <remarks>
    /// Parquet rows carry their 1-based row. CSV and JSON-lines files are read in one scan per source, numbered by
    /// <c>WITH ORDINALITY</c>: DuckDB numbers the rows of a scan in the order it reads them (a streaming window, which
    /// reads the files one after the other, each from its start), so a file's rows have consecutive numbers, and a
    /// row's place among the rows its file gave is its number less the file's first number, plus one.
    /// <see cref="BadRows"/> makes that a line and checks that the numbers are indeed consecutive.
    /// JSON lines are read as lines of text (see <see cref="LineReader"/>) and parsed here, so that a malformed line
    /// is one bad row rather than the end of the job; every field is read as text, as CSV fields are, and the plan
    /// casts it (a JSON number's text is its value, such as <c>1.5</c>; <c>true</c>; a nested value's JSON text).
    /// Blank and whitespace-only lines are skipped.
    /// </remarks>
    public override (IReadOnlyList<string> Prelude, string Relation) ReadSource(PlannedSource source, IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(columns);
        if (source.Files.Count == 0)
        {
            // Nothing to read (look-back days not there): an empty relation with the columns' names.
            string nulls = string.Join(", ", columns.Select(c => $"CAST(NULL AS VARCHAR) AS {Identifier(c)}"));
            return ([], $"(SELECT {nulls}, CAST(NULL AS BIGINT) AS {Names.File}, CAST(NULL AS BIGINT) AS {Names.Row}, {NoReason} WHERE 1 = 0)");
        }

        string files = FileList(source);
        string select = string.Join(", ", columns.Select(Identifier));
        string relation = source.Config.Format switch
        {
            SourceFormat.Parquet => $"(SELECT {select}, CAST(file_index AS BIGINT) AS {Names.File}, file_row_number + 1 AS {Names.Row}, {NoReason} FROM read_parquet({files}, file_row_number = true, union_by_name = true))",
            SourceFormat.Csv => $"(SELECT {select}, CAST(file_index AS BIGINT) AS {Names.File}, CAST(ordinality AS BIGINT) AS {Names.Row}, {NoReason} FROM read_csv({files}, {CsvOptions(source)}, " +
                $"{StoreRejects(source)}) WITH ORDINALITY)",
            _ => JsonLines(source, files, columns),
        };
        return ([], relation);
    }

    // The reason of a line over the reader's limit: DuckDB's message names the limit and the line's size.
    private const string LineTooLong = "'line longer than the reader''s limit: ' || error_message";

    /// <inheritdoc/>
    /// <remarks>DuckDB reports a line once per error in it (one per extra column, say): the line is counted once. Its
    /// line numbers count the header and blank lines, and a record whose quoted field spans lines as one line.</remarks>
    public override string? RejectedRows(PlannedSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Files.Count == 0 || source.Config.Format == SourceFormat.Parquet)
        {
            return null;
        }

        string reason = source.Config.Format == SourceFormat.Csv
            ? $"CASE WHEN error_type = 'INVALID ENCODING' THEN {String(PlanRenderer.InvalidUtf8Reason)} || coalesce(' in column ' || column_name, '') " +
              $"WHEN error_type = 'LINE SIZE OVER MAXIMUM' THEN {LineTooLong} " +
              "ELSE 'malformed CSV line: ' || CAST(error_type AS VARCHAR) || ': ' || error_message END"
            : $"CASE WHEN error_type = 'INVALID ENCODING' THEN {String(PlanRenderer.InvalidUtf8Reason)} " +
              $"WHEN error_type = 'LINE SIZE OVER MAXIMUM' THEN {LineTooLong} " +
              "ELSE 'malformed JSON line: ' || CAST(error_type AS VARCHAR) END";
        return $"(SELECT CAST(file_id AS BIGINT) AS {Names.File}, CAST(line AS BIGINT) AS {Names.Row}, min({reason}) AS {Names.Reason} " +
               $"FROM {Identifier(RejectsTable(source))} GROUP BY file_id, line)";
    }

    /// <inheritdoc/>
    /// <remarks>
    /// For CSV and JSON lines, a bad row's number becomes its line in its file: the row is the <c>k</c>-th its file
    /// gave (see <see cref="ReadSource"/>), and the lines the reader kept no row for come between: those it rejected
    /// (in its rejects table, with their lines) and, for CSV, blank lines, which DuckDB's CSV reader skips without a
    /// trace, so the files are read again here as plain lines to find them (only when there are bad rows). The
    /// <c>j</c>-th such line, <c>s_j</c>, comes after <c>s_j - header - j</c> rows, so row <c>k</c> is on line
    /// <c>k + header + #{j : s_j - header - j &lt; k}</c> (an ASOF join finds the count). Lines are counted as DuckDB
    /// counts them: a CSV record whose quoted field spans lines counts as one line (so lines after it are record
    /// numbers), and in a JSON-lines file of <c>\n</c> line ends a lone carriage return counts as a line end.
    /// Where the numbers of a file's rows turn out not consecutive the line is left null rather than guessed.
    /// </remarks>
    public override (IReadOnlyList<string> Prelude, string Relation) BadRows(PlannedSource source, string typed)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Files.Count == 0 || source.Config.Format == SourceFormat.Parquet)
        {
            return base.BadRows(source, typed);
        }

        bool csv = source.Config.Format == SourceFormat.Csv;
        int header = csv && source.Config.Csv.Header ? 1 : 0;
        var prelude = new List<string>();
        string skipped = RejectedLines(RejectsTable(source));
        string linesJoin = "";
        string linesOk = "";
        if (csv)
        {
            string lines = Identifier("lines_" + source.Name);
            string lineRejects = "rejects_lines_" + source.Name;
            prelude.Add(
                $"CREATE OR REPLACE TEMP TABLE {lines} AS\n" +
                $"SELECT {Names.File}, {FileSpan}, list({Names.Row} ORDER BY {Ascending(Names.Row)}) FILTER (WHERE {Names.Local("blank")}) AS {Names.Local("blanks")} FROM (\n" +
                $"  SELECT CAST(file_index AS BIGINT) AS {Names.File}, CAST(ordinality AS BIGINT) AS {Names.Row}, {Names.Local("line")} IS NULL AS {Names.Local("blank")}\n" +
                $"  FROM {LineReader(FileList(source), StoreRejects(lineRejects, "rejects_lines_scan_" + source.Name) + Buffer(source))}\n" +
                $") r GROUP BY {Names.File}");

            // The blank lines' numbers: this reading of the files rejects lines that are not UTF-8 or too long, and
            // numbers its rows and its rejected lines as the CSV reading does.
            string blankRows = $"SELECT {Names.File}, unnest({Names.Local("blanks")}) - {Names.Local("lo")} + 1 AS {Names.Local("k")} FROM {lines} WHERE {Names.Local("ok")}";
            string lineSkipped = RejectedLines(lineRejects);
            skipped = $"{skipped}\n  UNION ALL\n  SELECT r.{Names.File}, r.{Names.Local("k")} + coalesce(x.{Names.Local("n")}, 0) AS {Names.Local("line")} FROM ({blankRows}) r\n  ASOF LEFT JOIN ({SkipIndex(lineSkipped, 0)}) x ON r.{Names.File} = x.{Names.File} AND r.{Names.Local("k")} > x.{Names.Local("a")}";
            linesJoin = $"\n    LEFT JOIN {lines} l ON t.{Names.File} = l.{Names.File}";
            linesOk = $" AND coalesce(l.{Names.Local("ok")}, FALSE)";
        }

        string skips = Identifier("skips_" + source.Name);
        prelude.Add($"CREATE OR REPLACE TEMP TABLE {skips} AS\n{SkipIndex(skipped, header)}");
        string relation =
            $"(SELECT r.{Names.File}, CASE WHEN r.{Names.Local("ok")} THEN r.{Names.Local("k")} + {header} + coalesce(x.{Names.Local("n")}, 0) END AS {Names.Row}, r.{Names.Reason} FROM (\n" +
            $"    SELECT t.{Names.File}, t.{Names.Row} - f.{Names.Local("lo")} + 1 AS {Names.Local("k")}, t.{Names.Reason}, f.{Names.Local("ok")}{linesOk} AS {Names.Local("ok")}\n" +
            $"    FROM {typed} t JOIN (SELECT {Names.File}, {FileSpan} FROM {typed} GROUP BY {Names.File}) f ON t.{Names.File} = f.{Names.File}{linesJoin}\n" +
            $"    WHERE t.{Names.Reason} IS NOT NULL\n" +
            $"  ) r ASOF LEFT JOIN {skips} x ON r.{Names.File} = x.{Names.File} AND r.{Names.Local("k")} > x.{Names.Local("a")})";
        return (prelude, relation);
    }

    // Lines of text as rows of one VARCHAR column, numbered: DuckDB's CSV reader splitting on U+0001 (which valid JSON
    // never holds unescaped) with no quotes, so each line is one value and a blank line a null. Not strict, so that a
    // stray carriage return is a line end rather than the end of the job; a line holding U+0001 is cut there (a JSON
    // line so cut is malformed, unless the U+0001 came after a whole object).
    private string LineReader(string files, string options) =>
        $"read_csv({files}, columns = {{'{Names.Local("line")}': 'VARCHAR'}}, header = false, delim = chr(1), quote = '', escape = '', auto_detect = false, strict_mode = false, max_line_size = {MaxLineBytes}, {options}) WITH ORDINALITY";

    // The reader's buffer for a source whose longest line (scanned by the job) is over the limit: DuckDB quarantines a
    // line over max_line_size only when the line fits in its buffer (16 lines of the limit by default), and skips a
    // longer one without a trace (and numbers the lines after it one too low), so the buffer holds twice the longest
    // line with room to spare.
    private static string Buffer(PlannedSource source)
    {
        long longest = source.LongestLine;
        return longest <= MaxLineBytes ? "" : $", buffer_size = {Math.Max(16 * MaxLineBytes, (2 * longest) + (2 * MaxLineBytes)).ToString(CultureInfo.InvariantCulture)}";
    }

    // For rows numbered k = 1, 2, ... among those a file gave, and the lines that gave none (__line), the count of such
    // lines before row k: the greatest __a below k, with its __n.
    private string SkipIndex(string skipped, int header) =>
        $"SELECT {Names.File}, {Names.Local("a")}, max({Names.Local("j")}) AS {Names.Local("n")} FROM (\n" +
        $"  SELECT {Names.File}, {Names.Local("line")} - {header} - {Names.Local("j")} AS {Names.Local("a")}, {Names.Local("j")} FROM (\n" +
        $"    SELECT {Names.File}, {Names.Local("line")}, row_number() OVER (PARTITION BY {Names.File} ORDER BY {Ascending(Names.Local("line"))}) AS {Names.Local("j")} FROM (SELECT DISTINCT {Names.File}, {Names.Local("line")} FROM (\n  {skipped}\n    ) s0) s1\n" +
        $"  ) s2\n" +
        $") s3 GROUP BY {Names.File}, {Names.Local("a")}";

    private static string RejectsTable(PlannedSource source) => "rejects_" + source.Name;

    // The reader options that keep the lines it rejects, with their lines, in a table.
    private string StoreRejects(string table, string scan) =>
        $"store_rejects = true, rejects_table = {String(table)}, rejects_scan = {String(scan)}";

    // The source's own reading: rejects in RejectsTable.
    private string StoreRejects(PlannedSource source) => StoreRejects(RejectsTable(source), "rejects_scan_" + source.Name);

    // The lines a reader rejected, one row per error, as (__file, __line).
    private string RejectedLines(string table) =>
        $"SELECT CAST(file_id AS BIGINT) AS {Names.File}, CAST(line AS BIGINT) AS {Names.Local("line")} FROM {Identifier(table)}";

    /// <inheritdoc/>
    public override string HoldsReplacementCharacter(string text) => $"contains({text}, {String("\uFFFD")})";

    /// <summary>The source's files as a DuckDB list of file names, each taken literally (see <see cref="LiteralPath"/>).</summary>
    /// <param name="source">The source.</param>
    /// <returns>The SQL list.</returns>
    /// <exception cref="IOException">A file name cannot be given to DuckDB literally.</exception>
    public string FileList(PlannedSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return "[" + string.Join(", ", source.Files.Select(f => String(LiteralPath(f)))) + "]";
    }

    /// <summary>
    /// A file name as DuckDB's readers take it literally: they expand a name holding <c>*</c>, <c>?</c> or <c>[</c>
    /// as a glob (<c>logs[1]</c> would read <c>logs1</c>), where a one-character class is that character, so each of
    /// these becomes <c>[*]</c>, <c>[?]</c>, <c>[[]</c>. A glob also takes a backslash as an escape that no class
    /// spells, so a name with both is refused.
    /// </summary>
    /// <param name="path">The file name.</param>
    /// <returns>The name for DuckDB.</returns>
    /// <exception cref="Jobs.InputDataException">The name holds both a backslash and a glob character.</exception>
    public static string LiteralPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.IndexOfAny(['*', '?', '[']) < 0)
        {
            return path;
        }

        if (path.Contains('\\', StringComparison.Ordinal))
        {
            throw new Jobs.InputDataException(Jobs.InputProblem.UnreadableName, $"{path}: the embedded engine cannot read a file whose name holds both a backslash and one of * ? [ (it would take the name as a pattern): rename the file or its folder and rerun.", path);
        }

        var sb = new System.Text.StringBuilder(path.Length + 8);
        foreach (char c in path)
        {
            sb.Append(c is '*' or '?' or '[' ? $"[{c}]" : c);
        }

        return sb.ToString();
    }

    private string JsonLines(PlannedSource source, string files, IReadOnlyList<string> columns)
    {
        // Every column as text: from_json's VARCHAR of a JSON string is the string, of anything else its JSON text.
        string structure = "{" + string.Join(",", columns.Select(c => JsonSerializer.Serialize(c) + ":\"VARCHAR\"")) + "}";
        string fields = string.Join(", ", columns.Select(c => $"{Names.Local("v")}.{Identifier(c)} AS {Identifier(c)}"));
        const string Space = "' ' || chr(9) || chr(13)";
        return
            $"(SELECT {fields}, {Names.File}, {Names.Row}, {Names.Bad}, {Names.Skip}, CASE WHEN {Names.Bad} IS NOT NULL THEN {Names.Local("line")} END AS {Names.Raw} FROM (\n" +
            $"  SELECT *, CASE WHEN {Names.Skip} THEN NULL WHEN NOT {Names.Local("valid")} THEN 'malformed JSON line' WHEN {Names.Local("v")} IS NULL THEN 'malformed JSON line: not a JSON object' END AS {Names.Bad} FROM (\n" +
            $"  SELECT {Names.File}, {Names.Row}, {Names.Skip}, {Names.Local("valid")}, {Names.Local("line")}, CASE WHEN {Names.Local("valid")} AND starts_with(ltrim({Names.Local("line")}, {Space}), '{{') THEN from_json({Names.Local("line")}, {String(structure)}) END AS {Names.Local("v")} FROM (\n" +
            $"    SELECT CAST(file_index AS BIGINT) AS {Names.File}, CAST(ordinality AS BIGINT) AS {Names.Row}, {Names.Local("line")}, coalesce(trim({Names.Local("line")}, {Space}), '') = '' AS {Names.Skip}, json_valid({Names.Local("line")}) AS {Names.Local("valid")}\n" +
            $"    FROM {LineReader(files, StoreRejects(source) + Buffer(source))}\n" +
            $"  ) l\n" +
            $"  ) j\n" +
            $") b)";
    }

    // Value conversions (the contract's values clauses; see ValueRules).

    /// <inheritdoc/>
    /// <remarks>RE2's full match: <c>regexp_full_match('12' || chr(10), '[0-9]+')</c> is false (checked).</remarks>
    public override string FullMatch(string text, string pattern) => $"regexp_full_match({text}, {String(pattern)})";

    /// <inheritdoc/>
    /// <remarks><c>from_json</c> fails on text that is not JSON, so only a valid JSON array reaches it (CASE runs its
    /// branch only for the rows it selects). Its VARCHAR of a JSON number is the number as DuckDB prints it (a float
    /// as the shortest double, <c>1.50</c> as <c>1.5</c>, <c>1e3</c> as <c>1000.0</c>), of an integer its digits, of a
    /// nested value its JSON text (checked).</remarks>
    public override string JsonArrayText(string text) =>
        $"(CASE WHEN json_valid({text}) AND json_type({text}) = 'ARRAY' THEN from_json({text}, '[\"VARCHAR\"]') END)";

    /// <inheritdoc/>
    public override string ListTransform(string list, string variable, string body) => $"list_transform({list}, lambda {variable}: {body})";

    /// <inheritdoc/>
    public override string ListFilter(string list, string variable, string predicate) => $"list_filter({list}, lambda {variable}: {predicate})";

    // The session's TimeZone is UTC (the engine sets it), so make_timestamp's instant is read as UTC.
    private string Local(string micros, string zone) => $"timezone({String(zone)}, CAST(make_timestamp({micros}) AS TIMESTAMPTZ))";

    /// <summary>One CSV file of a source read again as the source reads it, every column, skipping the lines it
    /// rejects: for the job's count of the lines its records span.</summary>
    /// <param name="source">The CSV source.</param>
    /// <param name="file">One of its files.</param>
    /// <returns>The table function call.</returns>
    public string ReadCsvFile(PlannedSource source, string file)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(file);
        return $"read_csv([{String(LiteralPath(file))}], {CsvOptions(source)}, ignore_errors = true)";
    }

    // The columns are given and nothing is detected (auto_detect = false): DuckDB's sniffer fails on a broken quote in
    // the lines it samples, and may take leading lines for a preamble and skip them. Every column is read as text.
    // Without known columns (a plan not scanned), the reader detects them, as before.
    private string CsvOptions(PlannedSource source)
    {
        var csv = source.Config.Csv;
        string options = $"header = {(csv.Header ? "true" : "false")}, delim = {String(csv.Delimiter.ToString())}, quote = '\"'";
        if (source.CsvColumns is { } columns)
        {
            options += ", escape = '\"', auto_detect = false, columns = {" + string.Join(", ", columns.Select(c => $"{String(c)}: 'VARCHAR'")) + "}";
        }
        else
        {
            options += ", all_varchar = true";
            if (csv.Columns.Count > 0)
            {
                options += ", names = [" + string.Join(", ", csv.Columns.Select(String)) + "]";
            }
        }

        return options + $", skip = 0, max_line_size = {MaxLineBytes}{Buffer(source)}";
    }

    // ---- Incremental state (issue 12, docs/state.md) ----

    /// <inheritdoc/>
    /// <remarks>A snapshot's table is one Parquet file (this engine's) or a folder of part files (Spark's): both are
    /// read, the folder by its <c>*.parquet</c> files (Spark's <c>_SUCCESS</c> and hidden files left out).</remarks>
    public override string ReadStateFile(string path) =>
        $"read_parquet({String(Directory.Exists(path) ? Path.Combine(path, "*.parquet") : path)})";

    /// <inheritdoc/>
    public override string StateFileKey(int index, string file) => BigInt(index);

    /// <inheritdoc/>
    public override string StateCarriedFile(IReadOnlyList<string> content) => "-row_number() OVER ()";
}
