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
    private SparkDialect(bool legacy, bool localPaths)
    {
        IsLegacy = legacy;
        LocalPaths = localPaths;
    }

    /// <summary>Spark 3.2 to 4.x, ANSI mode on or off; paths without a scheme are left to Spark's default file system.</summary>
    public static SparkDialect Modern { get; } = new(legacy: false, localPaths: false);

    /// <summary>Spark 2.4 to 3.1 (ANSI mode off), for TensorFlow's spark-tensorflow-connector.</summary>
    public static SparkDialect Legacy { get; } = new(legacy: true, localPaths: false);

    /// <summary>Whether this is the Spark 2.4 to 3.1 spelling.</summary>
    public bool IsLegacy { get; }

    /// <summary>Whether absolute paths without a scheme are files on this machine (<c>--master local[*]</c>): they are
    /// then written as <c>file://</c> URIs so that a cluster's default file system does not claim them.</summary>
    public bool LocalPaths { get; }

    /// <inheritdoc/>
    public override string Name => "spark";

    /// <summary>The statements a script starts with: the session's time zone is UTC, so that timestamps made from
    /// epoch microseconds are read as UTC instants by <c>hour</c>, <c>from_utc_timestamp</c> and <c>to_utc_timestamp</c>.</summary>
    public static IReadOnlyList<string> SessionSettings { get; } = ["SET spark.sql.session.timeZone = UTC"];

    /// <summary>This dialect with <see cref="LocalPaths"/> set as given.</summary>
    /// <param name="localPaths">Whether absolute paths without a scheme are local files.</param>
    /// <returns>The dialect.</returns>
    public SparkDialect WithLocalPaths(bool localPaths) => localPaths == LocalPaths ? this : new SparkDialect(IsLegacy, localPaths);

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
    /// <remarks>A list never holds a null element (the connectors crash on null strings and write 0 for null numbers):
    /// elements that are null or do not convert are dropped.</remarks>
    public override string TryCast(string expression, string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        string cast = IsLegacy ? $"CAST({expression} AS {type})" : $"try_cast({expression} AS {type})";
        return type.StartsWith("ARRAY<", StringComparison.Ordinal) ? $"filter({cast}, x -> x IS NOT NULL)" : cast;
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
    /// defined order, which <see cref="NewestValuesWhere"/> sorts.</remarks>
    public override string PartitionList(string rank, string time, string value, string partition) =>
        $"collect_list(named_struct('r', {rank}, 't', {time}, 'v', {value})) OVER (PARTITION BY {partition})";

    /// <inheritdoc/>
    public override string ListConcat(string first, string second) => $"concat({first}, {second})";

    /// <inheritdoc/>
    /// <remarks>Sorting structs (-rank, value) ascending gives the ranks descending (newest first, same-time events by
    /// value ascending), in every Spark version (no comparator lambda, which Spark 2.4 lacks).</remarks>
    public override string NewestValuesWhere(string list, string predicate) =>
        $"transform(sort_array(transform(filter({list}, x -> {predicate}), x -> named_struct('n', -x.r, 'v', x.v))), x -> x.v)";

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
    protected override string TimeTextMatches(string text) => $"({text} RLIKE {String(TimestampText.Pattern)})";

    /// <inheritdoc/>
    protected override string TimeTextPart(string text, int group) =>
        $"regexp_extract({text}, {String(TimestampText.Pattern)}, {group.ToString(CultureInfo.InvariantCulture)})";

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
    public override (IReadOnlyList<string> Prelude, string Relation) ReadSource(PlannedSource source, IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(columns);
        var c = source.Config;

        // Paths known to be missing (look-back days of a local input) are left out; Spark would fail on them.
        var paths = source.Paths.Where(p => !source.MissingPaths.Contains(p)).ToList();
        if (paths.Count == 0)
        {
            string nulls = string.Join(", ", columns.Select(col => $"CAST(NULL AS STRING) AS {Identifier(col)}"));
            return ([], $"(SELECT {nulls}, CAST(NULL AS STRING) AS {Names.File}, CAST(NULL AS BIGINT) AS {Names.Row}, CAST(NULL AS STRING) AS {Names.Bad}, FALSE AS {Names.Skip} WHERE 1 = 0)");
        }

        string view = Identifier("sparktf_src_" + source.Name);
        var options = new List<string> { $"path {String(PathPattern(paths))}" };
        string schema = "";
        string format;
        switch (c.Format)
        {
            case SourceFormat.Parquet:
                format = "parquet";
                break;
            case SourceFormat.Csv:
                // As DuckDB reads it: every column as text, '"' quotes, a doubled '"' inside a quoted field.
                format = "csv";
                options.Add($"header {String(c.Csv.Header ? "true" : "false")}");
                options.Add($"sep {String(c.Csv.Delimiter.ToString())}");
                options.Add($"quote {String("\"")}");
                options.Add($"escape {String("\"")}");
                if (!c.Csv.Header && c.Csv.Columns.Count > 0)
                {
                    schema = " (" + string.Join(", ", c.Csv.Columns.Select(col => $"{Identifier(col)} STRING")) + ")";
                }

                break;
            default:
                // Read as text, as written in the file; the plan's casts give each column its type.
                format = "json";
                schema = " (" + string.Join(", ", columns.Select(col => $"{Identifier(col)} STRING")) + ")";
                break;
        }

        string prelude = $"CREATE OR REPLACE TEMPORARY VIEW {view}{schema}\nUSING {format}\nOPTIONS ({string.Join(", ", options)})";
        string select = string.Join(", ", columns.Select(Identifier));
        // Spark's readers give no line numbers and no reader-level reasons: rows they cannot parse come with null
        // columns (PERMISSIVE mode), which the plan then sets aside for their null keys or times.
        return ([prelude], $"(SELECT {select}, input_file_name() AS {Names.File}, CAST(NULL AS BIGINT) AS {Names.Row}, CAST(NULL AS STRING) AS {Names.Bad}, FALSE AS {Names.Skip} FROM {view})");
    }

    /// <summary>
    /// One path for Spark's <c>path</c> option that stands for several: a Hadoop glob with the paths' common folder
    /// followed by <c>{a,b,...}</c> (Spark's file sources expand globs; alternatives that do not exist are skipped).
    /// Absolute local paths become <c>file://</c> URIs when <see cref="LocalPaths"/> is set. Each path is taken
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

    /// <summary>A path as Spark should see it: local absolute paths as <c>file://</c> URIs when <see cref="LocalPaths"/> is set.</summary>
    /// <param name="path">The path.</param>
    /// <returns>The URI or path.</returns>
    public string Uri(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return LocalPaths && path.StartsWith('/') ? "file://" + path : path;
    }

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
        return ([], $"(SELECT {select}, input_file_name() AS {Names.File}, CAST(NULL AS BIGINT) AS {Names.Row}, CAST(NULL AS STRING) AS {Names.Bad}, FALSE AS {Names.Skip} FROM {name}{where})");
    }
}
