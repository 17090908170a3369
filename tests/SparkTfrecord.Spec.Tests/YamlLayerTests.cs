using System.Diagnostics;
using SparkTfrecord.Spec.Yaml;

namespace SparkTfrecord.Spec.Tests;

/// <summary>
/// The spec library's YAML layer on its own: the tree it builds (places, styles, aliases), what it refuses while
/// building (duplicate keys, unknown aliases), and its typed reading, which accepts exactly the forms YAML 1.1 and 1.2
/// readers read alike.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class YamlLayerTests
{
    private static YamlMapping Root(string yaml) => (YamlMapping)YamlDocuments.Parse(yaml, "t.yaml").Single();

    private static YamlNode Value(string scalar) => Root("v: " + scalar + "\n").Get("v")!;

    [Test]
    public void Nodes_know_their_file_line_column_and_style()
    {
        YamlMapping root = Root("a:\n  - 'x'\n  - \"y\"\n  - z\n  - |\n    w\nb: {c: 1}\n");

        var items = ((YamlSequence)root.Get("a")!).Items.Cast<YamlScalar>().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(root.Location, Is.EqualTo(new SourceLocation("t.yaml", 1, 1)));
            Assert.That(items.Select(i => (i.Value, i.Style, i.Location.Line, i.Location.Column)), Is.EqualTo(new[]
            {
                ("x", YamlScalarStyle.SingleQuoted, 2L, 5L),
                ("y", YamlScalarStyle.DoubleQuoted, 3L, 5L),
                ("z", YamlScalarStyle.Plain, 4L, 5L),
                ("w\n", YamlScalarStyle.Literal, 5L, 5L),
            }));
            Assert.That(root.Get("b")!.Location, Is.EqualTo(new SourceLocation("t.yaml", 7, 4)));
            Assert.That(root.Entries.Select(e => ((YamlScalar)e.Key).Value), Is.EqualTo(new[] { "a", "b" }));
        });
    }

    [Test]
    public void An_alias_is_its_anchored_node_so_repeated_aliases_cost_nothing()
    {
        // Nine levels of ten aliases each name 10^9 leaves; the tree holds each node once.
        var yaml = new System.Text.StringBuilder("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 10; i++)
        {
            yaml.Append($"l{i}: &l{i} [{string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 10))}]\n");
        }

        var watch = Stopwatch.StartNew();
        YamlMapping root = Root(yaml.ToString());
        root.RefuseTags();

        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)));
        Assert.That(((YamlSequence)root.Get("l9")!).Items[3], Is.SameAs(root.Get("l8")));
    }

    [Test]
    public void An_alias_without_its_anchor_is_a_syntax_error_at_the_alias()
    {
        var e = Assert.Throws<SpecException>(() => YamlDocuments.Parse("a: 1\nb: *nope\n", "t.yaml"))!;

        Assert.That(e.Message, Does.StartWith("t.yaml:2:4: YAML syntax error: the alias '*nope' names no anchor defined before it."));
    }

    [TestCase("a: 1\na: 2\n", 2, 1)]
    [TestCase("a: 1\n'a': 2\n", 2, 1)]
    [TestCase("{x: {a: 1, \"a\": 2}}\n", 1, 12)]
    public void A_repeated_key_is_refused_at_the_repetition(string yaml, long line, long column)
    {
        var e = Assert.Throws<SpecException>(() => YamlDocuments.Parse(yaml, "t.yaml"))!;

        Assert.That(e.Message, Is.EqualTo($"t.yaml:{line}:{column}: YAML syntax error: Duplicate key a. Each key may appear once in a mapping; remove or rename the repeated one."));
    }

    [Test]
    public void Several_documents_and_none_are_told_apart()
    {
        Assert.Multiple(() =>
        {
            Assert.That(YamlDocuments.Parse("", "t.yaml"), Is.Empty);
            Assert.That(YamlDocuments.Parse("# only a comment\n", "t.yaml"), Is.Empty);
            Assert.That(YamlDocuments.Parse("a: 1\n---\nb: 2\n", "t.yaml"), Has.Count.EqualTo(2));
        });
    }

    [TestCase("true", true)]
    [TestCase("false", false)]
    public void A_boolean_is_true_or_false_unquoted(string written, bool expected) =>
        Assert.That(Value(written).ReadBool("b"), Is.EqualTo(expected));

    [TestCase("yes")]
    [TestCase("No")]
    [TestCase("on")]
    [TestCase("OFF")]
    [TestCase("y")]
    [TestCase("True")]
    [TestCase("'true'")]
    [TestCase("1")]
    public void Every_other_boolean_is_refused_with_the_reason(string written)
    {
        var e = Assert.Throws<SpecException>(() => Value(written).ReadBool("b"))!;

        Assert.That(e.Message, Is.EqualTo($"t.yaml:1:4: b is '{written.Trim('\'')}', not true or false. Write true or false, unquoted (yes, no, on and off mean different things to YAML 1.1 and 1.2 readers)."));
    }

    [TestCase("0", 0L)]
    [TestCase("-17", -17L)]
    [TestCase("9223372036854775807", long.MaxValue)]
    public void An_integer_is_plain_decimal_digits(string written, long expected) =>
        Assert.That(Value(written).ReadInteger("n"), Is.EqualTo(expected));

    [TestCase("017", "'017' has a leading zero")]
    [TestCase("0o17", "'0o17' is not a plain decimal integer")]
    [TestCase("1:30", "'1:30' is not a plain decimal integer")]
    [TestCase("1_000", "'1_000' is not a plain decimal integer")]
    [TestCase("+1", "'+1' is not a plain decimal integer")]
    [TestCase("1.0", "'1.0' is not a plain decimal integer")]
    public void An_integer_YAML_readers_read_differently_is_refused_with_the_reason(string written, string reason)
    {
        var e = Assert.Throws<SpecException>(() => Value(written).ReadInteger("n"))!;

        Assert.That(e.Message, Does.StartWith($"t.yaml:1:4: n is not an integer: {reason}"));
    }

    [TestCase("0.5", 0.5)]
    [TestCase("1", 1.0)]
    [TestCase("-2.5e-3", -0.0025)]
    [TestCase("1.0e+5", 100000.0)]
    public void A_number_is_digits_on_both_sides_of_the_point(string written, double expected) =>
        Assert.That(Value(written).ReadFloat("x"), Is.EqualTo(expected));

    [TestCase(".5")]
    [TestCase("5.")]
    [TestCase("1e5")]
    [TestCase("1.0e5")]
    [TestCase(".inf")]
    [TestCase(".NaN")]
    [TestCase("1_000.0")]
    [TestCase("1:30.5")]
    public void A_number_YAML_readers_read_differently_is_refused_naming_the_forms_accepted(string written)
    {
        var e = Assert.Throws<SpecException>(() => Value(written).ReadFloat("x"))!;

        Assert.That(e.Message, Is.EqualTo($"t.yaml:1:4: x '{written}' is not a number both YAML 1.1 and 1.2 read the same way. " +
            "Write digits with a point and digits after it, and a signed exponent if any: 0.5, 100.0, 1.0e+5, -2.5e-3 (not 1e5, .5, 5., .inf or 1_000.0)."));
    }

    [Test]
    public void A_tag_is_refused_by_every_typed_read_and_by_the_walk()
    {
        YamlMapping root = Root("a: !!str x\nb: [1, {c: !custom y}]\n");

        Assert.Multiple(() =>
        {
            Assert.That(() => root.Get("a")!.ReadString("a"), Throws.TypeOf<SpecException>().With.Message.EqualTo(
                "t.yaml:1:4: the tag 'tag:yaml.org,2002:str' is not allowed. Remove the tag: the spec decides each value's type, and quotes make a string."));
            Assert.That(() => root.Get("b")!.RefuseTags(), Throws.TypeOf<SpecException>().With.Message.StartsWith("t.yaml:2:12: the tag '!custom' is not allowed."));
            Assert.That(root.Get("a")!.TryReadInteger(out _), Is.False);
        });
    }

    [Test]
    public void An_unknown_key_is_answered_with_the_nearest_known_one()
    {
        YamlMapping root = Root("shrads: 2\n");

        var e = Assert.Throws<SpecException>(() => root.CheckKeys(["shards", "compression"], "in 'output'"))!;

        Assert.That(e.Message, Is.EqualTo("t.yaml:1:1: unknown key 'shrads' in 'output'. Did you mean 'shards'? Known keys: shards, compression."));
    }
}
