using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace SparkTfrecord.Jobs.Tests.Hostile;

/// <summary>
/// Config mistakes that used to reach the user late, as a DuckDB parser or binder error without a place (or as a
/// crash): each is now refused when the config is read, with exit 1, the file, line and column of the value at fault
/// (computed here from the YAML the test wrote), what to do, no stack trace, and nothing of the user's touched.
/// </summary>
[TestFixture]
[Category("Process")]
[NonParallelizable]
public sealed class ConfigMistakesTests
{
    private const string Date = "2024-01-15";

    private static string Din => File.ReadAllText(Path.Combine(Sparktf.RepoRoot, "conf", "din.yaml"));

    public static IEnumerable<TestCaseData> Mistakes()
    {
        TestCaseData Case(string name, string from, string to, string at, string message) =>
            new TestCaseData(from, to, at, message).SetName($"Config_mistake_{name}_is_refused_when_read_at_its_line_and_column");

        const string Users = "users:       {path: \"{input}/users\", format: parquet, key: user_id, as_of: {column: updated_at, unit: ms}}";
        string Csv(string delimiter) => $"users:       {{path: \"{{input}}/users\", format: csv, csv: {{delimiter: {delimiter}}}, key: user_id}}";

        yield return Case("empty_column_name", "dedup: [request_id, item_id]", "dedup: [request_id, \"\"]", "dedup: [request_id, ^\"\"]", "dedup is empty");
        yield return Case("delimiter_quote", Users, Csv("'\"'"), "delimiter: ^'\"'", "delimiter '\"' is the quote character of CSV fields");
        yield return Case("delimiter_cr", Users, Csv("\"\\r\""), "delimiter: ^\"\\r\"", "delimiter is a line break");
        yield return Case("delimiter_lf", Users, Csv("\"\\n\""), "delimiter: ^\"\\n\"", "delimiter is a line break");
        yield return Case("delimiter_of_two_characters", Users, Csv("'||'"), "delimiter: ^'||'", "delimiter '||' is 2 characters: write one character");
        yield return Case("nul_in_a_path", "{path: \"{input}/users\"", "{path: \"{input}/us\\0ers\"", "{path: ^\"{input}/us\\0ers\"", "path holds the control character U+0000 at character 11");
        yield return Case("nul_in_a_zone", "timezone: Asia/Shanghai", "timezone: \"Asia/Shang\\0hai\"", "timezone: ^\"Asia", "timezone holds the control character U+0000 at character 11");
        yield return Case("str_tag_under_job", "timezone: Asia/Shanghai", "timezone: !!str Asia/Shanghai", "timezone: ^!!str", "the tag 'tag:yaml.org,2002:str' is not allowed");
        yield return Case("internal_column_name", "match: [request_id, item_id]", "match: [request_id, __file]", "match: [request_id, ^__file]", "'__file' (match) starts with '__', which the job keeps for its internal columns");
        yield return Case("internal_file_column_name", Users, "users:       {path: \"{input}/users\", format: parquet, key: user_id, rename: {gender: __row}}", "gender: ^__row", "the column name '__row' starts with '__'");
        // Was read silently as each row's file name (exit 0), the files having no such column.
        yield return Case("reader_column_name", "device: impressions.device", "device: impressions.filename", "device: ^impressions.filename", "source 'impressions' reads a column named 'filename' from its files, a name the engines' file readers answer themselves");
        yield return Case("reversed_day_range", "{date-15d..date+1d}", "{date+1d..date-15d}", "clicks:      {path: ^\"", "the range '{date+1d..date-15d}' ends before it starts, so it names no day");
        yield return Case("yaml_1_1_boolean", "shard_key: request_id", "shard_key: [request_id, on]", "shard_key: [request_id, ^on]", "'on' is read as a boolean by YAML 1.1 readers");
    }

    [TestCaseSource(nameof(Mistakes))]
    public void Config_mistake_is_refused_when_read(string from, string to, string at, string message)
    {
        string din = Din;
        Assert.That(din.Split(from).Length, Is.EqualTo(2), $"'{from}' must occur once in conf/din.yaml");
        string yaml = din.Replace(from, to, StringComparison.Ordinal);
        var (line, column) = Position(yaml, at);

        AssertRefused(yaml, line, column, message);
    }

    [Test]
    public void A_job_section_nested_40000_deep_is_refused_at_the_first_level_too_deep_without_a_crash()
    {
        // Was a stack overflow in the YAML reader (exit 134).
        string yaml = Din.Replace("quarantine: {max_bad_fraction: 0.01}", "quarantine: " + new string('[', 40_000) + new string(']', 40_000), StringComparison.Ordinal);
        var (line, column) = Position(yaml, "quarantine: ^[");

        // The top mapping is level 1, job's mapping level 2, the first '[' level 3: level 65, the first too deep, is
        // the 63rd '['.
        AssertRefused(yaml, line, column + 62, "the YAML nests mappings and lists more than 64 deep");
    }

    [Test]
    public void A_feature_named_like_an_internal_column_is_refused()
    {
        string yaml = Din.Replace("  - {name: device,", "  - {name: __split, dtype: string, default: \"\"}\n  - {name: device,", StringComparison.Ordinal);
        var (line, column) = Position(yaml, "  - ^{name: __split");

        AssertRefused(yaml, line, column, "feature '__split' starts with '__', which the job keeps for its internal columns");
    }

    [Test]
    public void A_50_MB_spec_is_refused_quickly_naming_its_size_and_the_limit()
    {
        // Was read whole: 3.6 GB of memory.
        using var box = Sandbox.Create("config-big");
        box.Write("logs/README", "the user's logs");
        string spec = box.Path("spec.yaml");
        using (var writer = new StreamWriter(spec, false, new UTF8Encoding(false)))
        {
            writer.Write(Din);
            string padding = string.Concat(Enumerable.Repeat("# " + new string('x', 97) + "\n", 10_000));
            while (writer.BaseStream.Length < 50L * 1024 * 1024)
            {
                writer.Write(padding);
                writer.Flush();
            }
        }

        long size = new FileInfo(spec).Length;
        var before = box.Snapshot();
        var watch = Stopwatch.StartNew();

        var result = box.Run(null, "samples", "--conf", "spec.yaml", "--date", Date, "--input", "logs", "--output", "out");

        watch.Stop();
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.Stderr);
            Assert.That(result.Stderr, Does.StartWith($"sparktf: spec.yaml:1:1: the file is {size} bytes, more than the 4194304 bytes (4 MiB) a spec may have."));
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(15)), "the refusal was not quick");
            AssertNoStackTrace(result);
        });
        box.AssertUntouchedOutside(before, "out");
        box.AssertNoLeftovers();
    }

    /// <summary>
    /// The payloads a previous tester tried (quotes, backslashes, comment markers, dollar quoting, unicode quotes) in
    /// every field that still takes free text: the DuckDB engine runs and writes them verbatim (the default of a
    /// string feature reaches every sample of a user missing from the profile table; the salt reaches the manifest),
    /// and the rendered Spark script parses with the grammar check. NUL is refused when the config is read.
    /// </summary>
    [Test]
    public void Sql_payloads_in_free_text_fields_are_taken_literally_or_refused_when_read()
    {
        const string Payload = "x'; DROP TABLE samples; -- */ /* \\ \\' '' \" ` $$ $tag$ ’‘“” ; SELECT 1 --";
        string quoted = YamlQuoted(Payload);
        string spec = Din
            .Replace("default: \"未知\"\n    domain: [\"0\", \"1\", \"未知\"]", $"default: {quoted}\n    domain: [\"0\", \"1\", \"未知\", {quoted}]", StringComparison.Ordinal)
            .Replace("  quarantine:", $"  sampling: {{eval_fraction: 0.5, salt: {quoted}, key: [request_id, item_id]}}\n  quarantine:", StringComparison.Ordinal);
        Assert.That(spec, Does.Contain($"default: {quoted}").And.Contain($"salt: {quoted}"), "the payloads were not put in");

        using var box = Sandbox.Create("config-injection");
        var generated = box.Run(null, "gen-logs", "--output", "logs", "--date", Date, "--impressions-per-day", "2000", "--users", "500", "--items", "300", "--seed", "3", "--impression-days", "2");
        Assert.That(generated.ExitCode, Is.Zero, generated.Stderr);
        box.Write("spec.yaml", spec);

        // Spark: the path and a column name in the files take free text too (backtick and ';' aside, refused for
        // Spark's shell), and a CSV delimiter any character but the quote and line breaks.
        // The path's payload has no '/' or glob characters, so that it names one folder (made below, for the plan to
        // find a file in).
        // Non-ASCII aside too: the Spark script is pure ASCII and refuses such a name (checked below).
        string fileColumn = new(Payload.Replace("`", "", StringComparison.Ordinal).Replace(";", "", StringComparison.Ordinal).Where(c => c < 128).ToArray());
        const string PathPayload = "p' DROP TABLE t; -- \\ \" ` $$ ’“";
        // The header names the payload column (quoted, for its delimiters and quotes): the Spark engine reads a CSV
        // source's columns from the header and refuses a column the files do not have.
        box.Write($"logs/users-csv/{PathPayload}/part-0.csv", $"user_id'\"{fileColumn.Replace("\"", "\"\"", StringComparison.Ordinal)}\"'age\n");
        string sparkSpec = spec
            .Replace("users:       {path: \"{input}/users\", format: parquet, key: user_id, as_of: {column: updated_at, unit: ms}}",
                $"users:       {{path: {YamlQuoted("{input}/users-csv/" + PathPayload)}, format: csv, csv: {{delimiter: \"'\"}}, key: user_id, rename: {{gender: {YamlQuoted(fileColumn)}}}}}", StringComparison.Ordinal);
        Assert.That(sparkSpec, Does.Contain("rename: {gender:"), "the payloads were not put in");
        box.Write("spark.yaml", sparkSpec);
        box.Write("nul.yaml", spec.Replace($"salt: {quoted}", "salt: \"x'\\0; DROP\"", StringComparison.Ordinal));
        // The non-ASCII column is in its files' header, so that the name itself is what the Spark engine refuses.
        box.Write("logs/users-csv-non-ascii/part-0.csv", "user_id'性别'age\n");
        box.Write("spark-non-ascii.yaml", sparkSpec
            .Replace($"rename: {{gender: {YamlQuoted(fileColumn)}}}", "rename: {gender: \"性别\"}", StringComparison.Ordinal)
            .Replace(YamlQuoted("{input}/users-csv/" + PathPayload), "\"{input}/users-csv-non-ascii\"", StringComparison.Ordinal));
        var before = box.Snapshot();

        var duck = box.Run(null, "samples", "--conf", "spec.yaml", "--date", Date, "--input", "logs", "--output", "out", "--compression", "none");
        var sparkPlan = box.Run(null, "plan", "--engine", "spark", "--conf", "spark.yaml", "--date", Date, "--input", "logs", "--output", "spark-out");
        var duckPlan = box.Run(null, "plan", "--conf", "spark.yaml", "--date", Date, "--input", "logs");
        var nul = box.Run(null, "plan", "--conf", "nul.yaml", "--date", Date);
        var nonAscii = box.Run(null, "plan", "--engine", "spark", "--conf", "spark-non-ascii.yaml", "--date", Date, "--input", "logs", "--output", "spark-out");

        Assert.Multiple(() =>
        {
            Assert.That(duck.ExitCode, Is.Zero, duck.Stderr);
            Assert.That(sparkPlan.ExitCode, Is.Zero, sparkPlan.Stderr);
            Assert.That(duckPlan.ExitCode, Is.Zero, duckPlan.Stderr);
            Assert.That(nul.ExitCode, Is.EqualTo(1), nul.Stderr);
            Assert.That(nul.Stderr, Does.Match(@"^sparktf: nul\.yaml:\d+:\d+: salt holds the control character U\+0000"));
            AssertNoStackTrace(nul);
            Assert.That(nonAscii.ExitCode, Is.EqualTo(1), nonAscii.Stderr);
            Assert.That(nonAscii.Stderr, Does.Contain("'性别'").And.Contain("non-ASCII").And.Contain("rename:"));
            AssertNoStackTrace(nonAscii);
        });

        // The default: verbatim in the records of users missing from the profile table.
        byte[] needle = Encoding.UTF8.GetBytes(Payload);
        var parts = Directory.GetFiles(box.Path("out"), "part-*", SearchOption.AllDirectories);
        Assert.That(parts, Is.Not.Empty);
        Assert.That(parts.Any(p => File.ReadAllBytes(p).AsSpan().IndexOf(needle) >= 0), Is.True, "the default was not written verbatim");

        // The salt: verbatim in the manifest.
        using (var manifest = JsonDocument.Parse(File.ReadAllText(box.Path("out", "_manifest.json"))))
        {
            Assert.That(manifest.RootElement.GetProperty("sampling").GetProperty("salt").GetString(), Is.EqualTo(Payload));
        }

        AssertSparkGrammar(box, sparkPlan.Stdout);
        box.AssertUntouchedOutside(before, "out");
        box.AssertNoLeftovers();
    }

    // Checks the script with tests/sql-grammar (dt-sql-parser's Spark SQL grammar); .ci/run installs it with npm ci
    // before the tests, as the Spark tests' grammar fixture does.
    private static void AssertSparkGrammar(Sandbox box, string script)
    {
        string folder = Path.Combine(Sparktf.RepoRoot, "tests", "sql-grammar");
        if (!File.Exists(Path.Combine(folder, "node_modules", "dt-sql-parser", "package.json")))
        {
            throw Prerequisite.Missing("tests/sql-grammar is not installed: run 'npm ci' there (.ci/run does) so the Spark script's grammar can be checked.");
        }

        // Only the statements the payloads reach (the grammar takes seconds per statement): the source's view with
        // the path and the delimiter, the typed view with the column name, the sampling and the defaults.
        var reached = script.Split(";\n\n").Where(st => st.Contains("DROP", StringComparison.Ordinal)).ToList();
        Assert.That(reached, Has.Count.GreaterThanOrEqualTo(3), "the payloads did not reach the script");
        string file = box.Write("tmp/plan.sql", string.Join(";\n\n", reached) + ";\n");
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        start.ArgumentList.Add("check-spark-sql.mjs");
        start.ArgumentList.Add("--cli-safe");
        start.ArgumentList.Add(file);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw Prerequisite.Missing("node is not installed: the Spark script's grammar cannot be checked.");
        }

        using (process)
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            Assert.That(process.WaitForExit(120_000), Is.True, "the grammar check did not finish");
            Assert.That(process.ExitCode, Is.Zero, "the Spark script does not parse:\n" + stdout.Result + stderr.Result);
        }

        File.Delete(file);
    }

    private static void AssertRefused(string yaml, int line, int column, string message)
    {
        using var box = Sandbox.Create("config-mistake");
        box.Write("logs/README", "the user's logs");
        box.Write("out/keep.txt", "an earlier output");
        box.Write("spec.yaml", yaml);
        var before = box.Snapshot();

        var result = box.Run(null, "samples", "--conf", "spec.yaml", "--date", Date, "--input", "logs", "--output", "out");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.Stderr);
            Assert.That(result.Stderr, Does.StartWith($"sparktf: spec.yaml:{line}:{column}: "));
            Assert.That(result.Stderr, Does.Contain(message));
            AssertNoStackTrace(result);
        });

        // Refused before anything was read or written: even the earlier output is as it was.
        box.AssertUntouchedOutside(before);
        box.AssertNoLeftovers();
    }

    private static void AssertNoStackTrace(Sparktf.Result result) =>
        Assert.That(result.Stderr + result.Stdout, Does.Not.Contain("   at ").And.Not.Contain("Exception"), "a stack trace reached the user");

    // The line and column (1-based) of the character after '^' in the first occurrence of `at` (without the '^').
    private static (int Line, int Column) Position(string yaml, string at)
    {
        int caret = at.IndexOf('^', StringComparison.Ordinal);
        int index = yaml.IndexOf(at.Replace("^", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.That(index, Is.GreaterThanOrEqualTo(0), $"'{at}' is not in the config");
        index += Math.Max(0, caret);
        int line = yaml[..index].Count(c => c == '\n') + 1;
        int column = index - (yaml.LastIndexOf('\n', Math.Max(0, index - 1)) + 1) + 1;
        return (line, column);
    }

    private static string YamlQuoted(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
