using SparkTfrecord.Spec.Yaml;

namespace SparkTfrecord.Spec.Tests;

/// <summary>
/// YAML that YamlDotNet's scanner gives up on without a YamlException (an unclosed flow mapping followed by more block
/// lines) is a syntax error of the user's file, with where reading stopped, not an internal error.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class YamlUnclosedFlowTests
{
    [TestCase("job:\n  quarantine: {max_bad_fraction: .5\n  output: {shards: 16}\n  # a comment\n")]
    [TestCase("features:\n  - {name: a, dtype: int64\n  - {name: b, dtype: int64}\n# end\n")]
    public void An_unclosed_flow_mapping_is_a_syntax_error_with_its_place(string yaml)
    {
        var error = Assert.Throws<SpecException>(() => YamlDocuments.Parse(yaml, "t.yaml"))!;

        Assert.That(error.Message, Does.StartWith("t.yaml:").And.Contain("YAML syntax error"));
    }
}
