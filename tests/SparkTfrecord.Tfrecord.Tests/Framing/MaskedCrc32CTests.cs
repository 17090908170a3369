using System.Text;
using SparkTfrecord.Tfrecord.Framing;
using SparkTfrecord.Tfrecord.Tests.Support;

namespace SparkTfrecord.Tfrecord.Tests.Framing;

[TestFixture]
[Category("Fast")]
public sealed class MaskedCrc32CTests
{
    [Test]
    public void Crc32C_of_the_standard_check_string_is_e3069283()
    {
        Assert.That(MaskedCrc32C.Crc32C("123456789"u8), Is.EqualTo(0xE3069283));
    }

    [Test]
    public void Crc32C_of_nothing_is_zero()
    {
        Assert.That(MaskedCrc32C.Crc32C([]), Is.Zero);
    }

    [Test]
    public void Mask_rotates_right_15_and_adds_a282ead8()
    {
        Assert.That(MaskedCrc32C.Mask(0x12345678), Is.EqualTo(unchecked(((0x12345678u >> 15) | (0x12345678u << 17)) + 0xa282ead8)));
    }

    [Test]
    public void Masked_crc_of_a_length_matches_the_one_TensorFlow_wrote_in_singles()
    {
        // singles.tfrecords starts with the length 24 and its masked CRC a3 7f 4b 22.
        byte[] length = [24, 0, 0, 0, 0, 0, 0, 0];

        Assert.That(MaskedCrc32C.Compute(length), Is.EqualTo(0x224b7fa3));
    }

    [Test]
    public void Crc32C_agrees_with_a_bitwise_reference_for_every_length_and_alignment()
    {
        var rng = new Random(32);
        var data = new byte[300];
        rng.NextBytes(data);
        for (int start = 0; start < 9; start++)
        {
            for (int length = 0; start + length <= data.Length; length++)
            {
                ReadOnlySpan<byte> slice = data.AsSpan(start, length);
                Assert.That(MaskedCrc32C.Compute(slice), Is.EqualTo(ReferenceCrc32C.Masked(slice)), $"start {start} length {length}");
            }
        }
    }

    [Test]
    public void Crc32C_agrees_with_a_bitwise_reference_for_every_length_to_3000_at_several_alignments()
    {
        // Every length crosses each of the carry-less paths' cases: the scalar loop below 64 bytes, a first 64-byte
        // group shifted by each amount (and the state spilling into the second group), the direct folds of up to 16
        // groups, and the loop of four accumulators beyond them.
        var rng = new Random(3000);
        var data = new byte[3000 + 64];
        rng.NextBytes(data);
        foreach (int start in new[] { 0, 1, 3, 7, 8, 13, 16, 31, 63 })
        {
            for (int length = 0; length <= 3000; length++)
            {
                ReadOnlySpan<byte> slice = data.AsSpan(start, length);
                uint expected = ReferenceCrc32C.Crc(slice);
                if (MaskedCrc32C.Crc32C(slice) != expected)
                {
                    Assert.That(MaskedCrc32C.Crc32C(slice), Is.EqualTo(expected), $"start {start} length {length}");
                }
            }
        }
    }

    [Test]
    public void Crc32C_agrees_with_a_bitwise_reference_on_large_buffers_and_runs_of_zeros_and_ones()
    {
        var rng = new Random(64);
        foreach (int length in new[] { 4095, 4096, 65_537, 1_000_003 })
        {
            var data = new byte[length];
            rng.NextBytes(data);
            Assert.That(MaskedCrc32C.Crc32C(data), Is.EqualTo(ReferenceCrc32C.Crc(data)), $"random, length {length}");
            Array.Fill(data, (byte)0);
            Assert.That(MaskedCrc32C.Crc32C(data), Is.EqualTo(ReferenceCrc32C.Crc(data)), $"zeros, length {length}");
            Array.Fill(data, (byte)0xFF);
            Assert.That(MaskedCrc32C.Crc32C(data), Is.EqualTo(ReferenceCrc32C.Crc(data)), $"ones, length {length}");
        }
    }

    [Test]
    public void Reference_crc_agrees_with_the_check_value_too()
    {
        Assert.That(ReferenceCrc32C.Crc(Encoding.ASCII.GetBytes("123456789")), Is.EqualTo(0xE3069283));
    }
}
