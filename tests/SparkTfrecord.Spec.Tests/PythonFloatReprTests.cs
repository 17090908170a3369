using SparkTfrecord.Spec.Json;

namespace SparkTfrecord.Spec.Tests;

/// <summary>Floats print as Debian's Python prints them (the spec hash depends on it): checked against python3 itself.</summary>
[TestFixture]
[Category("External")]
public sealed class PythonFloatReprTests
{
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

        var run = SpecPython.Run(["-c", "import sys, struct\nfor line in sys.stdin.read().split():\n    print(repr(struct.unpack('<d', struct.pack('<q', int(line)))[0]))"], stdin: input);

        Assert.That(run.ExitCode, Is.Zero, run.Stderr);
        Assert.That(values.Select(PythonFloat.Repr).ToList(), Is.EqualTo(run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList()));
    }
}
