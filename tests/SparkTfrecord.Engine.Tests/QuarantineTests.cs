using System.Text;
using System.Text.Json;
using SparkTfrecord.Engine.Engines;

namespace SparkTfrecord.Engine.Tests;

/// <summary>
/// The quarantine on hand-written impressions in each text format: every bad row with its file, its line in that file
/// and its reason, and the counts. Clicks, users and items are the usual JSON-lines test logs.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class QuarantineTests
{
    private const string Day = "2024-01-15";
    private const string Header = "request_id,user_id,item_id,ts,device";
    private const string NullUser = "key column 'user_id' is null";
    private const string BadTime = "time column 'ts' is null or not a valid timestamp text";
    private TestLogs _logs = null!;

    [SetUp]
    public void SetUp()
    {
        _logs = new TestLogs().User("u1", 30, "1").Item("A", "shoes").Click("c0", "u1", "B", "2024-01-14 09:00:00");
    }

    [TearDown]
    public void TearDown() => _logs.Dispose();

    [Test]
    public void Csv_with_a_header_gives_each_bad_row_its_line_counting_the_header_and_blank_lines()
    {
        string file = Write("dt=2024-01-15/part-0.csv",
            Header,
            "r1,u1,A,2024-01-15 10:00:00,pixel",
            "r2,u2,A,2024-01-15 10:01:00,pixel",
            "",
            "r3,,A,2024-01-15 10:02:00,pixel",
            "r4,u1,A,not a time,pixel",
            "r5,u1,A,2024-01-15 10:03:00,pixel,extra",
            "r6,u1,A,2024-01-15 10:04:00,caf\xE9",
            "r7,u1,A,2024-01-15 10:05:00,\"quoted, with a comma\"",
            "",
            "",
            "r8,u3,A,,pixel",
            "r9,u1,A,2024-01-15 10:06:00,华为 p40 pro 未知");

        var result = Run("format: csv, csv: {header: true}");

        Assert.That(Quarantine(result), Is.EqualTo(new[]
        {
            (file, 5L, NullUser),
            (file, 6L, BadTime),
            (file, 7L, "malformed CSV line: TOO MANY COLUMNS: Expected Number of Columns: 5 Found: 6"),
            (file, 8L, "invalid UTF-8 text in column device"),
            (file, 12L, BadTime),
        }));
        Assert.That(result.Count("read.impressions"), Is.EqualTo(9));
        Assert.That(result.Count("quarantined.impressions"), Is.EqualTo(5));
        Assert.That(result.Samples.Select(s => s.Str("request_id")).Order(), Is.EqualTo(new[] { "r1", "r2", "r7", "r9" }));
        Assert.That(result["r7", "A"].Str("device"), Is.EqualTo("quoted, with a comma"));
        Assert.That(result["r9", "A"].Str("device"), Is.EqualTo("华为 p40 pro 未知"));
    }

    [Test]
    public void A_csv_record_whose_quoted_field_spans_lines_counts_as_one_line_as_duckdb_counts_it()
    {
        // Documented: line numbers after such a record are record numbers (the header and blank lines included), as
        // in DuckDB's own rejects; here r2 starts on line 4 of the file and is reported on line 3.
        string file = Write("dt=2024-01-15/part-0.csv",
            Header,
            "r1,u1,A,2024-01-15 10:00:00,\"two",
            "lines\"",
            "r2,,A,2024-01-15 10:01:00,pixel",
            "r3,u1,A,2024-01-15 10:02:00,pixel,extra");

        var result = Run("format: csv, csv: {header: true}");

        Assert.That(Quarantine(result), Is.EqualTo(new[]
        {
            (file, 3L, NullUser),
            (file, 4L, "malformed CSV line: TOO MANY COLUMNS: Expected Number of Columns: 5 Found: 6"),
        }));
        Assert.That(result["r1", "A"].Str("device"), Is.EqualTo("two\nlines"));
    }

    [Test]
    public void Csv_records_spanning_lines_and_blank_lines_inside_quotes_account_for_every_line_of_the_file()
    {
        // 9 lines: the header, r1 over 4 lines (one of them blank, inside its quotes), a blank line, r2, r3 over 2.
        string file = Write("dt=2024-01-15/part-0.csv",
            Header,
            "r1,u1,A,2024-01-15 10:00:00,\"one",
            "",
            "two",
            "three\"",
            "",
            "r2,,A,2024-01-15 10:01:00,pixel",
            "r3,u1,A,2024-01-15 10:02:00,\"x",
            "y\"");

        var result = Run("format: csv, csv: {header: true}");

        Assert.That(Quarantine(result), Is.EqualTo(new[] { (file, 4L, NullUser) }), "lines after r1 count records, as DuckDB counts them");
        Assert.That(result.Count("read.impressions"), Is.EqualTo(3));
        Assert.That(result["r1", "A"].Str("device"), Is.EqualTo("one\n\ntwo\nthree"));
        Assert.That(result["r3", "A"].Str("device"), Is.EqualTo("x\ny"));
    }

    [Test]
    public void Csv_columns_are_named_by_each_file_header_and_files_of_a_source_must_share_it()
    {
        Write("dt=2024-01-15/part-0.csv", "device,ts,item_id,user_id,request_id", "pixel,2024-01-15 10:00:00,A,u1,r1");
        var result = Run("format: csv, csv: {header: true}");
        Assert.That(result["r1", "A"].Str("device"), Is.EqualTo("pixel"));
        Assert.That(result["r1", "A"].Str("user_id"), Is.EqualTo("u1"));

        string other = Write("dt=2024-01-15/part-1.csv", Header, "r2,u1,A,2024-01-15 10:00:00,pixel");
        var error = Assert.Throws<Jobs.InputDataException>(() => Run("format: csv, csv: {header: true}"));
        Assert.That(error!.Message, Does.Contain(other).And.Contain("differs from that of").And.Contain("part-0.csv"));
    }

    [Test]
    public void File_names_with_glob_characters_are_read_literally_each_once()
    {
        // Unescaped, DuckDB would read 'p*?.csv' as a pattern matching both files, and '[x].csv' as 'x.csv'.
        string star = Write("dt=2024-01-15/p*?.csv", Header, "r1,u1,A,2024-01-15 10:00:00,star");
        string plain = Write("dt=2024-01-15/pxy.csv", Header, "r2,u1,A,2024-01-15 10:00:00,plain");
        string bracket = Write("dt=2024-01-15/[x].csv", Header, "r3,u1,A,2024-01-15 10:00:00,bracket");
        string x = Write("dt=2024-01-15/x.csv", Header, "r4,u1,A,2024-01-15 10:00:00,x");

        var result = Run("format: csv, csv: {header: true}");

        Assert.That(result.Count("read.impressions"), Is.EqualTo(4));
        Assert.That(result.Samples.Select(s => s.Str("device")).Order(), Is.EqualTo(new[] { "bracket", "plain", "star", "x" }));
        Assert.That(new[] { star, plain, bracket, x }.All(File.Exists));
    }

    [Test]
    public void Csv_without_a_header_with_a_tab_delimiter_and_windows_line_ends_counts_lines_from_one()
    {
        string file = WriteLines("dt=2024-01-15/part-0.tsv", "\r\n",
            "r1\tu1\tA\t2024-01-15 10:00:00\tpixel",
            "r2\t\tA\t2024-01-15 10:01:00\tpixel",
            "r3\tu1\tA\t2024-01-15 25:00:00\tpixel",
            "r4\tu1\tA",
            "",
            "r5\tu1\tA\t2024-01-15 10:02:00\tcaf\xE9",
            "r6\tu1\tA\t2024-01-15 10:03:00\tpixel,with,commas",
            "r7\tu2\t\t2024-01-15 10:04:00\tpixel");

        var result = Run("format: csv, csv: {header: false, delimiter: tab, columns: [request_id, user_id, item_id, ts, device]}");

        Assert.That(Quarantine(result), Is.EqualTo(new[]
        {
            (file, 2L, NullUser),
            (file, 3L, BadTime),
            (file, 4L, "malformed CSV line: MISSING COLUMNS: Expected Number of Columns: 5 Found: 3"),
            (file, 6L, "invalid UTF-8 text in column device"),
            (file, 8L, "key column 'item_id' is null"),
        }));
        Assert.That(result.Count("read.impressions"), Is.EqualTo(7));
        Assert.That(result.Count("quarantined.impressions"), Is.EqualTo(5));
        Assert.That(result.Samples.Select(s => s.Str("request_id")).Order(), Is.EqualTo(new[] { "r1", "r6" }));
        Assert.That(result["r6", "A"].Str("device"), Is.EqualTo("pixel,with,commas"));
    }

    [Test]
    public void A_malformed_json_line_is_quarantined_and_the_rest_read_as_before()
    {
        string file = Write("dt=2024-01-15/part-0.jsonl",
            Json("r1", "u1", "2024-01-15 10:00:00"),
            "",
            """{"request_id": "r2", "user_id": null, "item_id": "A", "ts": "2024-01-15 10:01:00", "device": "pixel"}""",
            Json("r3", "u1", "yesterday"),
            """{"request_id": "r4", "user_id": "u1", broken""",
            Json("r5", "u1", "2024-01-15 10:02:00", device: "caf\xE9"),
            "   ",
            "[1, 2, 3]",
            """{"request_id": "r6", "user_id": "u2", "item_id": "A", "ts": "2024-01-15 10:03:00", "device": "\"quoted\" \u00e9"}""",
            """{"request_id": "r7", "item_id": "A", "ts": "2024-01-15 10:04:00", "device": "pixel"}""",
            """{"request_id": "r8", "user_id": "u1", "item_id": "A", "ts": "2024-01-15 10:05:00", "device": 42}""");

        var result = Run("format: jsonl");

        Assert.That(Quarantine(result), Is.EqualTo(new[]
        {
            (file, 3L, NullUser),
            (file, 4L, BadTime),
            (file, 5L, "malformed JSON line"),
            (file, 6L, "invalid UTF-8 text"),
            (file, 8L, "malformed JSON line: not a JSON object"),
            (file, 10L, NullUser),
        }));
        Assert.That(result.Count("read.impressions"), Is.EqualTo(9), "blank and whitespace-only lines are skipped");
        Assert.That(result.Count("quarantined.impressions"), Is.EqualTo(6));
        Assert.That(result.Samples.Select(s => s.Str("request_id")).Order(), Is.EqualTo(new[] { "r1", "r6", "r8" }));
        Assert.That(result["r6", "A"].Str("device"), Is.EqualTo("\"quoted\" é"));
        Assert.That(result["r8", "A"].Str("device"), Is.EqualTo("42"), "a JSON number read as text");
    }

    [Test]
    public void Json_lines_with_windows_line_ends_are_numbered_by_line()
    {
        string file = Path.Combine(_logs.Root, "imp", "dt=2024-01-15", "part-0.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, string.Join("\r\n", Json("r1", "u1", "2024-01-15 10:00:00"), "", Json("r2", "u1", "noon"), "{", Json("r3", "u1", "2024-01-15 10:01:00")) + "\r\n");

        var result = Run("format: jsonl");

        Assert.That(Quarantine(result), Is.EqualTo(new[] { (file, 3L, BadTime), (file, 4L, "malformed JSON line") }));
        Assert.That(result.Samples.Select(s => s.Str("request_id")).Order(), Is.EqualTo(new[] { "r1", "r3" }));
    }

    [TestCase("csv")]
    [TestCase("jsonl")]
    public void Lines_are_numbered_per_file_when_a_source_has_several(string format)
    {
        bool csv = format == "csv";
        string Line(string request, string? user, string time, string device = "pixel") =>
            csv ? $"{request},{user},A,{time},{device}" : Json(request, user, time, device);
        string[] First(params string[] lines) => csv ? [Header, .. lines] : lines;
        string broken = csv ? "x,y" : "{\"request_id\":";
        string brokenReason = csv ? "malformed CSV line: MISSING COLUMNS: Expected Number of Columns: 5 Found: 2" : "malformed JSON line";
        int h = csv ? 1 : 0;

        string a = Write($"dt=2024-01-15/part-0.{format}", First(
            Line("a1", "u1", "2024-01-15 10:00:00"),
            broken,
            Line("a2", null, "2024-01-15 10:01:00"),
            Line("a3", "u1", "2024-01-15 10:02:00")));
        string b = Write($"dt=2024-01-15/part-1.{format}", First(
            Line("b1", "u1", "2024-01-15 11:00:00"),
            Line("b2", "u1", "2024-01-15 11:01:00"),
            Line("b3", "u1", "2024-01-15 11:02:00", "caf\xE9"),
            Line("b4", "u1", "2024-01-15 11:03:00"),
            Line("b5", "u1", "later")));
        string c = Write($"dt=2024-01-16/part-0.{format}", First(
            Line("c1", null, "2024-01-15 12:00:00"),
            "",
            Line("c2", "u1", "2024-01-15 12:01:00"),
            broken,
            Line("c3", "u1", "??")));

        var result = Run($"format: {format}" + (csv ? ", csv: {header: true}" : ""));

        Assert.That(Quarantine(result), Is.EqualTo(new[]
        {
            (a, 2L + h, brokenReason),
            (a, 3L + h, NullUser),
            (b, 3L + h, csv ? "invalid UTF-8 text in column device" : "invalid UTF-8 text"),
            (b, 5L + h, BadTime),
            (c, 1L + h, NullUser),
            (c, 4L + h, brokenReason),
            (c, 5L + h, BadTime),
        }.OrderBy(r => r.Item1, StringComparer.Ordinal).ThenBy(r => r.Item2)));
        Assert.That(result.Count("read.impressions"), Is.EqualTo(13));
        Assert.That(result.Count("quarantined.impressions"), Is.EqualTo(7));
        Assert.That(result.Samples.Select(s => s.Str("request_id")).Order(), Is.EqualTo(new[] { "a1", "a3", "b1", "b2", "b4", "c2" }));
    }

    [Test]
    public void Too_many_bad_text_lines_fail_the_job_and_keep_the_rows_beside_the_output()
    {
        string file = Write("dt=2024-01-15/part-0.jsonl", Json("r1", "u1", "2024-01-15 10:00:00"), "{oops", "\xFF\xFE");

        var failed = Assert.Throws<Jobs.JobFailedException>(() => Run("format: jsonl", maxBad: 0.1));

        // 2 of the 3 impressions, and of the 6 rows read in all (a click, a user and an item).
        Assert.That(failed!.Message, Does.Contain("2 of 6 input rows are bad"));
        string kept = Path.Combine(_logs.Root, "out", Day) + ".quarantine.jsonl";
        Assert.That(Rows(File.ReadAllLines(kept)), Is.EqualTo(new[] { (file, 2L, "malformed JSON line"), (file, 3L, "invalid UTF-8 text") }));
    }

    [Test]
    public void Invalid_utf8_in_a_parquet_string_column_stops_the_job_with_an_error_naming_the_file()
    {
        string file = Path.Combine(_logs.Root, "imp", "dt=2024-01-15", "part-0.parquet");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        using (var engine = new DuckDbEngine(new DuckDbEngineOptions { Threads = 1 }))
        {
            engine.Execute(
                "COPY (SELECT 'r' || i AS request_id, 'u1' AS user_id, 'A' AS item_id, '2024-01-15 10:00:00' AS ts, " +
                "CASE WHEN i = 2 THEN 'dev-PLACEHOLDER' ELSE 'pixel' END AS device FROM range(1, 4) t(i)) " +
                $"TO '{file}' (FORMAT parquet, COMPRESSION uncompressed)");
        }

        // The same number of bytes, no longer UTF-8 (the file has no checksums to fix).
        byte[] bytes = File.ReadAllBytes(file);
        byte[] placeholder = Encoding.ASCII.GetBytes("PLACEHOLDER");
        int replaced = 0;
        for (int at = bytes.AsSpan().IndexOf(placeholder); at >= 0; at = bytes.AsSpan().IndexOf(placeholder))
        {
            bytes[at] = 0xE9;
            bytes[at + 1] = (byte)'!';
            replaced++;
        }

        Assert.That(replaced, Is.GreaterThan(0));
        File.WriteAllBytes(file, bytes);

        var error = Assert.Throws<Jobs.InputDataException>(() => Run("format: parquet"));

        Assert.That(error!.Message, Does.StartWith($"source 'impressions': {file} holds text that is not valid UTF-8"));
        Assert.That(error.Message, Does.Contain("rewrite the file").And.Contain("move the file out of the input"));
    }

    private static string Json(string request, string? user, string time, string device = "pixel", string item = "A") =>
        "{" + $"\"request_id\": \"{request}\", \"user_id\": {(user is null ? "null" : $"\"{user}\"")}, \"item_id\": \"{item}\", \"ts\": \"{time}\", \"device\": \"{device}\"" + "}";

    /// <summary>Writes lines (with \n ends) under the impressions folder; a line holding a char from U+0080 to U+00FF is
    /// written in Latin-1, one byte a char, to make invalid UTF-8.</summary>
    private string Write(string relative, params string[] lines) => WriteLines(relative, "\n", lines);

    private string WriteLines(string relative, string newline, params string[] lines)
    {
        string file = Path.GetFullPath(Path.Combine(_logs.Root, "imp", relative));
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        using var stream = File.Create(file);
        foreach (string line in lines)
        {
            bool latin = line.Any(ch => ch is >= '\x80' and <= '\xFF');
            stream.Write(latin ? Encoding.Latin1.GetBytes(line) : Encoding.UTF8.GetBytes(line));
            stream.Write(Encoding.ASCII.GetBytes(newline));
        }

        return file;
    }

    private JobResult Run(string format, double maxBad = 0.9)
    {
        string path = Path.Combine(_logs.Root, "imp").Replace('\\', '/');
        string spec = Specs.Din(extraJob: $"  quarantine: {{max_bad_fraction: {maxBad.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}")
            .Replace("{path: \"{input}/impressions/dt={date..date+1d}\", format: jsonl,", $"{{path: \"{path}/dt={{date..date+1d}}\", {format},", StringComparison.Ordinal);
        Assert.That(spec, Does.Contain(path));
        return _logs.Run(spec, Day);
    }

    private static List<(string File, long Row, string Reason)> Quarantine(JobResult result)
    {
        string file = Path.Combine(result.Summary.Output, "_quarantine", "rows.jsonl");
        return Rows(File.ReadAllLines(file));
    }

    private static List<(string File, long Row, string Reason)> Rows(IEnumerable<string> lines) => lines.Select(line =>
    {
        using var row = JsonDocument.Parse(line);
        var r = row.RootElement;
        Assert.That(r.GetProperty("source").GetString(), Is.EqualTo("impressions"), line);
        Assert.That(r.GetProperty("row").ValueKind, Is.EqualTo(JsonValueKind.Number), line);
        return (r.GetProperty("file").GetString()!, r.GetProperty("row").GetInt64(), r.GetProperty("reason").GetString()!);
    }).ToList();
}
