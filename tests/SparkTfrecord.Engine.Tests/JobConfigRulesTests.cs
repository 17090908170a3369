using SparkTfrecord.Engine.Config;
using SparkTfrecord.Spec;

namespace SparkTfrecord.Engine.Tests;

/// <summary>
/// Config mistakes caught when the job section is read, each at the line and column of the value at fault (found in
/// the YAML the test wrote), rather than later as an engine's parser or binder error.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class JobConfigRulesTests
{
    private const string Base = """
        spec: 1
        features:
          - {name: label, dtype: int64, role: label}
          - {name: user_id, dtype: string, role: user}
          - {name: device, dtype: string, role: context, default: ""}
          - {name: clicked, dtype: string, shape: var, role: history}
          - {name: clicked_ids, dtype: int64, shape: var, role: history}
        job:
          sources:
            impressions:
              path: "{input}/impressions/dt={date}"
              format: csv
              csv: {header: true, delimiter: ","}
              time: {column: ts, unit: ms, zone: UTC}
              dedup: [request_id, item_id]
            clicks: {path: "{input}/clicks/dt={date-15d..date}", format: jsonl, time: {column: ts, unit: ms}}
            items: {path: "{input}/items", key: item_id, rename: {category: Category}}
          timezone: Asia/Shanghai
          label: {events: clicks, match: [request_id, item_id], within: 30m}
          history:
            clicked: {events: clicks, value: items.category, window: 15d, max_length: 5, user: user_id, missing: unknown}
            clicked_ids: {events: clicks, value: item_num, window: 15d}
          columns: {user_id: impressions.user_id, device: impressions.device}
          sampling: {negative_rate: 0.5, eval_fraction: 0.1, salt: s1, key: [request_id, item_id]}
          output: {shards: 2, compression: none, shard_key: [request_id]}
          quarantine: {max_bad_fraction: 0.01}

        """;

    private static JobConfig Read(string yaml) => JobDefinition.FromSpec(SpecLoader.Parse(yaml, "spec.yaml")).Job;

    [Test]
    public void The_base_config_is_read()
    {
        var job = Read(Base);

        Assert.Multiple(() =>
        {
            Assert.That(job.Sources["impressions"].Csv.Delimiter, Is.EqualTo(','));
            Assert.That(job.Histories[0].Missing, Is.EqualTo("unknown"));
            Assert.That(job.Sources["items"].Rename["category"], Is.EqualTo("Category"));
            Assert.That(job.Sampling.NegativeRate, Is.EqualTo(0.5));
        });
    }

    public static IEnumerable<TestCaseData> Mistakes()
    {
        TestCaseData Case(string name, string from, string to, string at, string message) =>
            new TestCaseData(from, to, at, message).SetName($"Mistake_{name}_is_reported_at_its_place");

        // Empty names and names that only fail in SQL.
        yield return Case("empty_dedup_column", "dedup: [request_id, item_id]", "dedup: [request_id, \"\"]", "\"\"]", "dedup is empty");
        yield return Case("empty_time_column", "time: {column: ts, unit: ms, zone: UTC}", "time: {column: '', unit: ms, zone: UTC}", "'', unit", "the time column is empty");
        yield return Case("empty_csv_column", "csv: {header: true, delimiter: \",\"}", "csv: {header: false, delimiter: \",\", columns: [a, '']}", "'']", "columns is empty");
        yield return Case("column_listed_twice", "match: [request_id, item_id]", "match: [request_id, request_id]", "request_id]", "match lists 'request_id' twice");
        yield return Case("internal_column_name", "match: [request_id, item_id]", "match: [request_id, __file]", "__file", "'__file' (match) starts with '__', which the job keeps for its internal columns");
        yield return Case("internal_key_name", "key: item_id,", "key: __row,", "__row", "'__row' (key) starts with '__'");
        yield return Case("internal_file_column", "rename: {category: Category}", "rename: {category: __skip}", "__skip", "the column name '__skip' starts with '__'");
        yield return Case("names_differing_in_case", "match: [request_id, item_id]", "match: [request_id, Item_Id]", "Item_Id", "column 'Item_Id' differs from column 'item_id' (line 15) only in case");
        yield return Case("sources_differing_in_case", "    clicks: {path:", "    Clicks: {path: \"{input}/c\", key: k}\n    clicks: {path:", "^clicks: {path", "source 'clicks' differs from source 'Clicks' only in case");
        yield return Case("reader_column_renamed", "rename: {category: Category}", "rename: {category: file_row_number}", "^file_row_number", "source 'items' reads a column named 'file_row_number' from its files");
        yield return Case("reader_column_by_its_own_name", "device: impressions.device}", "device: impressions.FileName}", "^impressions.FileName", "source 'impressions' reads a column named 'FileName' from its files");
        yield return Case("history_user_with_nul", "user: user_id,", "user: \"user\\0id\",", "\"user\\0id\"", "'user\0id' is not a valid name for user");
        yield return Case("history_value_empty", "value: item_num,", "value: \"\",", "\"\",", "value is empty");
        yield return Case("unquoted_yaml_1_1_boolean_as_name", "key: item_id,", "key: no,", "no,", "key: 'no' is read as a boolean by YAML 1.1 readers");

        // The CSV delimiter.
        yield return Case("delimiter_quote", "delimiter: \",\"", "delimiter: '\"'", "'\"'", "delimiter '\"' is the quote character of CSV fields");
        yield return Case("delimiter_cr", "delimiter: \",\"", "delimiter: \"\\r\"", "\"\\r\"", "delimiter is a line break");
        yield return Case("delimiter_lf", "delimiter: \",\"", "delimiter: \"\\n\"", "\"\\n\"", "delimiter is a line break");
        yield return Case("delimiter_nul", "delimiter: \",\"", "delimiter: \"\\0\"", "\"\\0\"", "delimiter is NUL (U+0000)");
        yield return Case("delimiter_two_characters", "delimiter: \",\"", "delimiter: \"||\"", "\"||\"", "delimiter '||' is 2 characters");
        yield return Case("delimiter_empty", "delimiter: \",\"", "delimiter: \"\"", "delimiter: ^\"\"}", "delimiter is empty");

        // Free text: control characters, path templates, zones.
        yield return Case("nul_in_salt", "salt: s1", "salt: \"s\\01\"", "\"s\\01\"", "salt holds the control character U+0000 at character 2");
        yield return Case("nul_in_path", "path: \"{input}/items\"", "path: \"{input}/it\\0ems\"", "\"{input}/it\\0ems\"", "path holds the control character U+0000 at character 11");
        yield return Case("line_break_in_missing", "missing: unknown", "missing: \"un\\nknown\"", "\"un\\nknown\"", "missing of history 'clicked' holds the control character U+000A");
        yield return Case("backtick_in_file_column", "rename: {category: Category}", "rename: {category: \"Cat`egory\"}", "\"Cat`egory\"", "holds a backtick or ';'");
        yield return Case("empty_path", "path: \"{input}/items\"", "path: \"\"", "\"\", key", "path is empty");
        yield return Case("reversed_day_range", "{date-15d..date}", "{date..date-15d}", "\"{input}/clicks", "the range '{date..date-15d}' ends before it starts");
        yield return Case("unknown_placeholder", "{input}/items", "{input}/items/{dat}", "\"{input}/items", "'{dat}' is not {input}, {date}");
        yield return Case("huge_day_offset", "{date-15d..date}", "{date-99999999999d..date}", "\"{input}/clicks", "goes more than 36600 days from the run date");
        yield return Case("stray_brace", "{input}/items", "{input}/items/{a", "\"{input}/items", "a '{' or '}' is not part of a placeholder");
        yield return Case("zone_with_nul", "zone: UTC", "zone: \"UT\\0C\"", "\"UT\\0C\"", "zone holds the control character U+0000");
        yield return Case("unknown_zone", "timezone: Asia/Shanghai", "timezone: Mars/Olympus", "Mars/Olympus", "unknown time zone 'Mars/Olympus'");
        yield return Case("windows_zone_name", "timezone: Asia/Shanghai", "timezone: China Standard Time", "China Standard Time", "unknown time zone 'China Standard Time'");

        // Tags and scalars that YAML 1.1 and 1.2 read differently.
        yield return Case("str_tag", "format: csv", "format: !!str csv", "!!str csv", "the tag 'tag:yaml.org,2002:str' is not allowed");
        yield return Case("tag_on_a_key", "salt: s1", "!!str salt: s1", "!!str salt", "the tag 'tag:yaml.org,2002:str' is not allowed");
        yield return Case("custom_tag_on_a_mapping", "quarantine: {max_bad_fraction: 0.01}", "quarantine: !x {max_bad_fraction: 0.01}", "!x {", "the tag '!x' is not allowed");
        yield return Case("header_yes", "header: true", "header: yes", "yes,", "header is 'yes', not true or false. Write true or false, unquoted (yes, no, on and off mean different things to YAML 1.1 and 1.2 readers).");
        yield return Case("fraction_without_leading_digit", "negative_rate: 0.5", "negative_rate: .5", ".5,", "negative_rate '.5' is not a number both YAML 1.1 and 1.2 read the same way. Write digits with a point and digits after it");
        yield return Case("quoted_integer", "shards: 2", "shards: \"2\"", "\"2\"", "shards is the quoted string \"2\", not an integer. Write the number without quotes.");
        yield return Case("integer_with_leading_zero", "max_length: 5", "max_length: 05", "05,", "max_length is not an integer: '05' has a leading zero");
        yield return Case("unquoted_boolean_salt", "salt: s1", "salt: no", "no,", "salt: 'no' is read as a boolean by YAML 1.1 readers");
        yield return Case("int64_missing_not_a_number", "value: item_num, window: 15d}", "value: item_num, window: 15d, missing: none}", "none}", "missing of history 'clicked_ids' is 'none', not an int64");
        yield return Case("duration_beyond_range", "within: 30m", "within: 99999999999d", "99999999999d", "within '99999999999d' is longer than 3660 days");
    }

    [TestCaseSource(nameof(Mistakes))]
    public void Mistake_is_reported_at_the_value_with_what_to_do(string from, string to, string at, string message)
    {
        Assert.That(Base.Split(from).Length, Is.EqualTo(2), $"'{from}' must occur once in the base config");
        string yaml = Base.Replace(from, to, StringComparison.Ordinal);
        // A '^' in the text marks the value's first character, when the text starts before it.
        int index = yaml.IndexOf(at.Replace("^", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.That(index, Is.GreaterThanOrEqualTo(0), $"'{at}' is not in the config");
        index += Math.Max(0, at.IndexOf('^', StringComparison.Ordinal));
        int line = yaml[..index].Count(c => c == '\n') + 1;
        int column = index - (yaml.LastIndexOf('\n', Math.Max(0, index - 1)) + 1) + 1;

        var e = Assert.Throws<JobConfigException>(() => Read(yaml))!;

        Assert.That(e.Message, Does.StartWith($"spec.yaml:{line}:{column}: ").And.Contain(message));
    }

    [Test]
    public void A_feature_named_like_an_internal_column_is_refused_at_its_place()
    {
        string yaml = Base.Replace("  - {name: device,", "  - {name: __h, dtype: int64}\n  - {name: device,", StringComparison.Ordinal);

        var e = Assert.Throws<JobConfigException>(() => Read(yaml))!;

        Assert.That(e.Message, Does.StartWith("spec.yaml:5:5: feature '__h' starts with '__'"));
    }

    [TestCase("\\t")]
    [TestCase("tab")]
    [TestCase("\"\\t\"")]
    public void A_tab_delimiter_can_be_written_three_ways(string written)
    {
        var job = Read(Base.Replace("delimiter: \",\"", $"delimiter: {written}", StringComparison.Ordinal));

        Assert.That(job.Sources["impressions"].Csv.Delimiter, Is.EqualTo('\t'));
    }

    [TestCase("'|'", '|')]
    [TestCase("\"\\x01\"", '\u0001')]
    [TestCase("\"€\"", '€')]
    [TestCase("\"'\"", '\'')]
    public void Delimiters_both_engines_take_are_accepted(string written, char expected)
    {
        var job = Read(Base.Replace("delimiter: \",\"", $"delimiter: {written}", StringComparison.Ordinal));

        Assert.That(job.Sources["impressions"].Csv.Delimiter, Is.EqualTo(expected));
    }

    [Test]
    public void Values_a_YAML_reader_would_read_otherwise_are_accepted_when_quoted()
    {
        var job = Read(Base.Replace("salt: s1", "salt: \"no\"", StringComparison.Ordinal).Replace("header: true", "header: false, columns: [a, b]", StringComparison.Ordinal)
            .Replace("value: item_num, window: 15d}", "value: item_num, window: 15d, missing: -1}", StringComparison.Ordinal));

        Assert.Multiple(() =>
        {
            Assert.That(job.Sampling.Salt, Is.EqualTo("no"));
            Assert.That(job.Sources["impressions"].Csv.Header, Is.False);
            Assert.That(job.Histories[1].Missing, Is.EqualTo("-1"));
        });
    }
}
