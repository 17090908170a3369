namespace SparkTfrecord.Spark.Tests;

/// <summary>
/// Every script <see cref="SparkScriptTests"/> renders (every spec with a job section, every variant; for a job that keeps
/// history state also its state scripts without and with a usable snapshot) parses with dt-sql-parser's Spark SQL
/// grammar and is safe for the spark-sql shell. Needs node and npm (tests/sql-grammar).
/// </summary>
[TestFixture]
[Category("External")]
public sealed class SparkScriptGrammarTests
{
    private static readonly string s_grammar = Processes.InRepo("tests", "sql-grammar");
    private TempFolder _rendered = null!;
    private ProcessResult _check = null!;
    private int _files;
    private int _stateFiles;

    [OneTimeSetUp]
    public void RenderAllAndCheckTheGrammarOnce()
    {
        _rendered = new TempFolder("sparktf-rendered-");
        foreach (string spec in SparkScriptTests.Specs())
        {
            foreach (var v in SparkScriptTests.s_variants)
            {
                _rendered.Write($"{Path.GetFileNameWithoutExtension(spec)}.{v.Name}.sql", SparkScriptTests.Render(spec, v.Name));
                _files++;
                foreach (bool usable in new[] { false, true })
                {
                    if (SparkScriptTests.RenderState(spec, v.Name, usable) is { } state)
                    {
                        _rendered.Write($"{Path.GetFileNameWithoutExtension(spec)}.{v.Name}.{SparkScriptTests.StateName(usable)}.sql", state);
                        _files++;
                        _stateFiles++;
                    }
                }
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
        int files = _files;
        Assert.Multiple(() =>
        {
            Assert.That(_stateFiles, Is.GreaterThanOrEqualTo(2 * SparkScriptTests.s_variants.Length), "din.yaml's state scripts are checked");
            Assert.That(_check.ExitCode, Is.Zero, _check.Output);
            Assert.That(_check.Stdout, Does.Match($@"check-spark-sql: {files} files, \d+ statements, 0 errors"), _check.Output);
        });
    }
}
