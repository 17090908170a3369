using System.Text.Json;
using System.Text.RegularExpressions;

namespace SparkTfrecord.Spark.Tests;

/// <summary>
/// The Spark SQL grammar check (tests/sql-grammar): dt-sql-parser 4.5.1 under plain Node accepts the statement forms
/// the renderer produces, rejects broken ones, and reports file, statement, line and column.
/// </summary>
[TestFixture]
[Category("External")]
public sealed partial class SqlGrammarTests
{
    private static readonly string s_folder = Processes.InRepo("tests", "sql-grammar");

    // Small hand-written scripts checked in one run (each Node start loads the grammar, which takes a second or two).
    private TempFolder _scratch = null!;
    private ProcessResult _scratchResult = null!;

    [OneTimeSetUp]
    public void SetUpOnce()
    {
        InstallDtSqlParser();
        CheckScratchScripts();
    }

    private static void InstallDtSqlParser()
    {
        string installed = Path.Combine(s_folder, "node_modules", "dt-sql-parser", "package.json");
        if (File.Exists(installed) && JsonDocument.Parse(File.ReadAllText(installed)).RootElement.GetProperty("version").GetString() == "4.5.1")
        {
            return;
        }

        // The npm registry is reachable here and in CI; npm ci installs exactly what package-lock.json pins.
        var result = Processes.Run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], s_folder, timeoutSeconds: 300);
        Assert.That(result.ExitCode, Is.Zero, "npm ci failed in tests/sql-grammar:\n" + result.Output);
    }

    private void CheckScratchScripts()
    {
        _scratch = new TempFolder("sparktf-sql-");
        _scratch.Write("bad.sql", "SELECT 1;\n\n  SELECT a,\n  FROM t;\nSELECT 3");
        _scratch.Write("runon.sql", "CREATE OR REPLACE TEMPORARY VIEW s AS SELECT 1 AS x\nSELECT count(*) AS sparktf_samples_written FROM s");
        _scratch.Write("cache.sql", "CACHE TABLE s\nSELECT count(*) AS sparktf_samples_written FROM s");
        _scratch.Write("open.sql", "SELECT 1;\nSELECT 'abc;\n");
        _scratchResult = Check(_scratch.Path);
    }

    [OneTimeTearDown]
    public void DeleteScratchScripts() => _scratch?.Dispose();

    [Test]
    public void The_package_pins_dt_sql_parser_4_5_1_exactly()
    {
        using var package = JsonDocument.Parse(File.ReadAllText(Path.Combine(s_folder, "package.json")));
        using var lockFile = JsonDocument.Parse(File.ReadAllText(Path.Combine(s_folder, "package-lock.json")));

        Assert.Multiple(() =>
        {
            Assert.That(package.RootElement.GetProperty("dependencies").GetProperty("dt-sql-parser").GetString(), Is.EqualTo("4.5.1"));
            Assert.That(
                lockFile.RootElement.GetProperty("packages").GetProperty("node_modules/dt-sql-parser").GetProperty("version").GetString(),
                Is.EqualTo("4.5.1"));
        });
    }

    [Test]
    public void Every_valid_fixture_statement_parses_and_is_safe_for_the_spark_sql_shell()
    {
        var result = Check("--cli-safe", "fixtures/valid");

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        var summary = Summary().Match(result.Stdout);
        Assert.That(summary.Success, Is.True, result.Output);
        TestContext.Out.WriteLine(summary.Value);
        Assert.That(int.Parse(summary.Groups["statements"].Value, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(40));
    }

    [TestCase(@"CREATE OR REPLACE TEMPORARY VIEW \w+\s+USING parquet\s+OPTIONS \(path '")]
    [TestCase(@"CREATE OR REPLACE TEMPORARY VIEW \w+\s+USING csv\s+OPTIONS \(path '")]
    [TestCase(@"CREATE OR REPLACE TEMPORARY VIEW \w+ \([^)]*\)\s+USING json")]
    [TestCase(@"RANGE BETWEEN INTERVAL 15 DAYS PRECEDING AND INTERVAL 1 MICROSECOND PRECEDING")]
    [TestCase(@"INSERT OVERWRITE DIRECTORY '[^']+'\s+USING tfrecord\s+OPTIONS \(recordType 'Example', codec '[^']+'\)\s+SELECT")]
    [TestCase(@"CREATE TABLE \w+\s+USING tfrecords\s+OPTIONS \(path '[^']+'[^)]*\)\s+AS SELECT")]
    [TestCase(@"INSERT OVERWRITE DIRECTORY '[^']+' USING parquet")]
    [TestCase(@"\(VALUES \('[^']+', DATE '[^']+'\)[^;]*\) v\(__file, __partition\)")]
    [TestCase(@"FROM parquet\.`file:///[^`]+` c")]
    [TestCase(@" LEFT ANTI JOIN `state_file_days_\w+` f ON ")]
    [TestCase(@"INSERT OVERWRITE DIRECTORY 'file:///[^']+'\s+USING parquet\s+SELECT")]
    [TestCase(@"(?m)^CACHE TABLE \w+;")]
    [TestCase(@"CACHE TABLE \w+ OPTIONS \('storageLevel' '\w+'\) AS SELECT")]
    [TestCase(@"SELECT count\(\*\) AS sparktf_samples_written FROM \w+")]
    public void The_valid_fixtures_cover_a_statement_form_the_renderer_produces(string form)
    {
        string all = string.Concat(Directory.GetFiles(Path.Combine(s_folder, "fixtures", "valid"), "*.sql").Order().Select(File.ReadAllText));

        Assert.That(Regex.IsMatch(all, form), Is.True, "no valid fixture has " + form);
    }

    [Test]
    public void Every_invalid_fixture_statement_is_rejected()
    {
        var result = Check("--expect-invalid", "fixtures/invalid");

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        var counted = Regex.Match(result.Stdout, @"1 files, (\d+) statements, 0 unexpectedly accepted");
        Assert.That(counted.Success, Is.True, result.Output);
        int statements = int.Parse(counted.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var rejected = RejectedIndex().Matches(result.Stdout).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        TestContext.Out.WriteLine($"{statements} invalid statements, all rejected");
        Assert.That(rejected, Is.EquivalentTo(Enumerable.Range(1, statements)), result.Output);
    }

    [Test]
    public void An_error_names_the_file_the_statement_and_its_line_and_column_in_the_file()
    {
        string file = _scratch["bad.sql"];

        Assert.Multiple(() =>
        {
            Assert.That(_scratchResult.ExitCode, Is.EqualTo(1), _scratchResult.Output);
            Assert.That(_scratchResult.Stdout, Does.Contain(file + ":4:3: statement 2: 'FROM' is not valid at this position"));
            Assert.That(_scratchResult.Stdout, Does.Contain(file + ":1:1: statement 1: ok"));
            Assert.That(_scratchResult.Stdout, Does.Contain(file + ":5:1: statement 3: ok"));
        });
    }

    [Test]
    public void Two_statements_without_a_semicolon_between_them_are_an_error()
    {
        Assert.That(_scratchResult.Stdout, Does.Contain(_scratch["runon.sql"] + ":2:1: statement 1: the grammar reads 2 statements here; is a ';' missing before this point?"));
    }

    [Test]
    public void A_cache_table_missing_its_semicolon_swallows_the_next_query_and_the_grammar_cannot_tell()
    {
        // Spark's grammar is CACHE TABLE name [OPTIONS (...)] [[AS] query]: this is one valid statement that caches
        // the report query under the name s. The renderer must end CACHE TABLE with ';' (the runner splits on it).
        Assert.That(_scratchResult.Stdout, Does.Contain(_scratch["cache.sql"] + ":1:1: statement 1: ok"));
        Assert.That(_scratchResult.Stdout, Does.Not.Contain(_scratch["cache.sql"] + ":2:"));
    }

    [Test]
    public void A_script_that_cannot_be_split_is_reported_where_the_string_opens()
    {
        Assert.That(_scratchResult.Stdout, Does.Contain(_scratch["open.sql"] + ":2:8: script: unterminated string starting at line 2, column 8"));
    }

    [Test]
    public void The_summary_counts_files_statements_and_errors()
    {
        // bad.sql: 3 statements, 1 error; runon.sql: 1 and 1; cache.sql: 1 and 0; open.sql: not split, 1 error.
        Assert.That(_scratchResult.Stdout, Does.EndWith("check-spark-sql: 4 files, 5 statements, 3 errors\n"));
    }

    [Test]
    public void Cli_safe_rejects_what_the_spark_sql_shell_mishandles_in_valid_sql()
    {
        var strict = Check("--cli-safe", "fixtures/cli-hazards");

        Assert.Multiple(() =>
        {
            Assert.That(strict.ExitCode, Is.EqualTo(1), strict.Output);
            Assert.That(OkIndex().Matches(strict.Stdout).Select(m => m.Groups[1].Value), Is.EqualTo(new[] { "1", "2", "3" }), "the grammar itself accepts them");
            Assert.That(strict.Stdout, Does.Contain("shell-mishandles.sql:2:10: statement 1: ';' inside a string"));
            Assert.That(strict.Stdout, Does.Contain("shell-mishandles.sql:3:15: statement 2: ';' inside a backtick identifier"));
            Assert.That(strict.Stdout, Does.Contain("shell-mishandles.sql:5:1: statement 3: a line that starts with '--'"));
            Assert.That(strict.Stdout, Does.EndWith("1 files, 3 statements, 3 errors\n"));
        });
    }

    [Test]
    public void No_file_is_a_usage_error()
    {
        var result = Check();

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output);
        Assert.That(result.Stderr, Does.Contain("usage: node check-spark-sql.mjs"));
    }

    [Test]
    public void The_splitter_agrees_with_the_runners_on_every_shared_case()
    {
        var result = Processes.Run("node", ["--test", "split-statements.test.mjs"], s_folder);

        var pass = NodeCount().Matches(result.Stdout).ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        TestContext.Out.WriteLine($"node --test: {pass.GetValueOrDefault("pass")} passed, {pass.GetValueOrDefault("fail")} failed");
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.Output);
            Assert.That(pass.GetValueOrDefault("fail", -1), Is.Zero, result.Output);
            Assert.That(pass.GetValueOrDefault("pass"), Is.GreaterThanOrEqualTo(25), result.Output);
        });
    }

    [Test]
    public void Without_the_resolver_hook_plain_node_cannot_load_dt_sql_parser()
    {
        // Why resolve-hooks.mjs exists: dt-sql-parser's ESM build imports directories, which Node refuses.
        var result = Processes.Run("node", ["--input-type=module", "-e", "await import('dt-sql-parser')"], s_folder);

        Assert.That(result.ExitCode, Is.Not.Zero, result.Output);
        Assert.That(result.Stderr, Does.Contain("ERR_UNSUPPORTED_DIR_IMPORT").Or.Contain("Directory import"));
    }

    private static ProcessResult Check(params string[] arguments) =>
        Processes.Run("node", ["check-spark-sql.mjs", .. arguments], s_folder);

    [GeneratedRegex(@"check-spark-sql: (?<files>\d+) files, (?<statements>\d+) statements, 0 errors")]
    private static partial Regex Summary();

    [GeneratedRegex(@": statement (\d+): rejected as expected: ")]
    private static partial Regex RejectedIndex();

    [GeneratedRegex(@": statement (\d+): ok$", RegexOptions.Multiline)]
    private static partial Regex OkIndex();

    [GeneratedRegex(@"^# (pass|fail) (\d+)$", RegexOptions.Multiline)]
    private static partial Regex NodeCount();
}
