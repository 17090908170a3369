using System.Globalization;
using System.Text.Json;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Jobs;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Engine.Spark;
using SparkTfrecord.Engine.Sql;
using SparkTfrecord.TestSupport;
using SparkTfrecord.Tfrecord.Proto;

namespace SparkTfrecord.Engine.Tests;

/// <summary>
/// The contract's values clauses (int64-from-text, float-from-text, epoch-fractional, list-json-text, ascii-script):
/// the embedded engine's samples and counts for the conformance cases under tests/conformance (expected rows written
/// by hand from the rule), the acceptance case through the public job, and the Spark construct that implements each
/// clause in the rendered script.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class ValueConversionTests
{
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("sparktf-values-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public void An_int64_column_holding_12_7_gives_the_default_and_counts_one_invalid_value_not_13()
    {
        string input = Path.Combine(_root, "in");
        Directory.CreateDirectory(Path.Combine(input, "imp"));
        File.WriteAllLines(Path.Combine(input, "imp", "part-0.csv"), ["request_id,ts,num", "r1,1705312800,12.7", "r2,1705312800,13"]);
        Directory.CreateDirectory(Path.Combine(input, "clk"));
        File.WriteAllLines(Path.Combine(input, "clk", "part-0.csv"), ["request_id,ts"]);
        string spec = Path.Combine(_root, "spec.yaml");
        File.WriteAllText(spec, """
            spec: 1
            name: acceptance
            features:
              - {name: request_id, dtype: string, role: context}
              - {name: label, dtype: int64, role: label}
              - {name: num, dtype: int64, role: context, default: -1}
            job:
              sources:
                impressions: {path: "{input}/imp", format: csv, csv: {header: true}, time: {column: ts, unit: s}}
                clicks: {path: "{input}/clk", format: csv, csv: {header: true}, time: {column: ts, unit: s}}
              timezone: UTC
              label: {events: clicks, match: [request_id], within: 30m}
              columns: {request_id: impressions.request_id, num: impressions.num}
              output: {shards: 1, compression: none, shard_key: [request_id]}
            """);

        var (summary, samples) = RunJob(spec, input, "2024-01-15");

        Assert.That(samples.ToDictionary(s => Text(s, "request_id"), s => Int(s, "num")), Is.EqualTo(new Dictionary<string, long> { ["r1"] = -1, ["r2"] = 13 }));
        Assert.That(summary.Counts["invalid.num"], Is.EqualTo(1));
        Assert.That(summary.ToJson(), Does.Contain("\"invalid.num\": 1"), "the summary's counts carry it");
    }

    [Test]
    public void Spark_reads_list_text_with_from_json_and_guards_numbers_with_an_anchored_rlike_without_try_cast_on_legacy_spark()
    {
        string spec = Repo.In("tests", "conformance", "list-json-text-csv", "spec.yaml");

        string modern = SparkScriptOf(spec, "2024-01-15", legacy: false);
        string legacy = SparkScriptOf(spec, "2024-01-15", legacy: true);

        Assert.That(modern, Does.Contain("from_json(`t_items`.`tags`, 'ARRAY<STRING>', map('allowSingleQuotes', 'false'))").Or.Contain("from_json(s.`tags`, 'ARRAY<STRING>', map('allowSingleQuotes', 'false'))"));
        Assert.That(modern, Does.Contain("RLIKE '^(?:[+-]?[0-9]+)\\\\z'"), "the int64 guard: Java's find anchored at both ends of the input");
        Assert.That(modern, Does.Contain("transform(").And.Contain("filter("));
        Assert.That(legacy, Does.Not.Contain("try_cast"), "Spark 2.4 to 3.1 has no try_cast");
        Assert.That(legacy, Does.Contain("from_json("));
        Assert.That(modern, Does.Contain("CAST(coalesce(sum(CASE WHEN __kept AND `__invalid_ids` THEN 1 ELSE 0 END), 0) AS BIGINT) AS `invalid_ids`"), "the report row counts invalid values");
    }

    [Test]
    public void The_spark_report_carries_the_invalid_counts_into_the_counts()
    {
        string spec = Repo.In("tests", "conformance", "int64-from-text", "spec.yaml");
        var text = SparkScript.Render(CasePlan(spec, "2024-01-15"), new SparkScriptOptions { Target = "/out" });
        var columns = text.Report;
        var header = string.Join('\t', columns.Select(c => c.Column));
        var values = string.Join('\t', columns.Select((c, i) => c.Count == "invalid.num" ? "4" : "1"));

        var counts = SparkReport.Parse([header, values], columns);

        Assert.That(counts!["invalid.num"], Is.EqualTo(4));
    }

    [Test]
    public void Spark_strings_are_ascii_with_utf16_escapes_that_spark_unescapes_back()
    {
        var d = SparkDialect.Modern;

        Assert.That(d.String("未知"), Is.EqualTo("'\\u672A\\u77E5'"));
        Assert.That(d.String("a😀"), Is.EqualTo("'a\\uD83D\\uDE00'"), "one escape per UTF-16 code unit (a surrogate pair)");
        Assert.That(d.String("é;"), Is.EqualTo("'\\u00E9\\u003B'"));
    }

    [Test]
    public void A_non_ascii_name_is_refused_on_spark_with_a_message_that_names_it_and_says_to_rename_it()
    {
        var e = Assert.Throws<JobConfigException>(() => SparkDialect.Modern.Identifier("年龄"));

        Assert.That(e!.Message, Does.Contain("'年龄'").And.Contain("non-ASCII").And.Contain("rename:"));
        Assert.That(SparkDialect.Modern.Identifier("age"), Is.EqualTo("`age`"));
    }

    [Test]
    public void The_spark_script_header_is_ascii_when_the_spec_file_name_is_not()
    {
        string spec = Path.Combine(_root, "配置.yaml");
        File.Copy(Repo.In("tests", "conformance", "ascii-script", "spec.yaml"), spec);

        string script = SparkScript.Render(CasePlan(spec, "2024-01-15", Repo.In("tests", "conformance", "ascii-script", "input")), new SparkScriptOptions { Target = "/out" }).Text();

        Assert.That(script.All(ch => ch < 128), Is.True);
        Assert.That(script, Does.StartWith("/* sparktf: ??.yaml"));
    }

    private static string SparkScriptOf(string spec, string date, bool legacy) =>
        SparkScript.Render(CasePlan(spec, date), new SparkScriptOptions { Target = "/out", Legacy = legacy }).Text();

    // A conformance case's plan over its own input, with the CSV columns read from the files' headers as the Spark
    // engine reads them (it needs every column of a CSV source).
    private static JobPlan CasePlan(string spec, string date, string? input = null)
    {
        input ??= Path.Combine(Path.GetDirectoryName(spec)!, "input");
        var plan = JobPlan.Create(JobDefinition.Load(spec), DateOnly.Parse(date, CultureInfo.InvariantCulture), input, resolveFiles: true);
        return InputScan.ApplyCsvHeaders(plan);
    }

    private (SamplesSummary Summary, List<Example> Samples) RunJob(string spec, string input, string date)
    {
        string output = Path.Combine(_root, "out", date);
        var summary = SamplesJob.Run(JobDefinition.Load(spec), new SamplesJobOptions
        {
            Date = DateOnly.Parse(date, CultureInfo.InvariantCulture),
            Input = input,
            Output = output,
            Engine = new Engines.DuckDbEngineOptions { Threads = 1, MemoryLimit = "512MB" },
        });
        return (summary, TestLogs.ReadSamples(output).Select(s => s.Example).ToList());
    }

    private static string Text(Example e, string name) => e.Features.Feature[name].BytesList.Value.Single().ToStringUtf8();

    private static long Int(Example e, string name) => e.Features.Feature[name].Int64List.Value.Single();

    // A JSON object with sorted keys and values as the records hold them: an int64 as its digits, a float as the
    // float's shortest text ("R" of the float; a non-finite float is written in expected.jsonl as the JSON string "NaN",
    // "Infinity" or "-Infinity"), a string as itself; a scalar as a one-element list.
    private static string Canonical(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var parts = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            var items = p.Value.ValueKind == JsonValueKind.Array ? p.Value.EnumerateArray().ToList() : [p.Value];
            parts[p.Name] = "[" + string.Join(",", items.Select(Item)) + "]";
        }

        return string.Join(";", parts.Select(kv => kv.Key + "=" + kv.Value));

        static string Item(JsonElement v) => v.ValueKind switch
        {
            JsonValueKind.String => JsonSerializer.Serialize(v.GetString()),
            JsonValueKind.Number when v.TryGetInt64(out long l) && !v.GetRawText().Contains('.', StringComparison.Ordinal) && !v.GetRawText().Contains('e', StringComparison.OrdinalIgnoreCase) => l.ToString(CultureInfo.InvariantCulture),
            _ => ((float)v.GetDouble()).ToString("R", CultureInfo.InvariantCulture),
        };
    }

    private static string Canonical(Example e, SamplesSummary summary)
    {
        _ = summary;
        var parts = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, f) in e.Features.Feature)
        {
            IEnumerable<string> items = f.KindCase switch
            {
                Feature.KindOneofCase.Int64List => f.Int64List.Value.Select(v => v.ToString(CultureInfo.InvariantCulture)),
                Feature.KindOneofCase.FloatList => f.FloatList.Value.Select(v => float.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : JsonSerializer.Serialize(v.ToString(CultureInfo.InvariantCulture))),
                _ => f.BytesList.Value.Select(v => JsonSerializer.Serialize(v.ToStringUtf8())),
            };
            parts[name] = "[" + string.Join(",", items) + "]";
        }

        return string.Join(";", parts.Select(kv => kv.Key + "=" + kv.Value));
    }
}
