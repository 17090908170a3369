using System.Globalization;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Spec;

namespace SparkTfrecord.Engine.Sql;

/// <summary>
/// What a source value means as a feature kind or an epoch time, written once for every engine (the contract's
/// clauses <c>int64-from-text</c>, <c>float-from-text</c>, <c>epoch-fractional</c> and <c>list-json-text</c>, see
/// docs/engine-semantics.md): the patterns, the special float words and the scales are spelled here; a dialect only
/// spells the few functions used (<see cref="SqlDialect.FullMatch"/>, <see cref="SqlDialect.JsonArrayText"/>,
/// <see cref="SqlDialect.ListTransform"/>, <see cref="SqlDialect.ListFilter"/>, <see cref="SqlDialect.TryCast"/>).
/// Every rule works on the value's text (<c>trim(CAST(x AS text))</c>, spaces only), so a text column and a typed
/// (Parquet) column follow the same rule, and a value is converted only when its text has the expected form: neither
/// engine's own leniency (DuckDB rounds <c>'12.7'</c> to 13, Spark's non-ANSI cast truncates it to 12, Java's
/// float parser takes <c>1.5d</c> and <c>0x1p3</c>) is ever reached.
/// </summary>
internal static class ValueRules
{
    /// <summary>An int64 value's text: an optional sign and decimal digits, nothing else.</summary>
    public const string IntegerPattern = "[+-]?[0-9]+";

    /// <summary>A float value's (or fractional epoch's) text: a decimal number with an optional exponent.</summary>
    public const string DecimalPattern = @"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?";

    /// <summary>The words (any case) a float value may also be: not a number.</summary>
    public static IReadOnlyList<string> NotANumberWords { get; } = ["nan"];

    /// <summary>The words (any case) for positive infinity.</summary>
    public static IReadOnlyList<string> PositiveInfinityWords { get; } = ["inf", "+inf", "infinity", "+infinity"];

    /// <summary>The words (any case) for negative infinity.</summary>
    public static IReadOnlyList<string> NegativeInfinityWords { get; } = ["-inf", "-infinity"];

    /// <summary>The value's text as the rules read it: its text with the spaces around it removed. Both engines'
    /// <c>trim(x)</c> remove spaces (U+0020) only: DuckDB's <c>trim</c>, Spark's <c>StringTrim</c>
    /// (<c>UTF8String.trim</c>); a tab or a line break around a value therefore makes it invalid on both.</summary>
    /// <param name="d">The dialect.</param>
    /// <param name="value">The value (any type).</param>
    /// <returns>The expression.</returns>
    public static string Text(SqlDialect d, string value) => $"trim(CAST({value} AS {d.Text}))";

    /// <summary>An int64 value, or null when the value is null or not an integer that fits in 64 bits.</summary>
    /// <param name="d">The dialect.</param>
    /// <param name="value">The value (any type).</param>
    /// <returns>A BIGINT expression.</returns>
    /// <remarks>The cast is reached only for text of the integer pattern, which both engines convert exactly or, past
    /// 64 bits, to null: DuckDB's <c>TRY_CAST</c>; Spark's <c>try_cast</c> and, on Spark 2.4 to 3.1, its non-ANSI
    /// <c>CAST</c> (Cast.scala <c>castToLong</c>, <c>UTF8String.toLong</c>, which returns false on overflow; it would
    /// truncate <c>12.7</c>, which the pattern keeps from it).</remarks>
    public static string Int64(SqlDialect d, string value)
    {
        ArgumentNullException.ThrowIfNull(d);
        string text = Text(d, value);
        return $"(CASE WHEN {d.FullMatch(text, IntegerPattern)} THEN {d.TryCast(text, d.Type(FeatureDtype.Int64, false))} END)";
    }

    /// <summary>A float value, or null when the value is null or its text is neither a decimal number nor one of the
    /// special words.</summary>
    /// <param name="d">The dialect.</param>
    /// <param name="value">The value (any type).</param>
    /// <returns>A FLOAT expression.</returns>
    /// <remarks>The special words become the texts <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>, which every engine
    /// casts (Java's <c>Float.parseFloat</c>; Spark 2.4 knows no other spelling, its Cast.scala <c>castToFloat</c> has
    /// no <c>processFloatingPointSpecialLiterals</c>). A decimal is rounded to the nearest float by both: DuckDB's
    /// string-to-float cast, Spark's <c>floatStr.toFloat</c> (Cast.scala <c>castToFloat</c>); a decimal beyond the
    /// float range gives infinity on both (checked: DuckDB <c>TRY_CAST('1e39' AS FLOAT)</c> is <c>inf</c>).</remarks>
    public static string Float(SqlDialect d, string value)
    {
        ArgumentNullException.ThrowIfNull(d);
        string text = Text(d, value);
        string type = d.Type(FeatureDtype.Float, false);
        string word = $"lower({text})";
        return $"(CASE WHEN {word} IN ({Words(d, NotANumberWords)}) THEN CAST({d.String("NaN")} AS {type}) " +
               $"WHEN {word} IN ({Words(d, PositiveInfinityWords)}) THEN CAST({d.String("Infinity")} AS {type}) " +
               $"WHEN {word} IN ({Words(d, NegativeInfinityWords)}) THEN CAST({d.String("-Infinity")} AS {type}) " +
               $"WHEN {d.FullMatch(text, DecimalPattern)} THEN {d.TryCast(text, type)} END)";
    }

    /// <summary>A value of a scalar kind: int64 and float by their rules, text as the value's text (never invalid).</summary>
    /// <param name="d">The dialect.</param>
    /// <param name="kind">The kind.</param>
    /// <param name="value">The value (any type).</param>
    /// <returns>The expression.</returns>
    public static string Scalar(SqlDialect d, FeatureDtype kind, string value)
    {
        ArgumentNullException.ThrowIfNull(d);
        return kind switch
        {
            FeatureDtype.Int64 => Int64(d, value),
            FeatureDtype.Float => Float(d, value),
            _ => $"CAST({value} AS {d.Text})",
        };
    }

    /// <summary>Whether a value of a scalar kind can fail to convert (int64 and float; text never fails).</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>True when a present value may convert to null.</returns>
    public static bool CanBeInvalid(FeatureDtype kind) => kind is FeatureDtype.Int64 or FeatureDtype.Float;

    /// <summary>The elements of a list value as text, or null when it is not a list: a text value (a CSV or JSON-lines
    /// field) must be a JSON array (<see cref="SqlDialect.JsonArrayText"/>); a list value (a Parquet list column) is
    /// taken as it is, each element as its text.</summary>
    /// <param name="d">The dialect.</param>
    /// <param name="value">The value.</param>
    /// <param name="fromText">Whether the value is text (the source is CSV or JSON lines).</param>
    /// <param name="variable">A name for the lambda variable (a technical name, which no column can have).</param>
    /// <returns>A list of text.</returns>
    public static string ListElements(SqlDialect d, string value, bool fromText, string variable)
    {
        ArgumentNullException.ThrowIfNull(d);
        return fromText ? d.JsonArrayText(value) : d.ListTransform(value, variable, $"CAST({variable} AS {d.Text})");
    }

    /// <summary>A list of a kind from its elements' text: each element converted by the scalar rule, elements that
    /// are null or do not convert dropped (the connectors cannot write a null element).</summary>
    /// <param name="d">The dialect.</param>
    /// <param name="kind">The element kind.</param>
    /// <param name="elements">The elements (<see cref="ListElements"/>).</param>
    /// <param name="variable">The lambda variable's name.</param>
    /// <returns>The list expression, null when <paramref name="elements"/> is.</returns>
    public static string List(SqlDialect d, FeatureDtype kind, string elements, string variable)
    {
        ArgumentNullException.ThrowIfNull(d);
        return d.ListFilter(d.ListTransform(elements, variable, Scalar(d, kind, variable)), variable, $"{variable} IS NOT NULL");
    }

    /// <summary>Whether a present list value is invalid: not a list (not a JSON array), or holding an element that is
    /// present but does not convert.</summary>
    /// <param name="d">The dialect.</param>
    /// <param name="kind">The element kind.</param>
    /// <param name="value">The source value.</param>
    /// <param name="elements">Its elements (<see cref="ListElements"/>).</param>
    /// <param name="variable">The lambda variable's name.</param>
    /// <returns>A BOOLEAN expression, never null.</returns>
    public static string ListInvalid(SqlDialect d, FeatureDtype kind, string value, string elements, string variable)
    {
        ArgumentNullException.ThrowIfNull(d);
        string notList = $"{elements} IS NULL";
        if (!CanBeInvalid(kind))
        {
            return $"({value} IS NOT NULL AND {notList})";
        }

        string failing = d.ListFilter(elements, variable, $"{variable} IS NOT NULL AND {Scalar(d, kind, variable)} IS NULL");
        return $"({value} IS NOT NULL AND ({notList} OR {d.ListLength(failing)} > 0))";
    }

    /// <summary>The microseconds of an epoch value in seconds, milliseconds or microseconds, or null (the row is then
    /// quarantined for its time): integer text in exact BIGINT arithmetic, bounded before it is scaled (so that no
    /// engine overflows, an error under Spark's ANSI mode); decimal text as <c>round(CAST(text AS DOUBLE) * scale)</c>,
    /// half away from zero, within the BIGINT range.</summary>
    /// <param name="d">The dialect.</param>
    /// <param name="value">The time value (any type).</param>
    /// <param name="unit">The unit (not text).</param>
    /// <returns>A BIGINT expression.</returns>
    /// <remarks>Both engines parse the decimal to the nearest double (DuckDB's cast; Java's
    /// <c>Double.parseDouble</c> in Cast.scala <c>castToDouble</c>) and multiply in IEEE doubles. DuckDB's
    /// <c>round(DOUBLE)</c> rounds half away from zero (checked: <c>round(-2.5)</c> is -3,
    /// <c>round(0.49999999999999994)</c> is 0); Spark's (mathExpressions.scala <c>Round</c>, <c>RoundBase</c>) rounds
    /// the double's <c>BigDecimal</c> with <c>HALF_UP</c>, the same. The bound <c>CAST(9223372036854775807 AS
    /// DOUBLE)</c> is 2^63 on both, and a rounded value below it casts to BIGINT exactly.</remarks>
    public static string EpochMicros(SqlDialect d, string value, TimeUnit unit)
    {
        ArgumentNullException.ThrowIfNull(d);
        long scale = unit switch
        {
            TimeUnit.Seconds => 1_000_000,
            TimeUnit.Milliseconds => 1_000,
            TimeUnit.Microseconds => 1,
            _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "a text time has no epoch scale"),
        };
        string text = Text(d, value);
        string asInt = d.TryCast(text, "BIGINT");
        long bound = long.MaxValue / scale;
        string integer = scale == 1
            ? asInt
            : $"CASE WHEN {asInt} BETWEEN {d.BigInt(-bound)} AND {d.BigInt(bound)} THEN {asInt} * {d.BigInt(scale)} END";
        string scaled = $"{d.TryCast(text, "DOUBLE")} * {scale.ToString(CultureInfo.InvariantCulture)}";
        string fractional = $"CASE WHEN abs({scaled}) < CAST(9223372036854775807 AS DOUBLE) THEN CAST(round({scaled}) AS BIGINT) END";
        return $"(CASE WHEN {d.FullMatch(text, IntegerPattern)} THEN {integer} WHEN {d.FullMatch(text, DecimalPattern)} THEN {fractional} END)";
    }

    private static string Words(SqlDialect d, IEnumerable<string> words) => string.Join(", ", words.Select(d.String));
}
