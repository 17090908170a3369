using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SparkTfrecord.Engine.Tests;

/// <summary>
/// The job over generated impressions with random corruption (quotes, delimiters, truncation, invalid UTF-8, long lines,
/// NULs), blank lines, CRLF line ends and files without a last line end, in CSV and JSON lines. Every corruption made
/// here has one defined outcome: its line is quarantined (an unterminated CSV quote: its line and, as one counted
/// entry, the rest of its file). So for every file the quarantine must name exactly the lines computed here; per
/// source, the rows read must be every line but the header and the blank ones, and the quarantined ones the corrupted
/// ones; and the samples must be byte for byte those of a run on the same logs with the corrupted lines removed.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class InputFuzzTests
{
    private const string Day = "2024-01-15";
    private const string CsvHeader = "request_id,user_id,item_id,ts,device";
    private static readonly string[] s_devices = ["pixel", "iphone 13", "华为 p40 pro", "café", "xiaomi 11"];
    private static readonly string[] s_items = ["A", "B", "C", "D", "E", "F"];

    private enum Corruption
    {
        Quote,
        Delimiter,
        Truncate,
        InvalidUtf8,
        Nul,
        LongLine,
    }

    [TestCase("csv", 11)]
    [TestCase("csv", 13)]
    [TestCase("jsonl", 21)]
    [TestCase("jsonl", 22)]
    public void Every_line_is_read_or_quarantined_and_the_samples_equal_those_of_the_clean_lines(string format, int seed)
    {
        var random = new Random(seed);
        bool csv = format == "csv";
        using var logs = new TestLogs();
        for (int u = 0; u < 12; u++)
        {
            logs.User("u" + u.ToString(CultureInfo.InvariantCulture), 20 + u, (u % 2).ToString(CultureInfo.InvariantCulture));
        }

        foreach (string item in s_items)
        {
            logs.Item(item, "cat-" + item);
        }

        var files = new List<GeneratedFile>();
        foreach (string name in new[] { "dt=2024-01-15/part-0", "dt=2024-01-15/part-1", "dt=2024-01-16/part-0" })
        {
            files.Add(Generate(random, csv, name, files.Count, logs));
        }

        string bad = Path.Combine(logs.Root, "imp-bad");
        string clean = Path.Combine(logs.Root, "imp-clean");
        foreach (var f in files)
        {
            f.Write(bad, corrupted: true);
            f.Write(clean, corrupted: false);
        }

        var corrupted = logs.Run(Spec(bad, format), Day, Path.Combine(logs.Root, "out-bad"));
        var reference = logs.Run(Spec(clean, format), Day, Path.Combine(logs.Root, "out-clean"));

        // Per file: the quarantine names exactly the corrupted lines (and the rest of a file after a broken quote).
        var quarantine = Quarantine(corrupted.Summary.Output);
        foreach (var f in files)
        {
            string file = Path.GetFullPath(Path.Combine(bad, f.Name));
            var expected = f.ExpectedQuarantine();
            var actual = quarantine.Where(q => q.File == file).Select(q => (q.Row, q.Reason)).ToList();
            Assert.That(actual.Select(a => a.Row), Is.EqualTo(expected.Select(e => e.Row)), $"{f.Name}: the quarantined lines\n{f.Describe()}");
            for (int i = 0; i < expected.Count; i++)
            {
                Assert.That(actual[i].Reason, Does.Contain(expected[i].Reason), $"{f.Name} line {expected[i].Row}");
            }
        }

        Assert.That(quarantine.Select(q => q.File).Distinct(), Is.SubsetOf(files.Select(f => Path.GetFullPath(Path.Combine(bad, f.Name)))));

        // Per source: every line but the headers and the blank lines is a row read; the quarantined ones as computed.
        Assert.That(corrupted.Count("read.impressions"), Is.EqualTo(files.Sum(f => f.RowLines)));
        Assert.That(corrupted.Count("quarantined.impressions"), Is.EqualTo(files.Sum(f => f.QuarantinedLines)));
        Assert.That(reference.Count("quarantined.impressions"), Is.Zero);
        Assert.That(reference.Count("read.impressions"), Is.EqualTo(files.Sum(f => f.RowLines - f.QuarantinedLines)));
        Assert.That(corrupted.Count("written"), Is.GreaterThan(0));

        // The samples: the same bytes as the clean run's.
        Assert.That(PartFiles(corrupted.Summary.Output), Is.EqualTo(PartFiles(reference.Summary.Output)));
        foreach (string part in PartFiles(reference.Summary.Output))
        {
            Assert.That(File.ReadAllBytes(Path.Combine(corrupted.Summary.Output, part)), Is.EqualTo(File.ReadAllBytes(Path.Combine(reference.Summary.Output, part))), part);
        }
    }

    private static GeneratedFile Generate(Random random, bool csv, string name, int index, TestLogs logs)
    {
        string day = name[3..13];
        int count = random.Next(150, 400);
        var lines = new List<Line>();
        if (csv)
        {
            lines.Add(new Line(CsvHeader) { IsHeader = true });
        }

        for (int i = 0; i < count; i++)
        {
            string request = $"q{index}-{i}";
            string user = "u" + random.Next(15).ToString(CultureInfo.InvariantCulture);
            string item = s_items[random.Next(s_items.Length)];
            string time = $"{day} {random.Next(24):00}:{random.Next(60):00}:{random.Next(60):00}";
            string device = s_devices[random.Next(s_devices.Length)];
            lines.Add(new Line(csv
                ? $"{request},{user},{item},{time},{device}"
                : $"{{\"request_id\": \"{request}\", \"user_id\": \"{user}\", \"item_id\": \"{item}\", \"ts\": \"{time}\", \"device\": \"{device}\"}}")
            { Time = time, Device = device });
            if (random.NextDouble() < 0.1)
            {
                logs.Click($"{request}", user, item, time);
            }

            if (random.NextDouble() < 0.02)
            {
                // Blank lines (and, in JSON lines, whitespace), which are skipped.
                lines.Add(new Line(csv || random.Next(2) == 0 ? "" : "  \t") { IsBlank = true });
            }
        }

        // Distinct data lines, each corrupted once; at most one unterminated quote per file (nothing after it is read),
        // on a line that is not the last.
        var data = Enumerable.Range(0, lines.Count).Where(i => !lines[i].IsHeader && !lines[i].IsBlank).ToList();
        int corruptions = random.Next(3, 11);
        bool quoteUsed = false;
        foreach (int at in data.OrderBy(_ => random.Next()).Take(corruptions))
        {
            var kind = (Corruption)random.Next(Enum.GetValues<Corruption>().Length);
            if (kind == Corruption.Quote && (quoteUsed || at == lines.Count - 1 || random.Next(2) == 0))
            {
                kind = Corruption.Delimiter;
            }

            quoteUsed |= kind == Corruption.Quote;
            lines[at] = Corrupt(random, csv, lines[at], kind);
        }

        return new GeneratedFile(name + (csv ? ".csv" : ".jsonl"), lines, csv, random.Next(3) == 0 ? "\r\n" : "\n", LastLineEnd: random.Next(4) != 0);
    }

    private static Line Corrupt(Random random, bool csv, Line line, Corruption kind)
    {
        string text = line.Text;
        byte[] bytes;
        string reason;
        switch (kind)
        {
            case Corruption.Quote when csv:
            {
                // A quote opening a field that is never closed.
                string[] fields = text.Split(',');
                int f = random.Next(fields.Length);
                fields[f] = "\"" + fields[f];
                bytes = Utf8(string.Join(',', fields));
                reason = "malformed CSV line: UNQUOTED VALUE";
                break;
            }

            case Corruption.Quote:
                bytes = Utf8(text.Insert(random.Next(text.Length + 1), "\""));
                reason = "malformed JSON line";
                break;
            case Corruption.Delimiter when csv:
                // One field too many.
                bytes = Utf8(text.Insert(random.Next(text.Length + 1), ","));
                reason = "TOO MANY COLUMNS";
                break;
            case Corruption.Delimiter:
                bytes = Utf8(text + " ,x");
                reason = "malformed JSON line";
                break;
            case Corruption.Truncate when csv:
                // Cut before the last delimiter: a field or more missing.
                bytes = Utf8(text[..random.Next(1, text.LastIndexOf(',') + 1)]);
                reason = "MISSING COLUMNS";
                break;
            case Corruption.Truncate:
                bytes = Utf8(text[..random.Next(1, text.Length)]);
                reason = "malformed JSON line";
                break;
            case Corruption.InvalidUtf8:
            {
                int at = random.Next(text.Length + 1);
                bytes = [.. Utf8(text[..at]), 0xFF, .. Utf8(text[at..])];
                reason = "invalid UTF-8 text";
                break;
            }

            case Corruption.Nul when csv:
            {
                // A NUL in the time: not a time.
                int t = text.IndexOf(line.Time!, StringComparison.Ordinal) + random.Next(line.Time!.Length);
                bytes = Utf8(text[..t] + "\0" + text[(t + 1)..]);
                reason = "time column 'ts' is null or not a valid timestamp text";
                break;
            }

            case Corruption.Nul:
                // A raw NUL is not allowed anywhere in JSON (nor inside a string).
                bytes = Utf8(text.Insert(random.Next(text.Length + 1), "\0"));
                reason = "malformed JSON line";
                break;
            default:
                // Over the reader's limit of 2,000,000 bytes.
                bytes = Utf8(text.Replace(line.Device!, new string('x', random.Next(2_000_001, 3_000_000)), StringComparison.Ordinal));
                reason = "line longer than the reader's limit: Maximum line size of 2000000 bytes exceeded";
                break;
        }

        return line with { Bytes = bytes, Kind = kind, Reason = reason };
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string Spec(string folder, string format)
    {
        string spec = Specs.Din(extraJob: "  quarantine: {max_bad_fraction: 1}")
            .Replace("{path: \"{input}/impressions/dt={date..date+1d}\", format: jsonl,", $"{{path: \"{folder.Replace('\\', '/')}/dt={{date..date+1d}}\", format: {format},", StringComparison.Ordinal);
        Assert.That(spec, Does.Contain(folder.Replace('\\', '/')));
        return spec;
    }

    private static List<string> PartFiles(string output) =>
        Directory.EnumerateFiles(output, "part-*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(output, f)).Order(StringComparer.Ordinal).ToList();

    private static List<(string File, long Row, string Reason)> Quarantine(string output)
    {
        string file = Path.Combine(output, "_quarantine", "rows.jsonl");
        if (!File.Exists(file))
        {
            return [];
        }

        return File.ReadLines(file).Select(line =>
        {
            using var row = JsonDocument.Parse(line);
            var r = row.RootElement;
            return (r.GetProperty("file").GetString()!, r.GetProperty("row").GetInt64(), r.GetProperty("reason").GetString()!);
        }).OrderBy(q => q.Item1, StringComparer.Ordinal).ThenBy(q => q.Item2).ToList();
    }

    private sealed record Line(string Text)
    {
        public bool IsHeader { get; init; }

        public bool IsBlank { get; init; }

        public string? Time { get; init; }

        public string? Device { get; init; }

        public byte[]? Bytes { get; init; }

        public Corruption? Kind { get; init; }

        public string? Reason { get; init; }
    }

    private sealed record GeneratedFile(string Name, List<Line> Lines, bool Csv, string LineEnd, bool LastLineEnd)
    {
        // The line (0-based) of an unterminated quote, or -1.
        private int QuoteAt => Lines.FindIndex(l => l.Kind == Corruption.Quote && Csv);

        // Lines from the broken quote on are not read.
        private bool Lost(int i) => QuoteAt >= 0 && i > QuoteAt;

        /// <summary>Lines that are rows: all but the header and blank ones.</summary>
        public long RowLines => Lines.Count(l => !l.IsHeader && !l.IsBlank);

        /// <summary>Lines quarantined: the corrupted ones up to a broken quote, then every row line after it.</summary>
        public long QuarantinedLines => Lines.Select((l, i) => (l, i)).Count(x => !x.l.IsHeader && !x.l.IsBlank && (x.l.Kind is not null || Lost(x.i)));

        public List<(long Row, string Reason)> ExpectedQuarantine()
        {
            var rows = new List<(long, string)>();
            for (int i = 0; i < Lines.Count; i++)
            {
                if (Lines[i].Kind is not null && !Lost(i))
                {
                    rows.Add((i + 1, Lines[i].Reason!));
                }
            }

            long rest = Lines.Select((l, i) => (l, i)).Count(x => Lost(x.i) && !x.l.IsBlank);
            if (rest > 0)
            {
                rows.Add((QuoteAt + 2, $"the rest of the file ({rest} lines) is quarantined"));
            }

            return rows;
        }

        public void Write(string root, bool corrupted)
        {
            string file = Path.Combine(root, Name);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            using var stream = File.Create(file);
            byte[] end = Encoding.ASCII.GetBytes(LineEnd);
            for (int i = 0; i < Lines.Count; i++)
            {
                var line = Lines[i];
                if (!corrupted && (line.Kind is not null || Lost(i)))
                {
                    continue;
                }

                stream.Write(corrupted && line.Bytes is { } b ? b : Utf8(line.Text));
                if (i < Lines.Count - 1 || LastLineEnd)
                {
                    stream.Write(end);
                }
            }
        }

        public string Describe() => string.Join("\n", Lines.Select((l, i) => (l, i)).Where(x => x.l.Kind is not null || x.l.IsBlank)
            .Select(x => $"  line {x.i + 1}: {(x.l.IsBlank ? "blank" : x.l.Kind.ToString())}")) + $"\n  {Lines.Count} lines, line end {(LineEnd == "\n" ? "LF" : "CRLF")}, last line end: {LastLineEnd}";
    }
}
