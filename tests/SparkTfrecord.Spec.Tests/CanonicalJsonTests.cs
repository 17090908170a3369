using System.Text.Json;
using SparkTfrecord.Spec.Json;

namespace SparkTfrecord.Spec.Tests;

[TestFixture]
[Category("Fast")]
public sealed class CanonicalJsonTests
{
    [TestCase(0.0, "0.0")]
    [TestCase(-0.0, "-0.0")]
    [TestCase(1.0, "1.0")]
    [TestCase(0.1, "0.1")]
    [TestCase(1e16, "1e+16")]
    [TestCase(1e15, "1000000000000000.0")]
    [TestCase(123456789012345678.0, "1.2345678901234568e+17")]
    [TestCase(0.0001, "0.0001")]
    [TestCase(0.00001, "1e-05")]
    [TestCase(1.5e-7, "1.5e-07")]
    [TestCase(3.4028234663852886e38, "3.4028234663852886e+38")]
    [TestCase(5e-324, "5e-324")]
    [TestCase(-2.5, "-2.5")]
    [TestCase(18.0, "18.0")]
    public void Floats_print_as_python_repr_prints_them(double value, string expected)
    {
        Assert.That(PythonFloat.Repr(value), Is.EqualTo(expected));
    }

    [Test]
    public void Strings_are_escaped_as_python_json_dumps_escapes_them()
    {
        var sb = new System.Text.StringBuilder();
        JsonText.WriteString(sb, "a\"b\\c\n\t\u0001\u007f é 未知 😀");

        Assert.That(sb.ToString(), Is.EqualTo("\"a\\\"b\\\\c\\n\\t\\u0001\u007f é 未知 😀\""));
    }

    [Test]
    public void Canonical_json_sorts_keys_and_has_no_spaces()
    {
        var obj = new JsonObject { { "b", 1L }, { "a", new List<object?> { 1.5, null, true, "x" } } };

        Assert.That(JsonText.Canonical(obj), Is.EqualTo("{\"a\":[1.5,null,true,\"x\"],\"b\":1}"));
        Assert.That(() => JsonDocument.Parse(JsonText.Indented(obj)), Throws.Nothing);
    }
}
