namespace SparkTfrecord.Tfrecord.Tests.Support;

/// <summary>Fast byte comparisons for loops of thousands of cases; a mismatch is reported as hex, which diffs well.</summary>
internal static class Bytes
{
    public static void AssertEqual(ReadOnlySpan<byte> actual, ReadOnlySpan<byte> expected, Func<string> message)
    {
        if (!actual.SequenceEqual(expected))
        {
            Assert.That(Convert.ToHexStringLower(actual), Is.EqualTo(Convert.ToHexStringLower(expected)), message());
        }
    }
}
