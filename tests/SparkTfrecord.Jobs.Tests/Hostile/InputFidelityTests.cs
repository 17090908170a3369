using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SparkTfrecord.Jobs.Tests.Hostile;

/// <summary>
/// Every input line is read or quarantined, never lost without a trace: a broken CSV quote mid-file and near the top,
/// CSV and JSON lines over the reader's limit (and the line numbers after them), a folder name with glob characters
/// beside the folder the glob would match, a CSV header that is not UTF-8. Each test runs the real sparktf on
/// generated logs with one file changed, and checks the exit code, the message, the quarantine's lines and reasons
/// against numbers computed here from the file, the summary's counts, that no user file outside the output changed,
/// and that nothing temporary was left.
/// </summary>
[TestFixture]
[Category("Process")]
[NonParallelizable]
public sealed class InputFidelityTests
{
    private const string Date = "2024-01-15";
    private const string Header = "request_id,user_id,item_id,ts,device,page";
    private const string NullUser = "key column 'user_id' is null";
    private const string TooLong = "line longer than the reader's limit: Maximum line size of 2000000 bytes exceeded. Actual Size:";
    private static readonly Encoding s_utf8 = new UTF8Encoding(false);
    private string _root = null!;

    [OneTimeSetUp]
    public void GenerateLogs()
    {
        _root = Directory.CreateTempSubdirectory("sparktf-fidelity-").FullName;
        foreach (string format in new[] { "csv", "jsonl" })
        {
            var result = Sparktf.Run("gen-logs", "--output", Path.Combine(_root, format), "--date", Date, "--impressions-per-day", "2000", "--users", "500",
                "--items", "300", "--seed", "3", "--impression-days", "2", "--format", format);
            Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        }
    }

    [OneTimeTearDown]
    public void RemoveLogs() => Directory.Delete(_root, recursive: true);

    [Test]
    public void An_unterminated_quote_mid_file_quarantines_the_rest_of_a_100k_line_csv_and_every_line_counts_for_the_limit()
    {
        using var box = Sandbox.Create("quote-mid");
        string spec = Spec(box, "csv");
        box.CopyFolder(Path.Combine(_root, "csv"), "logs");

        // 101,021 lines: the header and 101,020 impressions of the day; line 60,001's device opens a quote it never closes.
        var lines = new List<string>(101_021) { Header };
        for (int i = 0; i < 101_020; i++)
        {
            string device = lines.Count + 1 == 60_001 ? "\"pixel 6" : "pixel 6";
            lines.Add($"m{i},u{i % 500},i{i % 300},{1705248000000L + (i * 100L)},{device},home");
        }

        string file = box.Write(DayFile("csv"), string.Join("\n", lines) + "\n");
        var before = box.Snapshot();

        var result = box.Run(null, Args(spec, "out", "--max-bad-fraction", "0.9"));

        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        var counts = Counts(result.Stdout);
        Assert.That(counts["read.impressions"], Is.EqualTo(101_020), "every line of the file but the header is a row read");
        Assert.That(counts["quarantined.impressions"], Is.EqualTo(1 + 41_020), "the broken line and the 41,020 after it");
        var rows = Quarantine(box.Path("out", "_quarantine", "rows.jsonl"));
        Assert.That(rows.Select(r => (r.File, r.Row)), Is.EqualTo(new[] { (file, 60_001L), (file, 60_002L) }));
        Assert.That(rows[0].Reason, Does.StartWith("malformed CSV line: UNQUOTED VALUE"));
        Assert.That(rows[1].Reason, Does.Contain("never closed").And.Contain("41020 lines"));
        box.AssertUntouchedOutside(before, "out");
        box.AssertNoLeftovers();

        // The rest of the file counts line by line against the limit: 41,021 of the rows read are bad, well over 30%.
        long readAll = counts.Where(c => c.Key.StartsWith("read.", StringComparison.Ordinal)).Sum(c => c.Value);
        var limited = box.Run(null, Args(spec, "out-limited", "--max-bad-fraction", "0.3"));

        Assert.That(limited.ExitCode, Is.EqualTo(1), limited.Stderr);
        Assert.That(limited.Stderr, Does.Contain($"41021 of {readAll} input rows are bad"));
        Assert.That(Directory.Exists(box.Path("out-limited")), Is.False);
        Assert.That(Quarantine(box.Path("out-limited.quarantine.jsonl")).Select(r => r.Row), Is.EqualTo(new[] { 60_001L, 60_002L }));
        box.AssertUntouchedOutside(before, "out", "out-limited");
        box.AssertNoLeftovers();
    }

    [Test]
    public void An_unterminated_quote_in_a_csv_the_reader_resumes_after_stops_the_job_with_the_file_and_line()
    {
        // About 11 MB: DuckDB skips from the broken quote to its next scan chunk (about 8 MB) and reads on from there,
        // so the lines of the rows after the gap cannot be told; the job stops rather than number them wrongly.
        using var box = Sandbox.Create("quote-chunks");
        string spec = Spec(box, "csv");
        box.CopyFolder(Path.Combine(_root, "csv"), "logs");
        var text = new StringBuilder(Header).Append('\n');
        for (int i = 0; i < 200_000; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"m{i},u{i % 500},i{i % 300},{1705248000000L + (i * 10L)},{(i == 998 ? "\"" : "")}pixel 6 pro max,home\n");
        }

        string file = box.Write(DayFile("csv"), text.ToString());
        Assert.That(new FileInfo(file).Length, Is.GreaterThan(10_000_000));
        var before = box.Snapshot();

        var result = box.Run(null, Args(spec, "out", "--max-bad-fraction", "0.9"));

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Stderr);
        Assert.That(result.Stderr, Does.Contain(file + ": the quote opened on line 1000 is never closed").And.Contain("Nothing was written"));
        Assert.That(result.Stderr, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(Directory.Exists(box.Path("out")), Is.False);
        box.AssertUntouchedOutside(before, "out");
        box.AssertNoLeftovers();
    }

    [Test]
    public void An_unterminated_quote_near_the_top_is_quarantined_not_a_sniffer_error()
    {
        using var box = Sandbox.Create("quote-top");
        string spec = Spec(box, "csv");
        box.CopyFolder(Path.Combine(_root, "csv"), "logs");
        string file = box.Path(DayFile("csv"));
        var lines = File.ReadAllLines(file).ToList();
        lines[2] = SetField(lines[2], 4, "\"" + Field(lines[2], 4));
        File.WriteAllText(file, string.Join("\n", lines) + "\n");
        var before = box.Snapshot();

        var result = box.Run(null, Args(spec, "out", "--max-bad-fraction", "0.9"));

        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        Assert.That(result.Stderr, Does.Not.Contain("sniff"));
        var counts = Counts(result.Stdout);
        Assert.That(counts["read.impressions"], Is.EqualTo(lines.Count - 1));
        Assert.That(counts["quarantined.impressions"], Is.EqualTo(lines.Count - 2), "line 3 and every line after it");
        var rows = Quarantine(box.Path("out", "_quarantine", "rows.jsonl"));
        Assert.That(rows.Select(r => (r.File, r.Row)), Is.EqualTo(new[] { (file, 3L), (file, 4L) }));
        Assert.That(rows[1].Reason, Does.Contain($"{lines.Count - 3} lines"));
        box.AssertUntouchedOutside(before, "out");
        box.AssertNoLeftovers();
    }

    [Test]
    public void Csv_lines_over_the_limit_are_quarantined_with_the_limit_and_later_lines_keep_their_numbers()
    {
        using var box = Sandbox.Create("csv-long");
        string spec = Spec(box, "csv");
        box.CopyFolder(Path.Combine(_root, "csv"), "logs");
        string file = box.Path(DayFile("csv"));
        var lines = File.ReadAllLines(file).ToList();
        lines[4] = SetField(lines[4], 4, new string('x', 3_000_000));   // line 5: 3 MB, within DuckDB's default buffer
        lines[6] = SetField(lines[6], 4, new string('y', 40_000_000));  // line 7: 40 MB, more than its default buffer
        lines[8] = SetField(lines[8], 1, "");                           // line 9: no user
        File.WriteAllText(file, string.Join("\n", lines) + "\n");
        var before = box.Snapshot();

        var result = box.Run(null, Args(spec, "out", "--max-bad-fraction", "0.1"));

        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        var counts = Counts(result.Stdout);
        Assert.That(counts["read.impressions"], Is.EqualTo(lines.Count - 1));
        Assert.That(counts["quarantined.impressions"], Is.EqualTo(3));
        Assert.That(Quarantine(box.Path("out", "_quarantine", "rows.jsonl")), Is.EqualTo(new[]
        {
            (file, 5L, TooLong + Bytes(lines[4]) + " bytes."),
            (file, 7L, TooLong + Bytes(lines[6]) + " bytes."),
            (file, 9L, NullUser),
        }));
        box.AssertUntouchedOutside(before, "out");
        box.AssertNoLeftovers();
    }

    [Test]
    public void Json_lines_over_the_limit_are_quarantined_and_later_bad_lines_keep_their_numbers()
    {
        using var box = Sandbox.Create("json-long");
        string spec = Spec(box, "jsonl");
        box.CopyFolder(Path.Combine(_root, "jsonl"), "logs");
        string file = box.Path(DayFile("jsonl"));
        var lines = File.ReadAllLines(file).ToList();
        lines[3] = Device(lines[3], new string('y', 40_000_000));  // line 4: 40 MB (DuckDB skipped it without a trace)
        lines[5] = Device(lines[5], new string('x', 3_000_000));   // line 6: 3 MB
        lines[9] = "{\"request_id\": \"broken";                    // line 10
        lines[12] = Regex.Replace(lines[12], "\"user_id\":\"[^\"]*\"", "\"user_id\":null"); // line 13
        Assert.That(lines[12], Does.Contain("\"user_id\":null"));
        File.WriteAllText(file, string.Join("\n", lines) + "\n");
        var before = box.Snapshot();

        var result = box.Run(null, Args(spec, "out", "--max-bad-fraction", "0.1"));

        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        var counts = Counts(result.Stdout);
        Assert.That(counts["read.impressions"], Is.EqualTo(lines.Count));
        Assert.That(counts["quarantined.impressions"], Is.EqualTo(4));
        Assert.That(Quarantine(box.Path("out", "_quarantine", "rows.jsonl")), Is.EqualTo(new[]
        {
            (file, 4L, TooLong + Bytes(lines[3]) + " bytes."),
            (file, 6L, TooLong + Bytes(lines[5]) + " bytes."),
            (file, 10L, "malformed JSON line"),
            (file, 13L, NullUser),
        }));
        box.AssertUntouchedOutside(before, "out");
        box.AssertNoLeftovers();
    }

    [Test]
    public void A_folder_named_with_glob_characters_is_read_literally_not_the_folder_it_would_match()
    {
        using var box = Sandbox.Create("glob");
        string spec = Spec(box, "csv");
        box.CopyFolder(Path.Combine(_root, "csv"), "logs1");
        box.CopyFolder(Path.Combine(_root, "csv"), "logs[1]");

        // logs[1] keeps only the first 101 lines of the day, logs1 all of them: the counts tell which was read.
        string bracket = box.Path("logs[1]", "impressions", "dt=" + Date, "part-00000.csv");
        File.WriteAllLines(bracket, File.ReadLines(bracket).Take(101).ToList());
        long plain = File.ReadLines(box.Path("logs1", "impressions", "dt=" + Date, "part-00000.csv")).Count() - 1;
        Assert.That(plain, Is.GreaterThan(1000));
        var before = box.Snapshot();

        var result = box.Run(null, "samples", "--conf", spec, "--date", Date, "--input", "logs[1]", "--output", "out", "--shards", "2");

        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        Assert.That(Counts(result.Stdout)["read.impressions"], Is.EqualTo(100));
        using var manifest = JsonDocument.Parse(File.ReadAllText(box.Path("out", "_manifest.json")));
        var files = manifest.RootElement.GetProperty("inputs").EnumerateObject()
            .SelectMany(s => s.Value.GetProperty("files").EnumerateArray().Select(f => f.GetString()!)).ToList();
        Assert.That(files, Is.Not.Empty);
        Assert.That(files, Has.All.StartWith(box.Path("logs[1]") + Path.DirectorySeparatorChar));
        Assert.That(files, Does.Contain(bracket));
        box.AssertUntouchedOutside(before, "out");
        box.AssertNoLeftovers();
    }

    [Test]
    public void A_csv_header_that_is_not_utf8_is_named_as_such()
    {
        using var box = Sandbox.Create("header");
        string spec = Spec(box, "csv");
        box.CopyFolder(Path.Combine(_root, "csv"), "logs");
        string file = box.Path(DayFile("csv"));
        byte[] bytes = File.ReadAllBytes(file);
        Assert.That(Encoding.ASCII.GetString(bytes, 0, 10), Is.EqualTo("request_id"));
        bytes[8] = 0xE9; // "request\xE9id"
        File.WriteAllBytes(file, bytes);
        var before = box.Snapshot();

        var result = box.Run(null, Args(spec, "out"));

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Stderr);
        Assert.That(result.Stderr, Does.Contain(file).And.Contain("header (line 1) is not UTF-8").And.Contain("0xE9"));
        Assert.That(result.Stderr, Does.Not.Contain("Referenced column"));
        Assert.That(result.Stderr, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(Directory.Exists(box.Path("out")), Is.False);
        box.AssertUntouchedOutside(before, "out");
        box.AssertNoLeftovers();
    }

    [Test]
    public void A_stray_carriage_return_in_a_csv_field_stops_the_job_with_the_file_and_what_to_do()
    {
        using var box = Sandbox.Create("csv-cr");
        string spec = Spec(box, "csv");
        box.CopyFolder(Path.Combine(_root, "csv"), "logs");
        string file = box.Path(DayFile("csv"));
        var lines = File.ReadAllLines(file).ToList();
        lines[4] = SetField(lines[4], 4, "pixel\r6");
        File.WriteAllText(file, string.Join("\n", lines) + "\n");
        var before = box.Snapshot();

        var result = box.Run(null, Args(spec, "out", "--max-bad-fraction", "0.5"));

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Stderr);
        Assert.That(result.Stderr, Does.Contain(file).And.Contain("carriage return").And.Contain("Nothing was written"));
        Assert.That(result.Stderr, Does.Not.Contain("strict_mode"), "DuckDB's advice is not the user's to take");
        Assert.That(result.Stderr, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(Directory.Exists(box.Path("out")), Is.False);
        box.AssertUntouchedOutside(before, "out");
        box.AssertNoLeftovers();
    }

    private static string DayFile(string format) => Path.Combine("logs", "impressions", "dt=" + Date, "part-00000." + format);

    private static string[] Args(string spec, string output, params string[] more) =>
        ["samples", "--conf", spec, "--date", Date, "--input", "logs", "--output", output, "--shards", "2", .. more];

    // conf/din.yaml with every source in the given text format, written into the sandbox.
    private static string Spec(Sandbox box, string format)
    {
        string text = File.ReadAllText(Path.Combine(Sparktf.RepoRoot, "conf", "din.yaml")).Replace("format: parquet", "format: " + format, StringComparison.Ordinal);
        Assert.That(text, Does.Contain("format: " + format));
        return box.Write("spec.yaml", text);
    }

    private static string Field(string line, int index) => line.Split(',')[index];

    private static string SetField(string line, int index, string value)
    {
        string[] fields = line.Split(',');
        fields[index] = value;
        return string.Join(',', fields);
    }

    private static string Device(string jsonLine, string device)
    {
        string changed = Regex.Replace(jsonLine, "\"device\":\"[^\"]*\"", "\"device\":\"" + device + "\"");
        Assert.That(changed, Does.Contain(device));
        return changed;
    }

    private static string Bytes(string line) => s_utf8.GetByteCount(line).ToString(CultureInfo.InvariantCulture);

    private static Dictionary<string, long> Counts(string summary)
    {
        using var json = JsonDocument.Parse(summary);
        return json.RootElement.GetProperty("counts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal);
    }

    private static List<(string File, long Row, string Reason)> Quarantine(string file) => File.ReadLines(file).Select(line =>
    {
        using var row = JsonDocument.Parse(line);
        var r = row.RootElement;
        Assert.That(r.GetProperty("source").GetString(), Is.EqualTo("impressions"), line);
        return (r.GetProperty("file").GetString()!, r.GetProperty("row").GetInt64(), r.GetProperty("reason").GetString()!);
    }).ToList();
}
