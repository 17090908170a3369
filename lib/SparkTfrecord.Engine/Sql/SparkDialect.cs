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
                    if (char.IsControl(c))
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
    public override string TextToEpochMicros(string text, string zone)
    {
        string withOffset = $"{text} RLIKE '(Z|[+-][0-9][0-9](:?[0-9][0-9])?)$'";
        if (IsLegacy)
        {
            // Spark 2.4: no unix_micros; a timestamp's seconds as a double are exact to well under a microsecond for
            // any date of this era, so rounding the scaled value gives the exact microsecond.
            return $"(CASE WHEN {withOffset} THEN {LegacyMicros($"CAST({text} AS TIMESTAMP)")} " +
                   $"ELSE {LegacyMicros($"to_utc_timestamp(CAST({text} AS TIMESTAMP), {String(zone)})")} END)";
        }

        return $"(CASE WHEN {withOffset} THEN unix_micros(try_cast({text} AS TIMESTAMP)) " +
               $"ELSE unix_micros(to_utc_timestamp(try_cast({text} AS TIMESTAMP), {String(zone)})) END)";
    }

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

    /// <inheritdoc/>
    /// <remarks>The relation that uses it (the impressions) is cached by the script right after it is defined, so
    /// every later use reads the same ids.</remarks>
    public override string UniqueRowId => "monotonically_increasing_id()";

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
    internal static string? ReaderLine(PlannedSource source, string alias)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(alias);
        return null;
    }

    private static string LegacyMicros(string timestamp) => $"CAST(round(CAST({timestamp} AS DOUBLE) * 1000000) AS BIGINT)";

    // The session's zone is UTC (SessionSettings), so the timestamp made from epoch microseconds shows the UTC wall
    // clock, and from_utc_timestamp shifts it to the zone's wall clock.
    private string Local(string micros, string zone)
    {
        string timestamp = IsLegacy ? $"CAST({micros} DIV 1000000 AS TIMESTAMP)" : $"timestamp_micros({micros})";
        return $"from_utc_timestamp({timestamp}, {String(zone)})";
    }
}
