using System.Globalization;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Planning;

namespace SparkTfrecord.Engine.Sql;

/// <summary>
/// DuckDB's spelling (1.5): list functions, <c>read_parquet</c> / <c>read_csv</c> / <c>read_json</c>, ICU time zones.
/// A row's <c>__file</c> is its file's index in the plan's sorted file list (<c>file_index</c>), which keeps the
/// typed tables small; <see cref="Planning.PlannedSource.Files"/> names it.
/// </summary>
public sealed class DuckDbDialect : SqlDialect
{
    /// <summary>The one instance.</summary>
    public static DuckDbDialect Instance { get; } = new();

    /// <inheritdoc/>
    public override string Name => "duckdb";

    /// <inheritdoc/>
    public override string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <inheritdoc/>
    public override string String(string value) => QuoteDoubling(value);

    /// <inheritdoc/>
    public override string Type(FeatureKind kind, bool list)
    {
        string t = kind switch
        {
            FeatureKind.Int64 => "BIGINT",
            FeatureKind.Float => "FLOAT",
            _ => "VARCHAR",
        };
        return list ? t + "[]" : t;
    }

    /// <inheritdoc/>
    public override string TryCast(string expression, string type) => $"TRY_CAST({expression} AS {type})";

    /// <inheritdoc/>
    public override string EmptyList(FeatureKind kind) => $"CAST([] AS {Type(kind, true)})";

    /// <inheritdoc/>
    public override string Hash60(string text) => $"CAST('0x' || substr(md5({text}), 1, 15) AS BIGINT)";

    /// <inheritdoc/>
    public override string TextToEpochMicros(string text, string zone) =>
        $"(CASE WHEN regexp_matches({text}, '(Z|[+-][0-9][0-9](:?[0-9][0-9])?)$') THEN epoch_us(TRY_CAST({text} AS TIMESTAMPTZ)) " +
        $"ELSE epoch_us(timezone({String(zone)}, TRY_CAST({text} AS TIMESTAMP))) END)";

    /// <inheritdoc/>
    public override string HourOfDay(string micros, string zone) => $"CAST(hour({Local(micros, zone)}) AS BIGINT)";

    /// <inheritdoc/>
    public override string DayOfWeek(string micros, string zone) => $"CAST(isodow({Local(micros, zone)}) AS BIGINT)";

    /// <inheritdoc/>
    public override string FrameList(string time, string value, string window) =>
        $"list(struct_pack(t := {time}, v := {value}) ORDER BY {time} ASC, {value} DESC) OVER {window}";

    /// <inheritdoc/>
    public override string NewestValuesFrom(string list, string bound) =>
        $"list_transform(list_reverse(list_filter({list}, lambda x: x.t >= {bound})), lambda x: x.v)";

    /// <inheritdoc/>
    public override string UniqueRowId => "row_number() OVER ()";

    /// <inheritdoc/>
    public override string ListLength(string list) => $"CAST(len({list}) AS BIGINT)";

    /// <inheritdoc/>
    public override string Materialize(string name, string query) => $"CREATE OR REPLACE TEMP TABLE {Identifier(name)} AS\n{query}";

    /// <inheritdoc/>
    public override (IReadOnlyList<string> Prelude, string Relation) ReadSource(PlannedSource source, IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Files.Count == 0)
        {
            // Nothing to read (look-back days not there): an empty relation with the columns' names.
            string nulls = string.Join(", ", columns.Select(c => $"CAST(NULL AS VARCHAR) AS {Identifier(c)}"));
            return ([], $"(SELECT {nulls}, CAST(NULL AS BIGINT) AS __file, CAST(NULL AS BIGINT) AS __row WHERE 1 = 0)");
        }

        string files = "[" + string.Join(", ", source.Files.Select(String)) + "]";
        string select = string.Join(", ", columns.Select(Identifier));
        string relation = source.Config.Format switch
        {
            SourceFormat.Parquet => $"(SELECT {select}, CAST(file_index AS BIGINT) AS __file, file_row_number + 1 AS __row FROM read_parquet({files}, file_row_number = true, union_by_name = true))",
            SourceFormat.Csv => $"(SELECT {select}, CAST(file_index AS BIGINT) AS __file, CAST(NULL AS BIGINT) AS __row FROM read_csv({files}, {CsvOptions(source.Config.Csv)}, all_varchar = true, " +
                $"store_rejects = true, rejects_table = {String("rejects_" + source.Name)}, rejects_scan = {String("rejects_scan_" + source.Name)}))",
            _ => $"(SELECT {select}, CAST(file_index AS BIGINT) AS __file, CAST(NULL AS BIGINT) AS __row FROM read_json({files}, format = 'newline_delimited', union_by_name = true))",
        };
        return ([], relation);
    }

    /// <inheritdoc/>
    /// <remarks>DuckDB reports a line once per error in it (one per extra column, say): the line is counted once.</remarks>
    public override string? RejectedRows(PlannedSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.Config.Format == SourceFormat.Csv && source.Files.Count > 0
            ? $"(SELECT CAST(file_id AS BIGINT) AS __file, CAST(line AS BIGINT) AS __row, min('malformed CSV line: ' || CAST(error_type AS VARCHAR) || ': ' || error_message) AS __reason " +
              $"FROM {Identifier("rejects_" + source.Name)} GROUP BY file_id, line)"
            : null;
    }

    // The session's TimeZone is UTC (the engine sets it), so make_timestamp's instant is read as UTC.
    private string Local(string micros, string zone) => $"timezone({String(zone)}, CAST(make_timestamp({micros}) AS TIMESTAMPTZ))";

    private string CsvOptions(CsvOptions csv)
    {
        string options = $"header = {(csv.Header ? "true" : "false")}, delim = {String(csv.Delimiter.ToString())}, quote = '\"'";
        if (csv.Columns.Count > 0)
        {
            options += ", names = [" + string.Join(", ", csv.Columns.Select(String)) + "]";
        }

        return options;
    }
}
