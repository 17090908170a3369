using System.Globalization;
using System.Text;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Spec;

namespace SparkTfrecord.Engine.Sql;

/// <summary>
/// Spark SQL's spelling, for Spark 3.2 to 4.x with ANSI mode on or off (<see cref="Modern"/>), and for Spark 2.4 to 3.1
/// (<see cref="Legacy"/>, the TensorFlow connector's Spark), where <c>try_cast</c>, <c>unix_micros</c> and
/// <c>timestamp_micros</c> do not exist and ANSI mode is off. The script sets the session time zone to UTC first
/// (see <see cref="SessionSettings"/>), which the time functions below rely on.
/// </summary>
/// <remarks>
/// What the spark-sql shell needs of a <c>-f</c> file holds for every literal this dialect writes: a string never
/// contains <c>;</c> or a line break (they are written as <c>\u003B</c> and <c>\n</c>, which Spark's parser unescapes),
/// and identifiers containing <c>;</c> or a backtick are refused.
/// </remarks>
internal sealed class SparkDialect : SqlDialect
{
    private SparkDialect(bool legacy, SparkLocalPaths localPaths)
    {
        IsLegacy = legacy;
        LocalPaths = localPaths;
    }

    /// <summary>Spark 3.2 to 4.x, ANSI mode on or off; paths without a scheme are left to Spark's default file system.</summary>
    public static SparkDialect Modern { get; } = new(legacy: false, SparkLocalPaths.None);

    /// <summary>Spark 2.4 to 3.1 (ANSI mode off), for TensorFlow's spark-tensorflow-connector.</summary>
    public static SparkDialect Legacy { get; } = new(legacy: true, SparkLocalPaths.None);

    /// <summary>Whether this is the Spark 2.4 to 3.1 spelling.</summary>
    public bool IsLegacy { get; }

    /// <summary>Which absolute paths without a scheme are files on this machine: they are written as <c>file://</c>
    /// URIs so that a cluster's default file system does not claim them (none by default).</summary>
    public SparkLocalPaths LocalPaths { get; }

    /// <inheritdoc/>
    public override string Name => "spark";

    /// <summary>The statements a script starts with: the session's time zone is UTC, so that timestamps made from
    /// epoch microseconds are read as UTC instants by <c>hour</c>, <c>from_utc_timestamp</c> and <c>to_utc_timestamp</c>.</summary>
    /// <remarks>CSV column pruning is off: with it on (the default), Spark's CSV parser tokenizes only the columns a
    /// query needs (<c>UnivocityParser.parsedSchema</c> is the required schema, univocity's <c>selectIndexes</c>), so
    /// the check of a record's number of fields against the columns never fails and a line with too many or too few
    /// fields is kept as a row (see <see cref="ReadSource"/>). The setting exists from Spark 2.4
    /// (<c>SQLConf.CSV_PARSER_COLUMN_PRUNING</c>).</remarks>
    public static IReadOnlyList<string> SessionSettings { get; } = ["SET spark.sql.session.timeZone = UTC", "SET spark.sql.csv.parser.columnPruning.enabled = false"];

    /// <summary>This dialect with <see cref="LocalPaths"/> set as given.</summary>
    /// <param name="localPaths">Which absolute paths without a scheme are local files.</param>
    /// <returns>The dialect.</returns>
    public SparkDialect WithLocalPaths(SparkLocalPaths localPaths) => localPaths == LocalPaths ? this : new SparkDialect(IsLegacy, localPaths);

    /// <inheritdoc/>
    public override string Identifier(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Contains('`', StringComparison.Ordinal) || name.Contains(';', StringComparison.Ordinal) || name.Contains('\n', StringComparison.Ordinal))
        {
            throw new Config.JobConfigException($"the name '{name}' cannot be used on the Spark engine: it contains a backtick, a ';' or a line break, which the spark-sql shell mishandles.");
        }

        // The script is pure ASCII (see String); an identifier has no escapes, so a non-ASCII name cannot be written.
        if (name.Any(c => c > '~'))
        {
            throw new Config.JobConfigException($"the name '{name}' cannot be used on the Spark engine: it holds non-ASCII characters, and the Spark script is pure ASCII " +
                "(spark-sql reads it in the JVM's default charset). Rename it: a column in the input files, or map it to an ASCII name with the source's 'rename:' " +
                "(a source or feature name in the spec itself).");
        }

        return "`" + name + "`";
    }

    /// <summary>
    /// A string literal with Spark's backslash escapes; <c>;</c>, line breaks and other control characters are written
    /// as escapes, so the literal is safe for the spark-sql shell (which splits on every <c>;</c>).
    /// </summary>
    /// <param name="value">The text.</param>
    /// <returns>The literal.</returns>
    public override string String(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length + 2).Append('\'');
        foreach (char c in value)
        {
            switch (c)
            {
                case '\'':
                    sb.Append("\\'");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                case '\r':
                    sb.Append("\\r");
                    break;
                case '\t':
                    sb.Append("\\t");
                    break;
                case ';':
                    sb.Append("\\u003B");
                    break;
                default:
                    // Control characters, and every non-ASCII character (the contract's ascii-script: the script is
                    // pure ASCII, so the JVM's default charset, which spark-sql -f reads it in, never matters), as
                    // \uXXXX per UTF-16 code unit; Spark's parser joins a surrogate pair's two escapes back into
                    // the character (ParserUtils.unescapeSQLString, Spark 2.4 and 3.x; SparkParserUtils in 4.x).
                    if (char.IsControl(c) || c > '~')
                    {
                        sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('\'').ToString();
    }

    /// <inheritdoc/>
    public override string Type(FeatureDtype kind, bool list)
    {
        string t = kind switch
        {
            FeatureDtype.Int64 => "BIGINT",
            FeatureDtype.Float => "FLOAT",
            _ => "STRING",
        };
        return list ? $"ARRAY<{t}>" : t;
    }

    /// <inheritdoc/>
    /// <remarks>Scalars only: Spark has no cast from text to an array (<c>Cast.canCast</c>); lists are converted
    /// element by element by <see cref="ValueRules"/>, so an array type here is a renderer bug, refused.</remarks>
    public override string TryCast(string expression, string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type.StartsWith("ARRAY<", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"a cast to {type} was rendered for Spark: lists are converted by ValueRules.List, element by element.");
        }

        return IsLegacy ? $"CAST({expression} AS {type})" : $"try_cast({expression} AS {type})";
    }

    /// <inheritdoc/>
    public override string EmptyList(FeatureDtype kind) => $"CAST(array() AS {Type(kind, true)})";

    /// <inheritdoc/>
    /// <remarks>No arithmetic: the 15 hexadecimal digits (at most 2^60 - 1) are converted by <c>conv</c> to decimal
    /// text and cast to BIGINT, exact with ANSI mode on or off. The text's UTF-8 bytes are hashed, as in every engine.</remarks>
    public override string Hash60(string text) => $"CAST(conv(substr(md5(CAST({text} AS BINARY)), 1, 15), 16, 10) AS BIGINT)";

    /// <inheritdoc/>
    public override string HourOfDay(string micros, string zone) => $"CAST(hour({Local(micros, zone)}) AS BIGINT)";

    /// <inheritdoc/>
    /// <remarks>Spark's <c>dayofweek</c> counts from Sunday = 1; ISO counts from Monday = 1.</remarks>
    public override string DayOfWeek(string micros, string zone) => $"CAST((dayofweek(CAST({Local(micros, zone)} AS DATE)) + 5) % 7 + 1 AS BIGINT)";

    /// <inheritdoc/>
    /// <remarks>A window without ORDER BY frames the whole partition; <c>collect_list</c> gathers the rows in no
    /// defined order, which <see cref="ValuesByRank"/> sorts.</remarks>
    public override string PartitionList(string rank, string value, string partition) =>
        $"collect_list(named_struct('r', {rank}, 'v', {value})) OVER (PARTITION BY {partition})";

    /// <inheritdoc/>
    /// <remarks><c>sort_array</c> orders structs field by field, so by the rank first (unique: values are never
    /// compared); no comparator lambda, which Spark 2.4 lacks (collectionOperations.scala, <c>SortArray</c>).</remarks>
    public override string ValuesByRank(string list) => $"transform(sort_array({list}), x -> x.v)";

    /// <inheritdoc/>
    public override string ListConcat(string first, string second) => $"concat({first}, {second})";

    /// <inheritdoc/>
    /// <remarks><c>slice(x, start, length)</c> is 1-based, fails on a start of 0 or a negative length and gives an
    /// empty array for a start past the end (collectionOperations.scala, <c>Slice</c>); the plan passes a start of at
    /// least 1 and a length of at least 0.</remarks>
    public override string ReversedSlice(string list, string start, string count) =>
        $"reverse(slice({list}, {start}, {count}))";

    // ---- Order, identity and times (issue 11, helper "order"). ----

    /// <inheritdoc/>
    /// <remarks>
    /// A 64-bit hash of the row's content and its ordinal among identical rows, so a recomputed partition (a lost
    /// cached block) gets the same ids, whatever the partitioning; the script asserts that no two impressions share one
    /// (<see cref="Spark.SparkScript"/>). Each column is preceded by whether it is null, since Spark's hashes skip a null
    /// (without the flag, (null, 'a') and ('a', null) would hash alike). Spark 3.0 and later: <c>xxhash64</c>
    /// (<c>XxHash64</c> in catalyst's hash.scala, registered in <c>FunctionRegistry</c> since 3.0); Spark 2.4, whose
    /// <c>FunctionRegistry</c> has only the 32-bit <c>hash</c> (<c>Murmur3Hash</c>, seed 42), gets two of them, one of
    /// the content with a leading 1 and one with a leading 2, as the high and low halves.
    /// </remarks>
    public override string UniqueRowId(IReadOnlyList<string> content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var flagged = content.SelectMany(c => new[] { $"{c} IS NULL", c }).ToList();
        string partition = string.Join(", ", content);
        string ordinal = $"row_number() OVER (PARTITION BY {partition} ORDER BY {Ascending(content[0])})";
        string values = string.Join(", ", flagged.Append(ordinal));
        if (IsLegacy)
        {
            return $"(shiftleft(CAST(hash(1, {values}) AS BIGINT), 32) | (CAST(hash(2, {values}) AS BIGINT) & 4294967295))";
        }

        return $"xxhash64({values})";
    }

    /// <inheritdoc/>
    /// <remarks>The session's zone is UTC (<see cref="SessionSettings"/>), so the cast reads the wall clock as UTC.</remarks>
    protected override string WallTextToMicros(string local) =>
        IsLegacy ? LegacyMicros($"CAST({local} AS TIMESTAMP)") : $"unix_micros(try_cast({local} AS TIMESTAMP))";

    /// <inheritdoc/>
    /// <remarks>
    /// Spark 3.0 and later: <c>to_utc_timestamp</c> is <c>DateTimeUtils.toUTCTime</c>, which calls
    /// <c>convertTz(micros, zone, UTC)</c>: <c>getLocalDateTime(micros, UTC).atZone(zone)</c>, that is
    /// <c>ZonedDateTime.ofLocal</c> without a preferred offset (DateTimeUtils.scala in 3.x, SparkDateTimeUtils.scala in
    /// 4.x), Java's rule itself. Spark 2.4's <c>convertTz</c> guesses the zone's standard offset first
    /// (<c>getOffsetFromLocalMillis</c>), which takes the later instant of a repeated time in zones such as
    /// Europe/Berlin, so the Spark 2.4 to 3.1 spelling finds the earlier one (<see cref="SqlDialect.EarlierOfRepeatedTime"/>;
    /// a no-op on 3.0 and 3.1).
    /// </remarks>
    protected override string ZoneWallToUtcMicros(string wall, string zone)
    {
        if (!IsLegacy)
        {
            return $"unix_micros(to_utc_timestamp(timestamp_micros({wall}), {String(zone)}))";
        }

        return EarlierOfRepeatedTime(wall, LegacyMicros($"to_utc_timestamp({LegacyTimestamp(wall)}, {String(zone)})"), zone);
    }

    /// <inheritdoc/>
    protected override string WallMicros(string micros, string zone) =>
        IsLegacy ? LegacyMicros($"from_utc_timestamp({LegacyTimestamp(micros)}, {String(zone)})") : $"unix_micros(from_utc_timestamp(timestamp_micros({micros}), {String(zone)}))";

    /// <inheritdoc/>
    /// <remarks>Higher-order functions exist from Spark 2.4 on; an array's <c>[0]</c> is its first element.</remarks>
    protected override string Let(string value, string name, string body) => $"transform(array({value}), {name} -> {body})[0]";

    // Spark 2.4 has no timestamp_micros: a DOUBLE of seconds cast to TIMESTAMP (exact to the microsecond for this era,
    // as LegacyMicros reads it back).
    private static string LegacyTimestamp(string micros) => $"CAST(CAST({micros} AS DOUBLE) / 1000000 AS TIMESTAMP)";

    // ---- End of the order, identity and times members. ----

    /// <inheritdoc/>
    public override string ListLength(string list) => $"CAST(size({list}) AS BIGINT)";

    /// <inheritdoc/>
    public override string Materialize(string name, string query) => $"CREATE OR REPLACE TEMPORARY VIEW {Identifier(name)} AS\n{query}";

    /// <inheritdoc/>
    /// <remarks>Every statement of the Spark script is a view already (the script caches the few it reuses).</remarks>
    public override string View(string name, string query) => Materialize(name, query);

    // ---- Reading (issue 11, "reading"): how each format is read, so that Spark keeps, rejects and numbers rows as
    // the embedded engine does (docs/engine-semantics.md, clauses read-parquet-merge, read-csv-malformed,
    // read-json-malformed). ----

    /// <summary>The reason of a CSV record Spark's reader could not make a row of: with every column read as text
    /// (no value can fail to convert), a record whose number of fields is not the number of columns
    /// (<c>UnivocityParser.convert</c> throws <c>BadRecordException</c> for <c>tokens.length != parsedSchema.length</c>).
    /// Starts as the embedded engine's reason (<see cref="DuckDbDialect.RejectedRows"/>).</summary>
    public const string MalformedCsvReason = "malformed CSV line: the number of fields is not the number of columns";

    /// <summary>The reason of a JSON line Spark's reader could not make a row of (not JSON, or not a JSON object:
    /// <c>JacksonParser.parse</c> throws <c>BadRecordException</c>); the embedded engine's reasons start the same.</summary>
    public const string MalformedJsonReason = "malformed JSON line";

    /// <inheritdoc/>
    /// <remarks>
    /// <para>Every option key is a quoted string (Spark's grammar: <c>propertyKey : identifier (DOT identifier)* |
    /// stringLit</c>, <c>SqlBaseParser.g4</c>), so no key is ever read as a keyword (<c>escape</c> is reserved when
    /// <c>spark.sql.ansi.enforceReservedKeywords</c> is on).</para>
    /// <para>Parquet: <c>mergeSchema</c> (<c>ParquetOptions.mergeSchema</c>, which otherwise takes
    /// <c>spark.sql.parquet.mergeSchema</c>, false): the schema is the union of every file's, a column missing from a
    /// file reads as null there, as DuckDB's <c>union_by_name</c>.</para>
    /// <para>CSV: an explicit schema of every column of the files, in file order, all STRING, then the corrupt-record
    /// column; PERMISSIVE mode (<c>CSVOptions.parseMode</c>, the default, spelled out) puts the raw record of a line
    /// with more or fewer fields than the columns there (<c>UnivocityParser.convert</c>,
    /// <c>FailureSafeParser.parse</c>); <see cref="SessionSettings"/> turns off CSV column pruning, without which the
    /// parser tokenizes only the columns a query needs and never sees a wrong number of fields.
    /// <c>multiLine</c>: the file is parsed as one stream (<c>MultiLineCSVDataSource</c>, univocity's
    /// <c>CsvParser</c>), so a quoted field may hold line breaks, as DuckDB reads it; univocity skips blank lines
    /// (<c>skipEmptyLines</c>), as DuckDB does. <c>quote</c> and <c>escape</c> are <c>"</c>: a doubled quote inside a
    /// quoted field is a quote (DuckDB's <c>escape = '"'</c>). With a header, the first record of each file is dropped
    /// (<c>CSVHeaderChecker.checkHeaderColumnNames</c>; <c>enforceSchema</c> true: the schema's names are used, by
    /// position).</para>
    /// <para>JSON lines: every column as STRING, then the corrupt-record column, PERMISSIVE: a line that is not a JSON
    /// object gets its raw text there (<c>JacksonParser.parse</c>, <c>FailureSafeParser</c>); a blank line gives no
    /// row (<c>JacksonParser.parse</c>: no token, no row), as DuckDB skips it.</para>
    /// <para><c>__file</c> is <c>input_file_name()</c>: the file's URI as Spark's file scan sets it
    /// (<c>FileScanRDD</c>, <c>InputFileBlockHolder</c>), such as <c>file:///in/a.csv</c> or
    /// <c>hdfs://nn/logs/a.csv</c> (percent-encoded from Spark 3.4); Spark has no line numbers, so <c>__row</c> is
    /// null and the quarantine shows the raw line (<c>__raw</c>) instead.</para>
    /// </remarks>
    /// <exception cref="JobConfigException">A CSV source's columns are not known (a header on a file system this
    /// machine cannot read, and no <c>csv.columns</c>), or a column the job reads is not among them.</exception>
    public override (IReadOnlyList<string> Prelude, string Relation) ReadSource(PlannedSource source, IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(columns);
        var c = source.Config;
        const string NullText = "CAST(NULL AS STRING)";

        // Paths known to be missing (look-back days of a local input) are left out; Spark would fail on them.
        var paths = source.Paths.Where(p => !source.MissingPaths.Contains(p)).ToList();
        if (paths.Count == 0)
        {
            string nulls = string.Join(", ", columns.Select(col => $"{NullText} AS {Identifier(col)}"));
            return ([], $"(SELECT {nulls}, {NullText} AS {Names.File}, CAST(NULL AS BIGINT) AS {Names.Row}, {NullText} AS {Names.Bad}, FALSE AS {Names.Skip}, {NullText} AS {Names.Raw} WHERE 1 = 0)");
        }

        string view = Identifier("sparktf_src_" + source.Name);
        var options = new List<(string Key, string Value)> { ("path", PathPattern(paths)) };
        IReadOnlyList<string>? schemaColumns = null;
        string format;
        string bad = NullText;
        string raw = NullText;
        switch (c.Format)
        {
            case SourceFormat.Parquet:
                format = "parquet";
                options.Add(("mergeSchema", "true"));
                break;
            case SourceFormat.Csv:
                format = "csv";
                schemaColumns = CsvFileColumns(source, columns);
                options.Add(("header", c.Csv.Header ? "true" : "false"));
                options.Add(("sep", c.Csv.Delimiter.ToString()));
                options.Add(("quote", "\""));
                options.Add(("escape", "\""));
                options.Add(("multiLine", "true"));
                options.Add(("mode", "PERMISSIVE"));
                options.Add(("columnNameOfCorruptRecord", Names.Corrupt));
                bad = $"CASE WHEN {Names.Corrupt} IS NOT NULL THEN {String(MalformedCsvReason)} END";
                raw = Names.Corrupt;
                break;
            default:
                // Read as text, as written in the file; the plan's casts give each column its type.
                format = "json";
                schemaColumns = columns;
                options.Add(("mode", "PERMISSIVE"));
                options.Add(("columnNameOfCorruptRecord", Names.Corrupt));
                bad = $"CASE WHEN {Names.Corrupt} IS NOT NULL THEN {String(MalformedJsonReason)} END";
                raw = Names.Corrupt;
                break;
        }

        string schema = schemaColumns is null
            ? ""
            : " (" + string.Join(", ", schemaColumns.Select(col => $"{Identifier(col)} STRING").Append($"{Names.Corrupt} STRING")) + ")";
        string optionList = OptionList(options);
        string prelude = $"CREATE OR REPLACE TEMPORARY VIEW {view}{schema}\nUSING {format}\nOPTIONS ({optionList})";
        string select = string.Join(", ", columns.Select(Identifier));
        return ([prelude], $"(SELECT {select}, input_file_name() AS {Names.File}, CAST(NULL AS BIGINT) AS {Names.Row}, {bad} AS {Names.Bad}, FALSE AS {Names.Skip}, {raw} AS {Names.Raw} FROM {view})");
    }

    /// <inheritdoc/>
    /// <remarks><c>instr</c> (every Spark version; <c>contains</c> only from 3.3); the character is written as the
    /// escape <c>\uFFFD</c>, which Spark's parser unescapes (<c>ParserUtils.unescapeSQLString</c>), so the script
    /// stays ASCII.</remarks>
    public override string HoldsReplacementCharacter(string text) => $"instr({text}, '\\uFFFD') > 0";

    // Every column of a CSV source's files, in file order: Spark needs them all in the schema to tell a line with
    // a wrong number of fields. Known from the files' headers when the job could read them (InputScan), from
    // csv.columns otherwise. A header the job cannot read (a cluster's file system) is not read by Spark either in a
    // way the script could use: Spark takes column names from the first file's header only when it infers the
    // schema (CSVDataSource.inferSchema), and an inferred schema has no corrupt-record column (the column must be in
    // a user-given schema: ExprUtils.verifyColumnNameOfCorruptRecord, FailureSafeParser), so such a source must list
    // its columns.
    private static IReadOnlyList<string> CsvFileColumns(PlannedSource source, IReadOnlyList<string> read)
    {
        var csv = source.Config.Csv;
        IReadOnlyList<string>? columns = source.CsvColumns ?? (csv.Columns.Count > 0 ? csv.Columns : null);
        if (columns is null)
        {
            throw new JobConfigException(
                $"source '{source.Name}': the Spark engine needs every column of a CSV source with a header, in file order, and cannot read the header of its files " +
                $"({source.Config.PathTemplate}: not on this machine, so Spark alone would read them): list the columns in the source's csv.columns (for example csv: {{header: true, columns: [a, b, c]}}), or give a local --input.");
        }

        var missing = read.Where(r => !columns.Contains(r, StringComparer.Ordinal)).ToList();
        if (missing.Count > 0)
        {
            throw new JobConfigException(
                $"source '{source.Name}': the column(s) {string.Join(", ", missing.Select(m => $"'{m}'"))} the job reads are not among the CSV columns ({string.Join(", ", columns)}): " +
                "list every column of the files, in file order, in the source's csv.columns.");
        }

        return columns;
    }

    /// <summary>
    /// The items of an <c>OPTIONS (...)</c> clause, every key a quoted string: Spark's grammar takes a string literal
    /// as a property key (<c>propertyKey : identifier (DOT identifier)* | stringLit</c> in SqlBaseParser.g4), so a key
    /// that is a reserved word under <c>spark.sql.ansi.enforceReservedKeywords</c> (such as <c>escape</c>) still parses.
    /// </summary>
    /// <param name="options">The keys and values.</param>
    /// <returns>The comma-separated items.</returns>
    public string OptionList(IEnumerable<(string Key, string Value)> options) =>
        string.Join(", ", options.Select(o => $"{String(o.Key)} {String(o.Value)}"));

    /// <summary>
    /// One path for Spark's <c>path</c> option that stands for several: a Hadoop glob with the paths' common folder
    /// followed by <c>{a,b,...}</c> (Spark's file sources expand globs; alternatives that do not exist are skipped).
    /// Absolute local paths (<see cref="LocalPaths"/>) become <c>file://</c> URIs. Each path is taken
    /// literally: its glob characters are escaped (<see cref="HadoopLiteral"/>).
    /// </summary>
    /// <param name="paths">The paths.</param>
    /// <returns>The path or glob.</returns>
    public string PathPattern(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var uris = paths.Select(p => HadoopLiteral(Uri(p))).ToList();
        if (uris.Count == 1)
        {
            return uris[0];
        }

        string first = uris[0];
        int common = first.Length;
        foreach (string u in uris.Skip(1))
        {
            int n = 0;
            while (n < common && n < u.Length && u[n] == first[n])
            {
                n++;
            }

            common = n;
        }

        int slash = first.LastIndexOf('/', Math.Max(0, Math.Min(common, first.Length - 1)));
        string prefix = slash >= 0 ? first[..(slash + 1)] : "";
        return prefix + "{" + string.Join(",", uris.Select(u => u[prefix.Length..])) + "}";
    }

    /// <summary>
    /// A path as a Hadoop glob that matches only itself: Spark's file sources expand a path holding any of
    /// <c>{}[]*?\</c> as a glob (Hadoop's <c>GlobPattern</c>, where a backslash makes the next character literal, and
    /// <c>GlobExpander</c>, which splits <c>{a,b}</c> at commas), so each of <c>\ { } [ ] * ? ,</c> gets a backslash.
    /// </summary>
    /// <param name="path">The path or URI.</param>
    /// <returns>The escaped path.</returns>
    public static string HadoopLiteral(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.IndexOfAny(['\\', '{', '}', '[', ']', '*', '?', ',']) < 0)
        {
            return path;
        }

        var sb = new System.Text.StringBuilder(path.Length + 8);
        foreach (char c in path)
        {
            if (c is '\\' or '{' or '}' or '[' or ']' or '*' or '?' or ',')
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    /// <summary>A path as Spark should see it: a local absolute path (<see cref="LocalPaths"/>) as a <c>file://</c> URI.</summary>
    /// <param name="path">The path.</param>
    /// <returns>The URI or path.</returns>
    public string Uri(string path) => LocalPaths.Uri(path);

    // Value conversions (the contract's values clauses; see ValueRules).

    /// <inheritdoc/>
    /// <remarks>RLIKE is Java's <c>Matcher.find</c> (regexpExpressions.scala <c>RLike</c>), so the pattern is anchored:
    /// <c>^</c> at the start of the input and <c>\z</c> at its very end (<c>$</c> would also match before a trailing
    /// line break). The backslash is written doubled and unescaped by Spark's parser
    /// (ParserUtils.unescapeSQLString: <c>\\</c> is one backslash).</remarks>
    public override string FullMatch(string text, string pattern) => $"({text} RLIKE {String("^(?:" + pattern + ")\\z")})";

    /// <inheritdoc/>
    /// <remarks>
    /// <c>from_json</c> with an <c>ARRAY&lt;STRING&gt;</c> schema (a DDL type: DataType.fromDDL tries
    /// <c>parseDataType</c> first, Spark 2.4 and later; arrays of primitives since Spark 2.4): JacksonParser's
    /// <c>makeRootConverter</c> takes only a JSON array (another value fails, and from_json's PERMISSIVE mode gives
    /// null); each element is a JSON string's text, or any other value's JSON text (JacksonParser <c>makeConverter</c>
    /// for <c>StringType</c>: Jackson's <c>copyCurrentStructure</c> on Spark 3.x, which prints a float as a double
    /// (<c>1.50</c> as <c>1.5</c>, <c>1e3</c> as <c>1000.0</c>, as DuckDB does); the exact text on Spark 4.x); a JSON
    /// null is null. Single-quoted strings, which Jackson would take by Spark's default (JSONOptions
    /// <c>allowSingleQuotes</c>), are refused as DuckDB refuses them.
    /// </remarks>
    public override string JsonArrayText(string text) =>
        $"from_json({text}, {String("ARRAY<STRING>")}, map({String("allowSingleQuotes")}, {String("false")}))";

    /// <inheritdoc/>
    /// <remarks>Higher-order functions exist from Spark 2.4.</remarks>
    public override string ListTransform(string list, string variable, string body) => $"transform({list}, {variable} -> {body})";

    /// <inheritdoc/>
    public override string ListFilter(string list, string variable, string predicate) => $"filter({list}, {variable} -> {predicate})";

    // The quarantine's raw rows (helper Q, issue 11).

    /// <inheritdoc/>
    /// <remarks>Spark's readers give no line numbers (<c>__row</c> is null there), so a bad row is told by its content.</remarks>
    public override bool KeepsRawRows => true;

    /// <inheritdoc/>
    /// <remarks>
    /// The columns read as one JSON object, <c>to_json(named_struct('col', r.col, ...), map('ignoreNullFields', 'false'))</c>:
    /// a null column is written as <c>null</c>, not left out (to_json's generator leaves null fields out by default:
    /// <c>JSONOptions.ignoreNullFields</c> defaults to <c>spark.sql.jsonGenerator.ignoreNullFields</c>, true, in
    /// SQLConf, since Spark 3.0; Spark 2.4 has no such option and always leaves them out). A line the reader could not
    /// parse is kept as the line itself (<see cref="ReaderLine"/>).
    /// </remarks>
    public override string? RawRow(PlannedSource source, IReadOnlyList<string> columns, string alias)
    {
        ArgumentNullException.ThrowIfNull(columns);
        string row = columns.Count == 0
            ? String("{}")
            : $"to_json(named_struct({string.Join(", ", columns.Select(c => $"{String(c)}, {alias}.{Identifier(c)}"))}), map({String("ignoreNullFields")}, {String("false")}))";
        return ReaderLine(source, alias) is { } line ? $"coalesce({line}, {row})" : row;
    }

    /// <summary>
    /// The raw text of a line that Spark's reader could not make a row of: the corrupt-record column of
    /// <see cref="ReadSource"/>'s relation (<paramref name="alias"/>.column), or null while the relation has none. The
    /// seam for the reader's corrupt-record column (CSV / JSON lines in PERMISSIVE mode with
    /// <c>columnNameOfCorruptRecord</c>): returning it here makes the quarantine keep the line as read.
    /// </summary>
    /// <param name="source">The source.</param>
    /// <param name="alias">The relation's alias.</param>
    /// <returns>The expression, or null.</returns>
    internal string? ReaderLine(PlannedSource source, string alias)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(alias);
        return $"{alias}.{Names.Raw}";
    }

    private static string LegacyMicros(string timestamp) => $"CAST(round(CAST({timestamp} AS DOUBLE) * 1000000) AS BIGINT)";

    // The session's zone is UTC (SessionSettings), so the timestamp made from epoch microseconds shows the UTC wall
    // clock, and from_utc_timestamp shifts it to the zone's wall clock.
    private string Local(string micros, string zone)
    {
        string timestamp = IsLegacy ? $"CAST({micros} DIV 1000000 AS TIMESTAMP)" : $"timestamp_micros({micros})";
        return $"from_utc_timestamp({timestamp}, {String(zone)})";
    }

    // --- Metastore table sources (runner, issue 11) ---

    /// <inheritdoc/>
    /// <remarks>
    /// <c>SELECT columns, input_file_name() AS __file, ... FROM `db`.`name` WHERE `dt` IN ('2024-04-16', ...)</c>: the
    /// same technical columns as <see cref="ReadSource"/> (no line numbers, no reader reasons). The partition column
    /// compared with literals is pruned before any file is listed: Spark's optimizer rules
    /// <c>PruneFileSourcePartitions</c> (sql/core .../execution/datasources/PruneFileSourcePartitions.scala, data source
    /// tables) and <c>PruneHiveTablePartitions</c> (sql/hive .../hive/execution/PruneHiveTablePartitions.scala, Hive
    /// tables) push partition-only filters into the catalog's partition listing. The values are strings; a
    /// partition column of another type is compared after Spark's usual coercion of the literal.
    /// </remarks>
    public override (IReadOnlyList<string> Prelude, string Relation) ReadTable(PlannedSource source, IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(columns);
        var table = source.Config.Table ?? throw new ArgumentException($"source '{source.Name}' is not a table.", nameof(source));
        string name = string.Join('.', table.Parts.Select(Identifier));
        string select = string.Join(", ", columns.Select(Identifier));
        string where = table.Partition is { } partition && source.TableDays is { } days
            ? $" WHERE {Identifier(partition.Column)} IN ({string.Join(", ", days.Select(d => String(partition.Value(d))))})"
            : "";
        return ([], $"(SELECT {select}, input_file_name() AS {Names.File}, CAST(NULL AS BIGINT) AS {Names.Row}, CAST(NULL AS STRING) AS {Names.Bad}, FALSE AS {Names.Skip}, CAST(NULL AS STRING) AS {Names.Raw} FROM {name}{where})");
    }

    // ---- Incremental state (issue 12, docs/state.md) ----

    /// <inheritdoc/>
    /// <remarks>Spark reads a file by its format's name as a table (<c>parquet.`path`</c>, ResolveSQLOnFile in
    /// sql/core/src/main/scala/org/apache/spark/sql/execution/datasources/rules.scala): a single file (the embedded
    /// engine's snapshot) or a folder of part files (Spark's own).
    /// <para>The state folder is always on the launcher's machine (a shared mount for a cluster master), so an absolute
    /// path is a <c>file://</c> URI whatever the master.</para></remarks>
    public override string ReadStateFile(string path) => $"parquet.{Identifier(path.StartsWith('/') ? "file://" + path : path)}";

    /// <inheritdoc/>
    /// <remarks>The file's local path: Spark's <c>input_file_name()</c> is its URI, which <see cref="StateFileOfRow"/>
    /// turns back into the path. The launcher keeps state only for paths that URI encoding leaves unchanged.</remarks>
    public override string StateFileKey(int index, string file) => String(file);

    /// <inheritdoc/>
    /// <remarks><c>input_file_name()</c> of a local file is <c>file:/path</c> or <c>file:///path</c> (Hadoop's
    /// <c>Path.toUri</c>): the scheme and extra slashes are removed.</remarks>
    public override string StateFileOfRow(string fileColumn) => $"regexp_replace({fileColumn}, {String("^file:/+")}, {String("/")})";

    /// <inheritdoc/>
    /// <remarks>The carried row's content id (<see cref="UniqueRowId"/>: a hash of its columns, time, partition and its
    /// ordinal among identical rows; clause row-identity), as text since Spark's <c>__file</c> is text, behind a prefix no
    /// file URI has. Not <c>monotonically_increasing_id</c>, whose ids change with the partitioning. Unlike the
    /// impressions' ids it needs no uniqueness check: the label's join partitions clicks by <c>__file</c>, <c>__row</c>,
    /// time and the match columns, so two carried clicks that shared an id would also share their time and match
    /// columns, and such clicks choose the same impression (clause label-ties).</remarks>
    public override string StateCarriedFile(IReadOnlyList<string> content) =>
        $"concat({String("sparktf-state-carry:")}, CAST({UniqueRowId(content)} AS STRING))";
}
