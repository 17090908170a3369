using System.Text.Json;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Engines;
using SparkTfrecord.Engine.Jobs;
using SparkTfrecord.Engine.Spark;
using SparkTfrecord.TestSupport;

namespace SparkTfrecord.Engine.Tests;

/// <summary>
/// The reading clauses of docs/engine-semantics.md (read-parquet-merge, read-csv-malformed, read-json-malformed,
/// read-invalid-utf8): the embedded engine through the public samples job on the conformance cases' inputs, and the
/// Spark script's constructs for each format, rendered as <c>sparktf samples --engine spark</c> renders them.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class ReadingContractTests
{
    private static readonly DateOnly s_date = new(2024, 5, 1);
    private string _temp = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = Path.Combine(Path.GetTempPath(), "sparktf-reading-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_temp);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_temp, recursive: true);

    [Test]
    public void A_csv_line_with_one_field_too_many_is_quarantined_with_its_line_number()
    {
        // Line 1 is the header; line 3 (r2) has a fifth field.
        var (summary, quarantine) = RunCase("read-csv-malformed-extra");

        Assert.That(quarantine, Has.Count.EqualTo(1));
        Assert.That(quarantine[0].File, Does.EndWith("impressions.csv"));
        Assert.That(quarantine[0].Line, Is.EqualTo(3));
        Assert.That(quarantine[0].Reason, Does.StartWith("malformed CSV line"));
        Assert.That(summary.Counts["read.impressions"], Is.EqualTo(3), "the rejected line is a line read");
        Assert.That(summary.Counts["quarantined.impressions"], Is.EqualTo(1));
        Assert.That(summary.Counts["written"], Is.EqualTo(2));
    }

    [Test]
    public void A_csv_line_with_one_field_too_few_is_quarantined_not_read_as_a_partial_row()
    {
        var (summary, quarantine) = RunCase("read-csv-malformed-missing");

        Assert.That(quarantine.Select(q => (q.Line, q.Reason.StartsWith("malformed CSV line", StringComparison.Ordinal))), Is.EqualTo(new[] { (3L, true) }));
        Assert.That(summary.Counts["written"], Is.EqualTo(2));
    }

    [Test]
    public void Text_holding_u_fffd_is_quarantined_as_invalid_utf8_like_bytes_that_are_not_utf8()
    {
        // Line 3 holds the byte 0xFF (DuckDB's reader rejects it), line 4 the character U+FFFD itself (what Spark
        // decodes 0xFF to): both are bad, with the same reason.
        var (summary, quarantine) = RunCase("read-invalid-utf8");

        Assert.That(quarantine.Select(q => (q.Line, q.Reason)), Is.EquivalentTo(new[]
        {
            (3L, "invalid UTF-8 text in column item_id"),
            (4L, "invalid UTF-8 text in column item_id"),
        }));
        Assert.That(summary.Counts["read.impressions"], Is.EqualTo(4));
        Assert.That(summary.Counts["quarantined.impressions"], Is.EqualTo(2));
    }

    [Test]
    public void A_json_line_that_is_not_an_object_is_quarantined_and_a_blank_line_is_no_row()
    {
        var (summary, quarantine) = RunCase("read-json-malformed");

        Assert.That(quarantine.Select(q => q.Line), Is.EquivalentTo(new[] { 2L, 4L }));
        Assert.That(quarantine.Select(q => q.Reason), Has.All.StartWith("malformed JSON line"));
        Assert.That(summary.Counts["read.impressions"], Is.EqualTo(4), "4 non-blank lines");
    }

    [Test]
    public void Parquet_files_with_different_columns_are_read_with_their_union_and_a_missing_column_is_null()
    {
        string input = CopyCase("read-parquet-merge");

        var summary = SamplesJob.Run(JobDefinition.Load(Path.Combine(input, "..", "spec.yaml")), Options(input));
        var prices = TestLogs.ReadSamples(summary.Output).ToDictionary(s => s.Str("request_id"), s => s.Int("price"));

        // a.parquet has no price column (the default 0), b.parquet has one.
        Assert.That(prices, Is.EqualTo(new Dictionary<string, long> { ["r1"] = 0, ["r2"] = 7 }));
    }

    [Test]
    public void The_spark_csv_reader_reads_every_header_column_as_text_with_a_corrupt_record_column_and_quoted_option_keys()
    {
        // The header has a column the job does not read (unused): Spark must still count it, or every line would be
        // one field too long.
        string input = Path.Combine(_temp, "in");
        Directory.CreateDirectory(input);
        File.WriteAllText(Path.Combine(input, "impressions.csv"), "request_id,unused,item_id,price,ts\nr1,x,i1,5,1714521600\n");
        File.WriteAllText(Path.Combine(input, "clicks.jsonl"), "");

        string script = SparkScriptOf("read-csv-malformed-extra", input);

        Assert.That(script, Does.Contain("SET spark.sql.csv.parser.columnPruning.enabled = false"));
        Assert.That(script, Does.Contain("(`request_id` STRING, `unused` STRING, `item_id` STRING, `price` STRING, `ts` STRING, __corrupt STRING)\nUSING csv"));
        Assert.That(script, Does.Contain("'header' 'true', 'sep' ',', 'quote' '\"', 'escape' '\"', 'multiLine' 'true', 'mode' 'PERMISSIVE', 'columnNameOfCorruptRecord' '__corrupt'"));
        Assert.That(script, Does.Contain("CASE WHEN __corrupt IS NOT NULL THEN 'malformed CSV line"));
        Assert.That(script, Does.Contain("__corrupt AS __raw"));
        Assert.That(script, Does.Contain("input_file_name() AS __file"));
        Assert.That(script, Does.Not.Contain("OPTIONS (path"), "every option key is a quoted string");
    }

    [Test]
    public void The_spark_json_reader_has_a_corrupt_record_column_and_the_parquet_reader_merges_schemas()
    {
        string json = SparkScriptOf("read-json-malformed", CopyCase("read-json-malformed"));
        string parquet = SparkScriptOf("read-parquet-merge", CopyCase("read-parquet-merge"));

        Assert.That(json, Does.Contain("`ts` STRING, __corrupt STRING)\nUSING json\nOPTIONS ('path' "));
        Assert.That(json, Does.Contain("'mode' 'PERMISSIVE', 'columnNameOfCorruptRecord' '__corrupt'"));
        Assert.That(json, Does.Contain("CASE WHEN __corrupt IS NOT NULL THEN 'malformed JSON line' END AS __bad"));
        Assert.That(parquet, Does.Match("USING parquet\nOPTIONS \\('path' '[^']*', 'mergeSchema' 'true'\\)"));
    }

    [Test]
    public void Every_read_column_is_checked_for_u_fffd_on_spark_with_an_ascii_escape()
    {
        string script = SparkScriptOf("read-invalid-utf8", CopyCase("read-invalid-utf8"));

        foreach (string column in new[] { "request_id", "item_id", "price", "ts" })
        {
            Assert.That(script, Does.Contain($"WHEN instr(`{column}`, '\\uFFFD') > 0 THEN 'invalid UTF-8 text in column {column}'"));
        }
    }

    [Test]
    public void A_remote_csv_source_with_a_header_and_no_listed_columns_is_refused_on_spark_naming_csv_columns()
    {
        var definition = JobDefinition.Load(Path.Combine(Repo.Root, "tests", "conformance", "read-csv-malformed-extra", "spec.yaml"));
        var setup = SparkSetup.Create(definition, new SparkRunOptions { Date = s_date, Input = "hdfs:///logs", Output = "hdfs:///out", Master = "yarn", DeployMode = SparkDeployMode.Cluster });

        Assert.That(() => setup.ScriptText(), Throws.TypeOf<JobConfigException>()
            .With.Message.Contains("source 'impressions'").And.Message.Contains("csv.columns").And.Message.Contains("{input}/impressions.csv"));
    }

    [Test]
    public void A_remote_csv_source_with_its_columns_listed_reads_them_as_the_files_columns()
    {
        string spec = File.ReadAllText(Path.Combine(Repo.Root, "tests", "conformance", "read-csv-malformed-extra", "spec.yaml"))
            .Replace("csv: {header: true}", "csv: {header: true, columns: [request_id, item_id, price, ts, note]}", StringComparison.Ordinal);
        string file = Path.Combine(_temp, "spec.yaml");
        File.WriteAllText(file, spec);
        var setup = SparkSetup.Create(JobDefinition.Load(file), new SparkRunOptions { Date = s_date, Input = "hdfs:///logs", Output = "hdfs:///out", Master = "yarn", DeployMode = SparkDeployMode.Cluster });

        Assert.That(setup.ScriptText(), Does.Contain("(`request_id` STRING, `item_id` STRING, `price` STRING, `ts` STRING, `note` STRING, __corrupt STRING)\nUSING csv"));
    }

    // The Spark script for a case's spec, reading a local input with a local master (so the CSV headers are read).
    private string SparkScriptOf(string name, string input)
    {
        var definition = JobDefinition.Load(Path.Combine(Repo.Root, "tests", "conformance", name, "spec.yaml"));
        var setup = SparkSetup.Create(definition, new SparkRunOptions { Date = s_date, Input = input, Output = Path.Combine(_temp, "spark-out") });
        return setup.ScriptText();
    }

    private (SamplesSummary Summary, List<(string File, long Line, string Reason)> Quarantine) RunCase(string name)
    {
        string input = CopyCase(name);
        var summary = SamplesJob.Run(JobDefinition.Load(Path.Combine(input, "..", "spec.yaml")), Options(input));
        string rows = Path.Combine(summary.Output, "_quarantine", "rows.jsonl");
        var quarantine = File.Exists(rows)
            ? File.ReadAllLines(rows).Select(line =>
            {
                using var row = JsonDocument.Parse(line);
                var r = row.RootElement;
                return (r.GetProperty("file").GetString()!, r.GetProperty("row").GetInt64(), r.GetProperty("reason").GetString()!);
            }).ToList()
            : [];
        return (summary, quarantine);
    }

    // The case folder copied into the temp folder (its input is not written to); the copy's input folder.
    private string CopyCase(string name)
    {
        string from = Path.Combine(Repo.Root, "tests", "conformance", name);
        string to = Path.Combine(_temp, name);
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return Path.Combine(to, "input");
    }

    private SamplesJobOptions Options(string input) => new()
    {
        Date = s_date,
        Input = input,
        Output = Path.Combine(_temp, "out", Guid.NewGuid().ToString("N")),
        Engine = new DuckDbEngineOptions { Threads = 2, MemoryLimit = "512MB" },
    };
}
