using System.Text.RegularExpressions;

namespace SparkTfrecord.Spec.Tests;

/// <summary>
/// docs/engine-semantics.md is the engine contract: every clause of tests/conformance/clauses.txt has a heading naming
/// its id, every conformance case folder is linked from the document, the document says what is guaranteed equal
/// between the engines and what is not, and README.md and docs/spark.md link it.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed partial class EngineSemanticsDocumentTests
{
    private static readonly string s_document = Path.Combine(Repo.Root, "docs", "engine-semantics.md");

    [Test]
    public void Every_clause_has_a_heading_naming_its_id()
    {
        var headings = File.ReadLines(s_document).Where(l => l.StartsWith('#')).ToList();

        Assert.That(ConformanceClauses.Ids.Where(id => !headings.Any(h => h.Contains($"`{id}`", StringComparison.Ordinal))), Is.Empty,
            "clauses of tests/conformance/clauses.txt without a heading in docs/engine-semantics.md that names them in backquotes");
    }

    [Test]
    public void Every_conformance_case_is_linked_from_the_document()
    {
        var linked = CaseLink().Matches(File.ReadAllText(s_document)).Select(m => m.Groups["case"].Value).ToHashSet(StringComparer.Ordinal);

        Assert.That(ConformanceClauses.CaseFolders().Where(f => !linked.Contains(f)), Is.Empty,
            "case folders not linked from docs/engine-semantics.md: link each beside its clause, (../tests/conformance/<folder>)");
    }

    [Test]
    public void The_document_says_what_is_guaranteed_equal_and_what_is_not_and_readme_and_spark_link_it()
    {
        string text = File.ReadAllText(s_document);

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("\n## What is guaranteed equal and what is not\n"));
            Assert.That(File.ReadAllText(Path.Combine(Repo.Root, "README.md")), Does.Contain("(docs/engine-semantics.md)"));
            Assert.That(File.ReadAllText(Path.Combine(Repo.Root, "docs", "spark.md")), Does.Contain("(engine-semantics.md)"));
        });
    }

    [GeneratedRegex(@"\]\(\.\./tests/conformance/(?<case>[a-z0-9-]+)/?\)")]
    private static partial Regex CaseLink();
}
