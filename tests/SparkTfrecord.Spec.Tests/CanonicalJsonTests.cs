using System.Text.Json;
using SparkTfrecord.Spec.Json;

namespace SparkTfrecord.Spec.Tests;

[TestFixture]
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
    public void Random_floats_print_exactly_as_debian_python_prints_them()
    {
        var random = new Random(20261127);
        var values = new List<double>();
        for (int i = 0; i < 2000; i++)
        {
            double mantissa = random.NextDouble() * (random.Next(2) == 0 ? 1 : -1);
            values.Add(mantissa * Math.Pow(10, random.Next(-30, 40)));
        }

        values.AddRange([1e-5, 9.999999999999999e-5, 1e16, 9999999999999998.0, 0.1 + 0.2, float.MaxValue, float.Epsilon]);
        string input = string.Join('\n', values.Select(v => BitConverter.DoubleToInt64Bits(v).ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Repo.RequirePythonYaml();
        var run = Repo.Run(Repo.Python, ["-c", "import sys, struct\nfor line in sys.stdin.read().split():\n    print(repr(struct.unpack('<d', struct.pack('<q', int(line)))[0]))"], stdin: input);

        Assert.That(run.ExitCode, Is.Zero, run.Stderr);
        Assert.That(values.Select(PythonFloat.Repr).ToList(), Is.EqualTo(run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList()));
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
