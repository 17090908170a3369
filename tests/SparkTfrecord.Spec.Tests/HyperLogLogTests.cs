using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using SparkTfrecord.Spec.Validation;

namespace SparkTfrecord.Spec.Tests;

/// <summary>
/// The distinct-count estimates of <c>validate</c> over the kinds of values real data has: short and long ids, numbers
/// as text and as binary words, every value of one and two bytes, and random bytes. With 2^14 registers the standard
/// error is about 0.8%; each estimate must be within 2.5% (about three standard errors), and the values' hash is fixed,
/// so a pass is reproducible rather than lucky.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class HyperLogLogTests
{
    private static readonly Dictionary<string, Func<int, byte[]>> s_families = new()
    {
        ["prefixed ids (i0, i1, ...)"] = n => Encoding.ASCII.GetBytes("i" + n.ToString(CultureInfo.InvariantCulture)),
        ["zero-padded ids (u00000000, ...)"] = n => Encoding.ASCII.GetBytes("u" + n.ToString("D8", CultureInfo.InvariantCulture)),
        ["long ids (item_0000000_v2, ...)"] = n => Encoding.ASCII.GetBytes("item_" + n.ToString("D7", CultureInfo.InvariantCulture) + "_v2"),
        ["very long ids"] = n => Encoding.ASCII.GetBytes("https://example.com/catalogue/items/" + n.ToString(CultureInfo.InvariantCulture)),
        ["int32 little-endian"] = n => BitConverter.GetBytes(n),
        ["int64 big-endian"] = n =>
        {
            byte[] b = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(b, n);
            return b;
        },
        ["random 12 bytes"] = n =>
        {
            byte[] b = new byte[12];
            new Random(n).NextBytes(b);
            return b;
        },
    };

    public static IEnumerable<TestCaseData> Sets()
    {
        foreach (string family in s_families.Keys)
        {
            foreach (int count in new[] { 300, 1_000, 30_000, 300_000 })
            {
                yield return new TestCaseData(family, count).SetName($"Estimate_of_{count}_{family}");
            }
        }
    }

    [TestCaseSource(nameof(Sets))]
    public void Estimate_is_within_two_and_a_half_percent(string family, int count)
    {
        var hll = new HyperLogLog();
        Func<int, byte[]> make = s_families[family];
        for (int n = 0; n < count; n++)
        {
            hll.Add(make(n));
            hll.Add(make(n / 2)); // repeats change nothing
        }

        Assert.That(hll.Estimate(), Is.EqualTo(count).Within(2.5).Percent);
    }

    [Test]
    public void Every_one_and_two_byte_value_is_counted()
    {
        var one = new HyperLogLog();
        var two = new HyperLogLog();
        for (int n = 0; n < 65_536; n++)
        {
            one.Add([(byte)n]);
            two.Add([(byte)n, (byte)(n >> 8)]);
        }

        Assert.Multiple(() =>
        {
            Assert.That(one.Estimate(), Is.EqualTo(256).Within(2));
            Assert.That(two.Estimate(), Is.EqualTo(65_536).Within(2.5).Percent);
        });
    }

    [Test]
    public void The_empty_value_counts_once()
    {
        var hll = new HyperLogLog();
        hll.Add([]);
        hll.Add([]);
        hll.Add("x"u8);

        Assert.That(hll.Estimate(), Is.EqualTo(2));
    }

    [Test]
    public void A_padded_value_hashes_as_the_same_bytes_alone()
    {
        // The counting thread hashes values where they lie in its buffer, reading past short ones (Hash64Padded); the
        // hash must be Hash64's of the value alone, for every length and whatever the neighbouring bytes hold.
        // Every offset, the buffer's edges included (where the padding is all there is around the value).
        var random = new Random(20261207);
        byte[] buffer = new byte[HyperLogLog.Padding + 48 + HyperLogLog.Padding];
        for (int length = 0; length <= 40; length++)
        {
            for (int at = HyperLogLog.Padding; at + length + HyperLogLog.Padding <= buffer.Length; at++)
            {
                for (int trial = 0; trial < 8; trial++)
                {
                    random.NextBytes(buffer);
                    byte[] alone = buffer.AsSpan(at, length).ToArray();
                    Assert.That(HyperLogLog.Hash64Padded(ref buffer[at], length), Is.EqualTo(HyperLogLog.Hash64(alone)), $"{length} bytes at {at}");
                }
            }
        }
    }
}
