using SparkTfrecord.Engine.Engines;
using SparkTfrecord.Engine.Hashing;
using SparkTfrecord.Engine.Sql;

namespace SparkTfrecord.Engine.Tests;

[TestFixture]
[Category("Fast")]
public sealed class ProjectHashTests
{
    private static readonly string[] s_keys = ["", "abc", "r1\u001fi9", "未知", "huawei p40pro max", new string('x', 1000), "emoji 😀", "'quoted'"];

    [Test]
    public void The_hash_is_the_first_60_bits_of_md5()
    {
        // md5("abc") = 900150983cd24fb0d6963f7d28e17f72
        Assert.That(ProjectHash.Of("abc"), Is.EqualTo(0x900150983cd24fbL));
        Assert.That(ProjectHash.Of(""), Is.EqualTo(0xd41d8cd98f00b20L));
    }

    [Test]
    public void The_duckdb_rendering_computes_the_same_function_as_the_csharp_one()
    {
        using var engine = new DuckDbEngine(new DuckDbEngineOptions { Threads = 1, MemoryLimit = "256MB" });
        var d = DuckDbDialect.Instance;
        foreach (string key in s_keys)
        {
            object? value = engine.Scalar($"SELECT {d.Hash60(d.String(key))}");
            Assert.That(value, Is.EqualTo(ProjectHash.Of(key)), key);
        }
    }

    [Test]
    public void Sampling_thresholds_round_rates_to_millionths()
    {
        Assert.That(ProjectHash.Threshold(0.1), Is.EqualTo(100_000));
        Assert.That(ProjectHash.Threshold(1.0), Is.EqualTo(1_000_000));
        Assert.That(ProjectHash.Threshold(0.0), Is.Zero);
    }
}
