using System.Globalization;
using System.Text;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Spec;

namespace SparkTfrecord.Engine.Sql;

/// <summary>
/// The only place where SQL engines differ: how a few functions, types, literals and source reads are spelled. The
/// plan renderer writes everything else once, in SQL that every engine reads the same way (and that behaves the same
/// with Spark's ANSI mode on or off: no unchecked casts, no overflow, non-negative modulo operands).
/// </summary>
internal abstract class SqlDialect
{
    /// <summary>The names of the technical columns the dialect's SQL makes and reads (the reader's file, row, bad and
    /// skip columns among them): the plan's, see <see cref="PlanRenderer.Render"/>.</summary>
    public TechnicalColumns Names { get; private set; } = TechnicalColumns.Default;

    /// <summary>The same dialect with other technical names.</summary>
    /// <param name="names">The names.</param>
    /// <returns>The dialect.</returns>
    public SqlDialect WithNames(TechnicalColumns names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (ReferenceEquals(names, Names))
        {
            return this;
        }

        var copy = (SqlDialect)MemberwiseClone();
        copy.Names = names;
        return copy;
    }

    /// <summary>The engine's name, as recorded in the manifest.</summary>
    public abstract string Name { get; }

    /// <summary>Quotes an identifier.</summary>
    /// <param name="name">A name made of letters, digits and underscores.</param>
    /// <returns>The quoted identifier.</returns>
    public abstract string Identifier(string name);

    /// <summary>A string literal.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The literal.</returns>
    public abstract string String(string value);

    /// <summary>A BIGINT literal.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The literal.</returns>
    public virtual string BigInt(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The SQL type of a feature kind, or of a list of it.</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="list">Whether a list.</param>
    /// <returns>The type.</returns>
    public abstract string Type(FeatureDtype kind, bool list);

    /// <summary>The text type.</summary>
    public string Text => Type(FeatureDtype.String, false);

    /// <summary>A cast that gives null instead of an error for a value that does not convert.</summary>
    /// <param name="expression">The value.</param>
    /// <param name="type">The target type.</param>
    /// <returns>The expression.</returns>
    public abstract string TryCast(string expression, string type);

    /// <summary>An empty list of the kind.</summary>
    /// <param name="kind">The element kind.</param>
    /// <returns>The expression.</returns>
    public abstract string EmptyList(FeatureDtype kind);

    /// <summary>The project hash (<see cref="Hashing.ProjectHash"/>) of a text expression: 60 bits of its MD5 as a BIGINT.</summary>
    /// <param name="text">A non-null text expression.</param>
    /// <returns>The expression.</returns>
    public abstract string Hash60(string text);

    /// <summary>The key separator character U+001F as an expression.</summary>
    public virtual string Separator => "chr(31)";

    /// <summary>The hour of day (0..23) in <paramref name="zone"/> of epoch microseconds.</summary>
    /// <param name="micros">The epoch microseconds.</param>
    /// <param name="zone">The IANA zone.</param>
    /// <returns>The expression.</returns>
    public abstract string HourOfDay(string micros, string zone);

    /// <summary>The ISO day of week (1 = Monday .. 7 = Sunday) in <paramref name="zone"/> of epoch microseconds.</summary>
    /// <param name="micros">The epoch microseconds.</param>
    /// <param name="zone">The IANA zone.</param>
    /// <returns>The expression.</returns>
    public abstract string DayOfWeek(string micros, string zone);

    /// <summary>
    /// A window aggregate over the whole partition <paramref name="partition"/>: the partition's rows as a list of
    /// structs <c>{r: rank, v: value}</c>, in any order (<see cref="ValuesByRank"/> orders them).
    /// </summary>
    /// <param name="rank">The rank expression (an integer, unique within the partition).</param>
    /// <param name="value">The value expression.</param>
    /// <param name="partition">The PARTITION BY list.</param>
    /// <returns>The expression.</returns>
    public abstract string PartitionList(string rank, string value, string partition);

    /// <summary>The values of a list made by <see cref="PartitionList"/>, in rank order (ascending).</summary>
    /// <param name="list">The list of structs.</param>
    /// <returns>The expression: a list of values.</returns>
    public abstract string ValuesByRank(string list);

    /// <summary>Two lists of the same type, one after the other.</summary>
    /// <param name="first">The first list (not null).</param>
    /// <param name="second">The second list (not null).</param>
    /// <returns>The expression.</returns>
    public abstract string ListConcat(string first, string second);

    /// <summary>
    /// The elements <paramref name="start"/> (1-based, at least 1) to <paramref name="start"/> +
    /// <paramref name="count"/> - 1 of a list, last first: a history's newest events from its rank-ordered list.
    /// </summary>
    /// <param name="list">The list.</param>
    /// <param name="start">The first element's position (an integer expression, at least 1).</param>
    /// <param name="count">How many elements (an integer expression, at least 0; past the end gives fewer).</param>
    /// <returns>The expression: a list.</returns>
    public abstract string ReversedSlice(string list, string start, string count);

    /// <summary>The number of elements of a list expression.</summary>
    /// <param name="list">The list.</param>
    /// <returns>The expression.</returns>
    public abstract string ListLength(string list);

    /// <summary>A statement that makes <paramref name="name"/> a table or cached view of <paramref name="query"/>, computed once.</summary>
    /// <param name="name">The name.</param>
    /// <param name="query">The query.</param>
    /// <returns>The statement.</returns>
    public abstract string Materialize(string name, string query);

    /// <summary>A statement that makes <paramref name="name"/> a view of <paramref name="query"/>, computed again by every
    /// statement that reads it: for a filter of a stored table, which costs less to repeat than to store. (Issue 12: on
    /// the embedded engine a stored copy of a day-sized filter outgrows the memory limit at 10M impressions, so it is
    /// written to the spill file and read back, for nothing.)</summary>
    /// <param name="name">The name.</param>
    /// <param name="query">The query.</param>
    /// <returns>The statement.</returns>
    public abstract string View(string name, string query);

    /// <summary>
    /// The relation that reads a source's raw rows, with these columns added: <c>__file</c> (the file's name, or its
    /// index in the source's sorted file list); <c>__row</c> (a BIGINT that grows with the row's position in its file,
    /// such as the 1-based row, or null where the engine cannot tell; <see cref="BadRows"/> turns it into the line
    /// the quarantine reports); <c>__bad</c> (text: why the reader could not make a row of it, such as a malformed JSON
    /// line, or null); <c>__skip</c> (BOOLEAN: not a row at all, such as a blank line, kept only so that the rows
    /// after it can be numbered; such rows are neither read nor bad).
    /// </summary>
    /// <param name="source">The source.</param>
    /// <param name="columns">The columns to read (file column names, after renaming is undone).</param>
    /// <returns>Statements to run first (possibly none) and the relation (a table function call or a view name).</returns>
    public abstract (IReadOnlyList<string> Prelude, string Relation) ReadSource(PlannedSource source, IReadOnlyList<string> columns);

    /// <summary>
    /// The rows the engine's reader itself rejected (malformed CSV lines, lines that are not UTF-8 or too long), as a
    /// relation with <c>__file</c>,
    /// <c>__row</c> (the line) and <c>__reason</c>, available after <see cref="ReadSource"/>'s relation has been read;
    /// null when the engine reports none separately.
    /// </summary>
    /// <param name="source">The source.</param>
    /// <returns>The relation, or null.</returns>
    public virtual string? RejectedRows(PlannedSource source) => null;

    /// <summary>
    /// The bad rows of a source's typed table (those with a <c>__reason</c>) as a relation with <c>__file</c>,
    /// <c>__row</c> (the row or line number the quarantine reports, or null) and <c>__reason</c>, with statements to
    /// run first; by default the rows as they are.
    /// </summary>
    /// <param name="source">The source.</param>
    /// <param name="typed">The typed table's quoted name: <see cref="ReadSource"/>'s columns <c>__file</c>,
    /// <c>__row</c> and <c>__skip</c>, and <c>__reason</c>.</param>
    /// <returns>Statements to run first (possibly none) and the relation.</returns>
    public virtual (IReadOnlyList<string> Prelude, string Relation) BadRows(PlannedSource source, string typed) =>
        ([], $"(SELECT {Names.File}, {Names.Row}, {Names.Reason}{(KeepsRawRows ? ", " + Names.Raw : "")} FROM {typed} WHERE {Names.Reason} IS NOT NULL)");

    // The quarantine's raw rows (helper Q, issue 11).

    /// <summary>
    /// Whether the quarantine keeps each bad row's raw content (<see cref="TechnicalColumns.Raw"/>): on an engine whose
    /// readers give no line numbers, the raw row is what lets a user find it. Then the typed tables have the column
    /// <see cref="RawRow"/> makes, <see cref="BadRows"/> and <see cref="RejectedRows"/> have it too, and the quarantine
    /// query has it last.
    /// </summary>
    public virtual bool KeepsRawRows => false;

    /// <summary>
    /// A row's raw content as text, an expression over <see cref="ReadSource"/>'s relation (alias <paramref name="alias"/>):
    /// the line the reader rejected, else a JSON object of the columns read; null where <see cref="KeepsRawRows"/> is false.
    /// </summary>
    /// <param name="source">The source.</param>
    /// <param name="columns">The columns read (file column names), as given to <see cref="ReadSource"/>.</param>
    /// <param name="alias">The relation's alias.</param>
    /// <returns>The expression, or null.</returns>
    public virtual string? RawRow(PlannedSource source, IReadOnlyList<string> columns, string alias) => null;

    // ---- Order, identity and times (issue 11, helper "order"): the members below belong together. ----

    /// <summary>
    /// Epoch microseconds of timestamp text (clauses <c>time-text-format</c> and <c>time-dst</c>); null when the text
    /// is not in one of <see cref="TimestampText"/>'s forms or names no real date. Text with an offset is that instant;
    /// text without one is a wall-clock time in <paramref name="zone"/>, read by Java's rule
    /// (<c>ZonedDateTime.ofLocal</c> without a preferred offset, what Spark's <c>to_utc_timestamp</c> does): a time that
    /// occurs twice is the earlier instant, a time in a gap is moved forward by the gap's length.
    /// </summary>
    /// <param name="text">The text expression.</param>
    /// <param name="zone">The IANA zone.</param>
    /// <returns>The expression (BIGINT).</returns>
    public string TextToEpochMicros(string text, string zone)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(zone);
        string o = Names.Local("to");
        string w = Names.Local("tw");

        // The offset's minutes: +HH, +HHMM or +HH:MM (the pattern allows nothing else), its last two digits the minutes.
        string minutes = $"(CAST(substr({o}, 2, 2) AS BIGINT) * 60 + CASE WHEN length({o}) > 3 THEN CAST(substr({o}, length({o}) - 1, 2) AS BIGINT) ELSE 0 END)";
        string instant =
            $"CASE WHEN {o} = '' THEN {ZoneWallToUtcMicros(w, zone)} WHEN {o} = 'Z' THEN {w} " +
            $"WHEN substr({o}, 1, 1) = '-' THEN {w} + {minutes} * 60000000 ELSE {w} - {minutes} * 60000000 END";
        string parsed = Let(WallTextToMicros(TimeTextPart(text, TimestampText.LocalGroup)), w, Let(TimeTextPart(text, TimestampText.OffsetGroup), o, instant));
        return $"(CASE WHEN {FullMatch(text, TimestampText.Body)} THEN {parsed} END)";
    }

    /// <summary>A group of <see cref="TimestampText.Pattern"/> matched in text: empty text for a group that took no
    /// part in the match. DuckDB's and Spark's <c>regexp_extract</c> are spelled alike.</summary>
    /// <param name="text">The text expression.</param>
    /// <param name="group">The group number.</param>
    /// <returns>The text expression.</returns>
    private string TimeTextPart(string text, int group) =>
        $"regexp_extract({text}, {String(TimestampText.Pattern)}, {group.ToString(CultureInfo.InvariantCulture)})";

    /// <summary>A local date and time as text (<see cref="TimestampText.LocalGroup"/>) as the microseconds of that wall
    /// clock read as UTC; null when the date does not exist.</summary>
    /// <param name="local">The text expression.</param>
    /// <returns>The BIGINT expression.</returns>
    protected abstract string WallTextToMicros(string local);

    /// <summary>The instant (epoch microseconds) of a wall-clock time in a zone by Java's rule (see
    /// <see cref="TextToEpochMicros"/>).</summary>
    /// <param name="wall">The wall clock's microseconds read as UTC (a BIGINT expression).</param>
    /// <param name="zone">The IANA zone.</param>
    /// <returns>The BIGINT expression.</returns>
    protected abstract string ZoneWallToUtcMicros(string wall, string zone);

    /// <summary>The wall clock in a zone of an instant, as microseconds read as UTC.</summary>
    /// <param name="micros">The instant's epoch microseconds (a BIGINT expression).</param>
    /// <param name="zone">The IANA zone.</param>
    /// <returns>The BIGINT expression.</returns>
    protected abstract string WallMicros(string micros, string zone);

    /// <summary><paramref name="body"/> with <paramref name="name"/> bound to <paramref name="value"/>, computed once
    /// (a one-element list mapped by a lambda).</summary>
    /// <param name="value">The value expression.</param>
    /// <param name="name">The lambda variable (a technical name).</param>
    /// <param name="body">The expression using the variable.</param>
    /// <returns>The expression.</returns>
    protected abstract string Let(string value, string name, string body);

    /// <summary>
    /// Java's rule for a wall-clock time from an engine's own conversion <paramref name="engine"/> that already moves a
    /// time in a gap forward by the gap (both DuckDB's ICU and Spark 2.4 do) but may take the later of two instants:
    /// the offset a day before the engine's instant is the offset before the change; the wall clock less that offset is
    /// the earlier instant when it is earlier and shows the same wall clock (then the time occurred twice). Exact for
    /// every zone whose offset changes at most once within any day (every IANA zone since 1970).
    /// </summary>
    /// <param name="wall">The wall clock's microseconds read as UTC.</param>
    /// <param name="engine">The engine's instant for it (an expression of <paramref name="wall"/>).</param>
    /// <param name="zone">The IANA zone.</param>
    /// <returns>The BIGINT expression.</returns>
    protected string EarlierOfRepeatedTime(string wall, string engine, string zone)
    {
        string u = Names.Local("tu");
        string e = Names.Local("te");
        const string Day = "86400000000";
        string before = $"({WallMicros($"{u} - {Day}", zone)} - ({u} - {Day}))";
        return Let(engine, u, Let($"{wall} - {before}", e, $"CASE WHEN {e} < {u} AND {WallMicros(e, zone)} = {wall} THEN {e} ELSE {u} END"));
    }

    /// <summary>
    /// A BIGINT unique to each impression (clause <c>row-identity</c>), used only to join a row's derived values back to
    /// it within one run (never for order or output).
    /// </summary>
    /// <param name="content">The row's content columns (time, every column, file), as expressions.</param>
    /// <returns>The expression (may hold a window function; selected from a materialised table).</returns>
    public abstract string UniqueRowId(IReadOnlyList<string> content);

    /// <summary>An ascending sort key with nulls first, spelled out (DuckDB's default puts nulls last, Spark's first).</summary>
    /// <param name="expression">The expression.</param>
    /// <returns>The ORDER BY item.</returns>
    public static string Ascending(string expression) => expression + " ASC NULLS FIRST";

    /// <summary>A descending sort key with nulls last (the reverse of <see cref="Ascending"/>).</summary>
    /// <param name="expression">The expression.</param>
    /// <returns>The ORDER BY item.</returns>
    public static string Descending(string expression) => expression + " DESC NULLS LAST";

    // ---- End of the order, identity and times members. ----

    // --- Metastore table sources (runner, issue 11) ---

    /// <summary>
    /// The relation that reads a metastore table source (<see cref="SourceConfig.Table"/>) with the columns
    /// <see cref="ReadSource"/> gives; by default refused: the engine reads files only (the embedded engine).
    /// </summary>
    /// <param name="source">The source (a table).</param>
    /// <param name="columns">The columns to read.</param>
    /// <returns>Statements to run first (possibly none) and the relation.</returns>
    /// <exception cref="JobConfigException">The engine cannot read a table; the message names the path form to use.</exception>
    public virtual (IReadOnlyList<string> Prelude, string Relation) ReadTable(PlannedSource source, IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(source);
        throw new JobConfigException(TableSource.EmbeddedRefusal(null, source.Config));
    }

    // Value conversions (the contract's values clauses): the functions ValueRules composes, spelled per engine.

    /// <summary>Whether a text expression matches a regular expression as a whole (not a part of it, and not up to a
    /// trailing line break); null for null text.</summary>
    /// <param name="text">The text expression.</param>
    /// <param name="pattern">The pattern, in the syntax RE2 and Java share (classes, groups, alternation, <c>?</c>,
    /// <c>*</c>, <c>+</c>), without anchors.</param>
    /// <returns>A BOOLEAN expression.</returns>
    public abstract string FullMatch(string text, string pattern);

    /// <summary>The elements of a JSON array text as a list of text (a JSON string element as its text, any other
    /// element as its JSON text, a JSON null as null), or null when the text is not a JSON array.</summary>
    /// <param name="text">The text expression.</param>
    /// <returns>A list-of-text expression.</returns>
    public abstract string JsonArrayText(string text);

    /// <summary>Each element of a list mapped by an expression of the element (null for a null list).</summary>
    /// <param name="list">The list.</param>
    /// <param name="variable">The element's name in <paramref name="body"/>.</param>
    /// <param name="body">The expression.</param>
    /// <returns>The list expression.</returns>
    public abstract string ListTransform(string list, string variable, string body);

    /// <summary>The elements of a list for which a condition holds, in their order (null for a null list).</summary>
    /// <param name="list">The list.</param>
    /// <param name="variable">The element's name in <paramref name="predicate"/>.</param>
    /// <param name="predicate">The condition.</param>
    /// <returns>The list expression.</returns>
    public abstract string ListFilter(string list, string variable, string predicate);

    // ---- Reading (issue 11, "reading") ----

    /// <summary>Whether a text holds U+FFFD, the replacement character (invalid UTF-8 decoded): a BOOLEAN, null for
    /// a null text.</summary>
    /// <param name="text">A text expression.</param>
    /// <returns>The condition.</returns>
    public abstract string HoldsReplacementCharacter(string text);

    // ---- Incremental state (issue 12, docs/state.md) ----

    /// <summary>A relation reading one Parquet file of a state snapshot.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The relation.</returns>
    public abstract string ReadStateFile(string path);

    /// <summary>How the state's file-to-partition table names one input file of the plan, as a literal comparable to
    /// <see cref="StateFileOfRow"/>: the file's index in the plan (DuckDB's <c>__file</c>) or its path (Spark's).</summary>
    /// <param name="index">The file's index in the source's plan files.</param>
    /// <param name="file">The file's full local path.</param>
    /// <returns>The literal.</returns>
    public abstract string StateFileKey(int index, string file);

    /// <summary>A row's <c>__file</c> as <see cref="StateFileKey"/> spells its file.</summary>
    /// <param name="fileColumn">The qualified <c>__file</c> column.</param>
    /// <returns>The expression.</returns>
    public virtual string StateFileOfRow(string fileColumn) => fileColumn;

    /// <summary>The <c>__file</c> of a row carried by a snapshot: a value no file of the run has, distinct per row (it
    /// keeps carried clicks apart in the label's join).</summary>
    /// <param name="content">The carried row's columns (its logical columns, time and partition), for an engine whose
    /// row ids come from the content (clause row-identity).</param>
    /// <returns>The expression.</returns>
    public abstract string StateCarriedFile(IReadOnlyList<string> content);

    /// <summary>A DATE literal.</summary>
    /// <param name="day">The day.</param>
    /// <returns>The literal.</returns>
    public string Date(DateOnly day) => "DATE '" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "'";

    /// <summary>Standard single-quoted literal with doubled quotes.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The literal.</returns>
    protected static string QuoteDoubling(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length + 2).Append('\'');
        foreach (char c in value)
        {
            sb.Append(c == '\'' ? "''" : c.ToString());
        }

        return sb.Append('\'').ToString();
    }
}
