using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SparkTfrecord.Spark.Tests.Conformance;

/// <summary>
/// One conformance case, a folder tests/conformance/&lt;clause-id&gt;[-&lt;variant&gt;] (tests/conformance/README.md):
/// spec.yaml with a job section reading <c>{input}</c>, the input files under input/, case.json (what the case
/// checks) and expected.jsonl (the samples, hand computed from the clause). <see cref="Load"/> refuses a case that
/// does not follow the format, naming every problem, so a typo never makes a check silently absent.
/// </summary>
internal sealed class ConformanceCase
{
    /// <summary>The keys case.json may hold; any other key is refused.</summary>
    internal static readonly IReadOnlySet<string> Keys = new HashSet<string>(StringComparer.Ordinal)
    {
        "clause", "date", "says", "counts", "quarantine", "spark_has", "spark_lacks", "files", "duckdb_refuses", "spark_refuses", "connector_refuses",
    };

    private static readonly IReadOnlySet<string> s_badRowKeys = new HashSet<string>(StringComparer.Ordinal) { "source", "file", "line", "reason_starts" };
    private static readonly IReadOnlySet<string> s_filesKeys = new HashSet<string>(StringComparer.Ordinal) { "feature", "parts" };

    private ConformanceCase(string folder)
    {
        Folder = folder;
    }

    /// <summary>The case's name: its folder's name.</summary>
    public string Name => Path.GetFileName(Folder);

    /// <summary>The case folder.</summary>
    public string Folder { get; }

    /// <summary>The spec file.</summary>
    public string Spec => Path.Combine(Folder, "spec.yaml");

    /// <summary>The folder passed as <c>--input</c>.</summary>
    public string Input => Path.Combine(Folder, "input");

    /// <summary>The clause the case checks.</summary>
    public string Clause { get; private set; } = "";

    /// <summary>The run date.</summary>
    public DateOnly Date { get; private set; }

    /// <summary>The date as the command line takes it.</summary>
    public string DateText => Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The rule checked, in one sentence.</summary>
    public string Says { get; private set; } = "";

    /// <summary>Counts of the summary that must be exactly these (a subset of its <c>counts</c>).</summary>
    public IReadOnlyDictionary<string, long> Counts { get; private set; } = new Dictionary<string, long>();

    /// <summary>The bad rows expected, order aside; null when the case does not check them.</summary>
    public IReadOnlyList<ExpectedBadRow>? Quarantine { get; private set; }

    /// <summary>Texts every rendered Spark script of the case contains.</summary>
    public IReadOnlyList<string> SparkHas { get; private set; } = [];

    /// <summary>Texts no rendered Spark script of the case contains.</summary>
    public IReadOnlyList<string> SparkLacks { get; private set; } = [];

    /// <summary>Which records each part file holds, in order; null when not checked.</summary>
    public ExpectedFiles? Files { get; private set; }

    /// <summary>A text of the message with which the embedded engine refuses the case (exit 1); null when it runs it.</summary>
    public string? DuckDbRefuses { get; private set; }

    /// <summary>A text of the message with which the Spark rendering refuses the case; null when it renders it.</summary>
    public string? SparkRefuses { get; private set; }

    /// <summary>A text of the message with which the Spark connector renderings refuse the case while the native writer
    /// renders it (sized shards, issue 14); null when they render it.</summary>
    public string? ConnectorRefuses { get; private set; }

    /// <summary>The samples expected (expected.jsonl), one object per record.</summary>
    public IReadOnlyList<JsonObject> Expected { get; private set; } = [];

    /// <summary>Loads and checks a case folder.</summary>
    /// <param name="folder">The folder.</param>
    /// <returns>The case.</returns>
    /// <exception cref="InvalidDataException">The case does not follow the format; the message lists every problem.</exception>
    public static ConformanceCase Load(string folder)
    {
        var c = new ConformanceCase(folder);
        var problems = new List<string>();
        c.Read(problems);
        if (problems.Count > 0)
        {
            throw new InvalidDataException($"conformance case {folder} does not follow the format (tests/conformance/README.md):\n  " + string.Join("\n  ", problems));
        }

        return c;
    }

    private void Read(List<string> problems)
    {
        string caseJson = Path.Combine(Folder, "case.json");
        foreach (string required in new[] { Spec, caseJson })
        {
            if (!File.Exists(required))
            {
                problems.Add($"{Path.GetFileName(required)} is missing");
            }
        }

        if (!Directory.Exists(Input))
        {
            problems.Add("input/ is missing (the folder passed as --input)");
        }

        if (!File.Exists(caseJson))
        {
            return;
        }

        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(caseJson)) as JsonObject ?? throw new JsonException("not a JSON object");
        }
        catch (JsonException e)
        {
            problems.Add($"case.json is not a JSON object: {e.Message}");
            return;
        }

        foreach (string key in root.Select(p => p.Key).Where(k => !Keys.Contains(k)))
        {
            problems.Add($"case.json: unknown key '{key}' (known: {string.Join(", ", Keys)})");
        }

        Clause = Text(root, "clause", problems, required: true) ?? "";
        if (Clause.Length > 0 && !ConformanceClauses.Ids.Contains(Clause))
        {
            problems.Add($"case.json: clause '{Clause}' is not in tests/conformance/clauses.txt");
        }
        else if (Clause.Length > 0 && ConformanceClauses.ClauseOfFolder(Name) != Clause)
        {
            problems.Add($"the folder is named '{Name}' but its clause is '{Clause}': name it {Clause} or {Clause}-<variant>");
        }

        string? date = Text(root, "date", problems, required: true);
        if (date is not null)
        {
            if (DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                Date = d;
            }
            else
            {
                problems.Add($"case.json: date '{date}' is not yyyy-MM-dd");
            }
        }

        Says = Text(root, "says", problems, required: true) ?? "";
        Counts = ReadCounts(root, problems);
        Quarantine = ReadQuarantine(root, problems);
        SparkHas = Texts(root, "spark_has", problems);
        SparkLacks = Texts(root, "spark_lacks", problems);
        Files = ReadFiles(root, problems);
        DuckDbRefuses = Text(root, "duckdb_refuses", problems, required: false);
        SparkRefuses = Text(root, "spark_refuses", problems, required: false);
        ConnectorRefuses = Text(root, "connector_refuses", problems, required: false);
        Expected = ReadExpected(problems);
    }

    private List<JsonObject> ReadExpected(List<string> problems)
    {
        string file = Path.Combine(Folder, "expected.jsonl");
        if (!File.Exists(file))
        {
            if (DuckDbRefuses is null)
            {
                problems.Add("expected.jsonl is missing (an empty file says: no samples)");
            }

            return [];
        }

        var records = new List<JsonObject>();
        int number = 0;
        foreach (string line in File.ReadLines(file))
        {
            number++;
            if (line.Trim().Length == 0)
            {
                continue;
            }

            try
            {
                records.Add(JsonNode.Parse(line) as JsonObject ?? throw new JsonException("not a JSON object"));
            }
            catch (JsonException e)
            {
                problems.Add($"expected.jsonl line {number}: not a JSON object ({e.Message})");
            }
        }

        return records;
    }

    private static string? Text(JsonObject root, string key, List<string> problems, bool required)
    {
        if (!root.TryGetPropertyValue(key, out var node) || node is null)
        {
            if (required)
            {
                problems.Add($"case.json: '{key}' is required");
            }

            return null;
        }

        if (node is JsonValue v && v.TryGetValue(out string? text) && text.Length > 0)
        {
            return text;
        }

        problems.Add($"case.json: '{key}' must be a non-empty string");
        return null;
    }

    private static List<string> Texts(JsonObject root, string key, List<string> problems)
    {
        if (!root.TryGetPropertyValue(key, out var node) || node is null)
        {
            return [];
        }

        var texts = new List<string>();
        if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                if (item is JsonValue v && v.TryGetValue(out string? text) && text.Length > 0)
                {
                    texts.Add(text);
                }
                else
                {
                    problems.Add($"case.json: '{key}' holds {item?.ToJsonString() ?? "null"}; it must be a list of non-empty strings");
                }
            }
        }
        else
        {
            problems.Add($"case.json: '{key}' must be a list of strings");
        }

        return texts;
    }

    private static Dictionary<string, long> ReadCounts(JsonObject root, List<string> problems)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        if (!root.TryGetPropertyValue("counts", out var node) || node is null)
        {
            return counts;
        }

        if (node is not JsonObject o)
        {
            problems.Add("case.json: 'counts' must be an object of count name -> integer");
            return counts;
        }

        foreach (var (name, value) in o)
        {
            if (value is JsonValue v && v.TryGetValue(out long n))
            {
                counts[name] = n;
            }
            else
            {
                problems.Add($"case.json: counts '{name}' must be an integer, not {value?.ToJsonString() ?? "null"}");
            }
        }

        return counts;
    }

    private static List<ExpectedBadRow>? ReadQuarantine(JsonObject root, List<string> problems)
    {
        if (!root.TryGetPropertyValue("quarantine", out var node) || node is null)
        {
            return null;
        }

        if (node is not JsonArray array)
        {
            problems.Add("case.json: 'quarantine' must be a list of {source, file, line, reason_starts}");
            return null;
        }

        var rows = new List<ExpectedBadRow>();
        foreach (var item in array)
        {
            if (item is not JsonObject o || o.Select(p => p.Key).ToHashSet(StringComparer.Ordinal) is var keys && !keys.SetEquals(s_badRowKeys))
            {
                problems.Add($"case.json: quarantine entry {item?.ToJsonString() ?? "null"} must have exactly the keys {string.Join(", ", s_badRowKeys)} (line may be null)");
                continue;
            }

            long? line = null;
            if (o["line"] is JsonValue lv)
            {
                if (lv.TryGetValue(out long l))
                {
                    line = l;
                }
                else
                {
                    problems.Add($"case.json: quarantine entry {o.ToJsonString()}: line must be an integer or null");
                }
            }

            string? source = (o["source"] as JsonValue)?.TryGetValue(out string? s) == true ? s : null;
            string? file = (o["file"] as JsonValue)?.TryGetValue(out string? f) == true ? f : null;
            string? reason = (o["reason_starts"] as JsonValue)?.TryGetValue(out string? r) == true ? r : null;
            if (source is null || file is null || reason is null)
            {
                problems.Add($"case.json: quarantine entry {o.ToJsonString()}: source, file and reason_starts must be strings");
                continue;
            }

            rows.Add(new ExpectedBadRow(source, file, line, reason));
        }

        return rows;
    }

    private static ExpectedFiles? ReadFiles(JsonObject root, List<string> problems)
    {
        if (!root.TryGetPropertyValue("files", out var node) || node is null)
        {
            return null;
        }

        if (node is not JsonObject o || !o.Select(p => p.Key).ToHashSet(StringComparer.Ordinal).SetEquals(s_filesKeys)
            || o["feature"] is not JsonValue fv || !fv.TryGetValue(out string? feature) || o["parts"] is not JsonObject parts)
        {
            problems.Add("case.json: 'files' must be {\"feature\": \"<a string feature>\", \"parts\": {\"<part file>\": [\"<its value>\", ...]}}");
            return null;
        }

        var byFile = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (file, values) in parts)
        {
            if (values is JsonArray a && a.All(x => x is JsonValue v && v.TryGetValue(out string? _)))
            {
                byFile[file] = [.. a.Select(x => x!.GetValue<string>())];
            }
            else
            {
                problems.Add($"case.json: files.parts '{file}' must be a list of strings (the feature's values in file order)");
            }
        }

        return new ExpectedFiles(feature, byFile);
    }
}

/// <summary>A bad row a case expects in the quarantine.</summary>
/// <param name="Source">The source's name.</param>
/// <param name="File">The file's name (its last path segment: the engines name files differently).</param>
/// <param name="Line">The line (or Parquet row) in the file; null where the engine cannot know it (Spark).</param>
/// <param name="ReasonStarts">The start of the reason.</param>
internal sealed record ExpectedBadRow(string Source, string File, long? Line, string ReasonStarts);

/// <summary>The records of each part file, by one string feature's values, in file order.</summary>
/// <param name="Feature">The feature whose values name the records.</param>
/// <param name="Parts">Part file (relative to the output) -> the values, in file order.</param>
internal sealed record ExpectedFiles(string Feature, IReadOnlyDictionary<string, IReadOnlyList<string>> Parts);
