using System.Globalization;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Spec.Yaml;

namespace SparkTfrecord.Engine.Config;

/// <summary>
/// The rules every value of the <c>job:</c> section is checked against when the config is read, so that a mistake
/// that could only fail later (as an engine's parser or binder error, without a place) is reported at its file, line
/// and column with what to do. Scalars are read by the spec library's YAML layer (<see cref="YamlNode"/>), as the
/// features are: only forms that YAML 1.1 and 1.2 readers read alike, and no explicit tags.
/// </summary>
public static partial class JobConfigParser
{
    /// <summary>The longest duration accepted (<c>within</c>, <c>window</c>): ten years.</summary>
    internal const int MaxDurationDays = 3660;

    private sealed partial class Reader
    {
        // Column names seen so far, by their lower-case form: SQL engines ignore case in names, so two names that
        // differ only in case would be one column to DuckDB and Spark.
        private readonly Dictionary<string, (string Name, YamlNode Node)> _columns = new(StringComparer.OrdinalIgnoreCase);

        // Names DuckDB's file readers answer themselves when the files have no such column (the file's name, its index,
        // the row's number: read silently in place of the missing column) or add (WITH ORDINALITY's column), and the
        // column Spark's CSV and JSON readers fill with a malformed line's text (spark.sql.columnNameOfCorruptRecord).
        private static readonly string[] s_readerColumns = ["filename", "file_index", "file_row_number", "ordinality", "_corrupt_record"];

        // Where each column name in the files (a rename value) was written.
        private readonly Dictionary<string, YamlNode> _fileColumns = new(StringComparer.Ordinal);

        /// <summary>
        /// Refuses a column the job reads from the files under a name the engines' readers answer themselves: a
        /// missing column of that name would be read as the file's name or the row's number rather than reported.
        /// </summary>
        public void CheckReadableColumns(IEnumerable<SourceConfig> sources, YamlNode fallback)
        {
            foreach (var source in sources)
            {
                foreach (string logical in source.Columns.Concat(source.RowTime is { } t ? [t.Column] : []))
                {
                    bool renamed = source.Rename.TryGetValue(logical, out string? physical);
                    physical ??= logical;
                    if (s_readerColumns.Contains(physical, StringComparer.OrdinalIgnoreCase))
                    {
                        YamlNode at = renamed && _fileColumns.TryGetValue(physical, out var r) ? r
                            : _columns.TryGetValue(logical, out var c) ? c.Node : fallback;
                        throw Error(at, $"source '{source.Name}' reads a column named '{physical}' from its files, a name the engines' file readers answer " +
                            "themselves (the file's name or index, the row's number, a malformed line's text), so a missing column would be read silently: rename the column in the files.");
                    }
                }
            }
        }

        /// <summary>A scalar meant as text: a plain one must be one that every YAML reader reads as a string.</summary>
        public string Text(YamlNode node, string what) => node.ReadString(what);

        /// <summary>Free text that reaches SQL as a literal or a path: no control characters, no broken UTF-16.</summary>
        public string FreeText(YamlNode node, string what, bool allowEmpty)
        {
            string s = Text(node, what);
            if (!allowEmpty && s.Length == 0)
            {
                throw Error(node, $"{what} is empty.");
            }

            CheckCharacters(node, s, what);
            return s;
        }

        public void CheckCharacters(YamlNode node, string s, string what)
        {
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                if (char.IsControl(c))
                {
                    throw Error(node, $"{what} holds the control character U+{(int)c:X4} at character {i + 1}: remove it (SQL engines and file systems do not all take it).");
                }

                if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                {
                    i++;
                }
                else if (char.IsSurrogate(c))
                {
                    throw Error(node, $"{what} holds an unpaired surrogate U+{(int)c:X4} at character {i + 1}, which is not text: remove it.");
                }
            }
        }

        /// <summary>
        /// A name the job makes an SQL identifier of (a source, a feature, a logical column): the identifier pattern,
        /// not starting with <c>__</c> (the job's internal columns: <c>__file</c>, <c>__row</c>, <c>__ts</c>, ...).
        /// </summary>
        public string CheckedName(YamlNode node, string what) => CheckName(node, Text(node, what), what);

        public string CheckName(YamlNode node, string s, string what)
        {
            if (!NamePattern().IsMatch(s))
            {
                throw Error(node, s.Length == 0
                    ? $"{what} is empty: write a name (letters, digits and _, not starting with a digit)."
                    : $"'{s}' is not a valid name for {what} (letters, digits and _, not starting with a digit).");
            }

            if (s.StartsWith(TechnicalColumns.ReservedPrefix, StringComparison.Ordinal))
            {
                throw Error(node, $"'{s}' ({what}) starts with '__', which the job keeps for its internal columns (__file, __row, __ts, ...): rename it (rename: {{{s.TrimStart('_')}: {s}}} reads a file column of that name).");
            }

            return s;
        }

        /// <summary>A source's name: a checked name that differs from the other sources' names by more than case (the
        /// engines' tables are named after it, and they ignore case).</summary>
        public string SourceName(YamlNode node, IEnumerable<string> earlier)
        {
            string s = CheckedName(node, "a source name");
            if (earlier.FirstOrDefault(e => string.Equals(e, s, StringComparison.OrdinalIgnoreCase)) is { } other)
            {
                throw Error(node, $"source '{s}' differs from source '{other}' only in case; DuckDB and Spark ignore case in table names: rename one.");
            }

            return s;
        }

        /// <summary>A logical column name: a checked name that differs from every other column name by more than case.</summary>
        public string ColumnName(YamlNode node, string what) => RegisterColumn(node, CheckedName(node, what));

        public string RegisterColumn(YamlNode node, string s)
        {
            if (_columns.TryGetValue(s, out var first) && first.Name != s)
            {
                throw Error(node, $"column '{s}' differs from column '{first.Name}' (line {first.Node.Location.Line}) only in case; DuckDB and Spark ignore case in names, so write it the same way everywhere.");
            }

            _columns.TryAdd(s, (s, node));
            return s;
        }

        /// <summary>A list of column names (or one), each listed once.</summary>
        public IReadOnlyList<string> ColumnList(YamlNode node, string what)
        {
            var items = node switch
            {
                YamlScalar => [node],
                YamlSequence seq => seq.Items.ToList(),
                _ => throw Error(node, $"{what} must be a name or a list of names."),
            };
            var names = new List<string>();
            foreach (var item in items)
            {
                string name = ColumnName(item, what);
                if (names.Contains(name, StringComparer.Ordinal))
                {
                    throw Error(item, $"{what} lists '{name}' twice: list each column once.");
                }

                names.Add(name);
            }

            return names;
        }

        /// <summary>
        /// A column's name in the files (a <c>rename</c> value): any text the engines can quote, so not empty, no
        /// control characters, no backtick or ';' (the spark-sql shell mishandles them in names) and not starting
        /// with <c>__</c>.
        /// </summary>
        public string FileColumn(YamlNode node)
        {
            string s = FreeText(node, "a column name in the files", allowEmpty: false);
            if (s.Contains('`', StringComparison.Ordinal) || s.Contains(';', StringComparison.Ordinal))
            {
                throw Error(node, $"the column name '{s}' holds a backtick or ';', which the Spark engine cannot quote: rename the column in the files.");
            }

            if (s.StartsWith(TechnicalColumns.ReservedPrefix, StringComparison.Ordinal))
            {
                throw Error(node, $"the column name '{s}' starts with '__', which the job keeps for its internal columns: rename the column in the files.");
            }

            _fileColumns.TryAdd(s, node);
            return s;
        }

        /// <summary>A path template: free text whose placeholders the job can expand.</summary>
        public string PathTemplateText(YamlNode node)
        {
            string s = FreeText(node, "path", allowEmpty: false);
            if (PathTemplate.Check(s) is { } why)
            {
                throw Error(node, $"path '{s}': {why}.");
            }

            return s;
        }

        /// <summary>
        /// A CSV delimiter: one character, <c>\t</c> or <c>tab</c> for a tab. Not the quote <c>"</c> (DuckDB refuses
        /// it; a field could not be told from a quoted one), not a line break (records end there), not NUL (DuckDB's
        /// SQL cannot hold it).
        /// </summary>
        public char Delimiter(YamlNode node)
        {
            string s = Text(node, "delimiter");
            if (s is "\\t" or "tab")
            {
                return '\t';
            }

            if (s.Length != 1)
            {
                throw Error(node, s.Length == 0
                    ? "delimiter is empty: write one character, such as ',' or '|' (\\t or tab for a tab)."
                    : $"delimiter '{s}' is {s.Length} characters: write one character, such as ',' or '|' (\\t or tab for a tab).");
            }

            return s[0] switch
            {
                '"' => throw Error(node, "delimiter '\"' is the quote character of CSV fields: use another character, such as ',' or '|'."),
                '\r' or '\n' => throw Error(node, "delimiter is a line break, which ends records: use another character, such as ',' or '|'."),
                '\0' => throw Error(node, "delimiter is NUL (U+0000), which DuckDB cannot take: use another character, such as ',' or '|'."),
                var c when char.IsSurrogate(c) => throw Error(node, "delimiter is half a character: use one character of the Basic Multilingual Plane, such as ',' or '|'."),
                var c => c,
            };
        }

        /// <summary>An IANA time zone name both engines know (DuckDB's ICU and Spark's java.time), as written.</summary>
        /// <param name="node">The name's node.</param>
        /// <param name="what">The setting, for messages.</param>
        /// <param name="zone">The zone the name resolves to (looked up here, once).</param>
        public string Zone(YamlNode node, string what, out TimeZoneInfo zone)
        {
            string s = FreeText(node, what, allowEmpty: false);
            if (!TryFindZone(s, out zone) || !zone.HasIanaId || s.Contains("..", StringComparison.Ordinal) || s.StartsWith('/'))
            {
                throw Error(node, $"unknown time zone '{s}': use an IANA name such as Asia/Shanghai or UTC.");
            }

            return s;
        }

        /// <summary>
        /// A history's <c>missing</c> value, of the feature's kind: an integer or a number as the spec writes them, or
        /// text; returned as the text the engines cast.
        /// </summary>
        public string MissingValue(YamlNode node, SparkTfrecord.Spec.FeatureDtype kind, string feature)
        {
            string what = $"missing of history '{feature}'";
            if (kind == SparkTfrecord.Spec.FeatureDtype.String)
            {
                return FreeText(node, what, allowEmpty: true);
            }

            string s = Scalar(node, what);
            if (kind == SparkTfrecord.Spec.FeatureDtype.Int64)
            {
                return node.TryReadInteger(out long v)
                    ? v.ToString(CultureInfo.InvariantCulture)
                    : throw Error(node, $"{what} is '{s}', not an int64: write an unquoted integer such as 0 or -1 (the feature is int64).");
            }

            if (node.TryReadFloat(out double d) && double.IsFinite(d) && Math.Abs(d) <= float.MaxValue)
            {
                return s;
            }

            throw Error(node, $"{what} is '{s}', not a float: write an unquoted number with digits on both sides of the point, such as 0.0 or -1.5 (the feature is float32).");
        }

    }
}
