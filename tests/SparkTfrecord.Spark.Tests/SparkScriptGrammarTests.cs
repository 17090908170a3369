namespace SparkTfrecord.Spark.Tests;

/// <summary>
/// Every script <see cref="SparkScriptTests"/> renders (every spec with a job section, every variant) parses with
/// dt-sql-parser's Spark SQL grammar and is safe for the spark-sql shell. Needs node and npm (tests/sql-grammar).
/// </summary>
[TestFixture]
[Category("External")]
public sealed class SparkScriptGrammarTests
{
    private static readonly string s_grammar = Processes.InRepo("tests", "sql-grammar");
    private TempFolder _rendered = null!;
    private ProcessResult _check = null!;

    [OneTimeSetUp]
    public void RenderAllAndCheckTheGrammarOnce()
    {
        _rendered = new TempFolder("sparktf-rendered-");
        foreach (string spec in SparkScriptTests.Specs())
        {
            foreach (var v in SparkScriptTests.s_variants)
            {
                _rendered.Write($"{Path.GetFileNameWithoutExtension(spec)}.{v.Name}.sql", SparkScriptTests.Render(spec, v.Name));
            }
        }

        GrammarCheck.InstallDtSqlParser();
        _check = Processes.Run("node", ["check-spark-sql.mjs", "--cli-safe", _rendered.Path], s_grammar, timeoutSeconds: 120);
    }

    [OneTimeTearDown]
    public void TearDown() => _rendered?.Dispose();

    [Test]
    public void Every_rendered_statement_parses_with_the_spark_sql_grammar_and_is_safe_for_the_shell()
    {
        TestContext.Out.WriteLine(_check.Stdout.Split('\n').LastOrDefault(l => l.StartsWith("check-spark-sql:", StringComparison.Ordinal)));
        int files = SparkScriptTests.Specs().Count() * SparkScriptTests.s_variants.Length;
        Assert.Multiple(() =>
        {
            Assert.That(_check.ExitCode, Is.Zero, _check.Output);
            Assert.That(_check.Stdout, Does.Match($@"check-spark-sql: {files} files, \d+ statements, 0 errors"), _check.Output);
        });
    }
}
