using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SparkTfrecord.Tfrecord.Framing;
using SparkTfrecord.Tfrecord.Tests.Support;
using CrcPath = SparkTfrecord.Tfrecord.Framing.MaskedCrc32C.Path;

namespace SparkTfrecord.Tfrecord.Tests.Framing;

/// <summary>
/// Each of <see cref="MaskedCrc32C"/>'s paths (scalar, 128-bit and 512-bit carry-less folding) forced on its own, so
/// that all of them are checked on any machine whose CPU can run them, not only the one the host would pick. The
/// reference is the CRC's definition computed bit by bit in this file, and published values: the standard check value
/// and the CRCs TensorFlow and other writers stored in the shared fixtures.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class MaskedCrc32CPathTests
{
    private static readonly CrcPath[] s_paths = Enum.GetValues<CrcPath>();

    // By name: the path type is internal to the library, so it cannot appear in a public test method's signature.
    private static IEnumerable<string> Paths() => s_paths.Select(path => path.ToString());

    [TestCaseSource(nameof(Paths))]
    public void Check_value_of_123456789_is_e3069283(string pathName)
    {
        CrcPath path = RequireSupported(pathName);

        Assert.That(MaskedCrc32C.Crc32C("123456789"u8, path), Is.EqualTo(0xE3069283));
    }

    [TestCaseSource(nameof(Paths))]
    public void Crc_of_nothing_is_zero(string pathName)
    {
        CrcPath path = RequireSupported(pathName);

        Assert.That(MaskedCrc32C.Crc32C([], path), Is.Zero);
    }

    [TestCaseSource(nameof(Paths))]
    public void Agrees_with_the_bitwise_definition_for_every_length_to_1300_at_every_offset_modulo_64(string pathName)
    {
        // Every length crosses each path's cases: under 16 bytes (scalar only), 16-byte blocks below 128 bytes and the
        // four-block loop beyond (128-bit), a first 64-byte group shifted by each amount 0 to 63 with the state spilling
        // into the second group, the direct folds of up to 16 groups (1040 bytes) and the four-accumulator loop beyond
        // (512-bit); every offset modulo 64 puts the loads at every alignment.
        CrcPath path = RequireSupported(pathName);
        AssertEveryPrefixAgrees(path, Enumerable.Range(0, 64), maxLength: 1300);
    }

    [TestCaseSource(nameof(Paths))]
    public void Agrees_with_the_bitwise_definition_for_every_length_to_4200_at_several_offsets(string pathName)
    {
        // Several KB: the 512-bit path's loop of four accumulators runs many times, the 128-bit path's four-block loop too.
        CrcPath path = RequireSupported(pathName);
        AssertEveryPrefixAgrees(path, [0, 1, 7, 16, 31, 63], maxLength: 4200);
    }

    [TestCaseSource(nameof(Paths))]
    public void Agrees_with_the_bitwise_definition_on_large_buffers_and_runs_of_zeros_and_ones(string pathName)
    {
        CrcPath path = RequireSupported(pathName);
        var rng = new Random(65);
        foreach (int length in new[] { 4095, 4096, 65_537, 262_147 })
        {
            var data = new byte[length];
            rng.NextBytes(data);
            Assert.That(MaskedCrc32C.Crc32C(data, path), Is.EqualTo(BitwiseCrc(data)), $"random, length {length}");
            Array.Fill(data, (byte)0);
            Assert.That(MaskedCrc32C.Crc32C(data, path), Is.EqualTo(BitwiseCrc(data)), $"zeros, length {length}");
            Array.Fill(data, (byte)0xFF);
            Assert.That(MaskedCrc32C.Crc32C(data, path), Is.EqualTo(BitwiseCrc(data)), $"ones, length {length}");
        }
    }

    [TestCaseSource(nameof(Paths))]
    public void Masked_crcs_match_those_stored_in_files_written_by_TensorFlow_and_other_writers(string pathName)
    {
        CrcPath path = RequireSupported(pathName);
        int checkedRecords = 0;
        foreach ((string name, byte[] file) in FixtureFiles())
        {
            int offset = 0;
            while (offset < file.Length)
            {
                // The framing read by hand: length (8 bytes LE), its masked CRC, the payload, the payload's masked CRC.
                ReadOnlySpan<byte> lengthBytes = file.AsSpan(offset, 8);
                int length = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes));
                uint lengthCrc = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset + 8));
                ReadOnlySpan<byte> payload = file.AsSpan(offset + 12, length);
                uint payloadCrc = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset + 12 + length));

                Assert.That(MaskedCrc32C.Mask(MaskedCrc32C.Crc32C(lengthBytes, path)), Is.EqualTo(lengthCrc), $"{name}: length CRC of the record at {offset}");
                Assert.That(MaskedCrc32C.Mask(MaskedCrc32C.Crc32C(payload, path)), Is.EqualTo(payloadCrc), $"{name}: data CRC of the record at {offset} ({length} bytes)");
                offset += 16 + length;
                checkedRecords++;
            }
        }

        // 3 + 1 + 5 + 234 + 100 records: the penguin payloads (over 64 bytes) reach the folding paths.
        Assert.That(checkedRecords, Is.EqualTo(343));
    }

    [Test]
    public void Every_runnable_path_and_the_public_methods_give_the_same_answer_on_random_data()
    {
        CrcPath[] runnable = s_paths.Where(MaskedCrc32C.IsSupported).ToArray();
        Assert.That(runnable, Does.Contain(CrcPath.Scalar), "the scalar path runs everywhere");
        var rng = new Random(2024);
        for (int i = 0; i < 1000; i++)
        {
            // Lengths spread over the thresholds: mostly short (records' lengths and small payloads), some long.
            int length = i % 4 == 0 ? rng.Next(0, 5000) : rng.Next(0, 300);
            var data = new byte[length];
            rng.NextBytes(data);
            uint expected = BitwiseCrc(data);
            foreach (CrcPath path in runnable)
            {
                Assert.That(MaskedCrc32C.Crc32C(data, path), Is.EqualTo(expected), $"{path}, length {length}");
            }

            Assert.That(MaskedCrc32C.Crc32C(data), Is.EqualTo(expected), $"Crc32C, length {length}");
            Assert.That(MaskedCrc32C.Compute(data), Is.EqualTo(MaskedCrc32C.Mask(expected)), $"Compute, length {length}");
        }
    }

    [Test]
    public void The_masked_crc_of_a_record_length_agrees_with_the_crc_of_its_eight_bytes()
    {
        var rng = new Random(8);
        var bytes = new byte[8];
        foreach (ulong value in new ulong[] { 0, 1, 24, 0xFFFF_FFFF, ulong.MaxValue }.Concat(Enumerable.Range(0, 1000).Select(_ => (ulong)rng.NextInt64())))
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
            Assert.That(MaskedCrc32C.ComputeUInt64(value), Is.EqualTo(MaskedCrc32C.Mask(BitwiseCrc(bytes))), $"length {value}");
        }
    }

    [Test]
    public void Forcing_a_path_the_cpu_lacks_is_refused_rather_than_run()
    {
        CrcPath? missing = s_paths.Where(path => !MaskedCrc32C.IsSupported(path)).Cast<CrcPath?>().FirstOrDefault();
        if (missing is null)
        {
            Assert.Ignore("This CPU runs every path; nothing to refuse here.");
        }

        Assert.That(() => MaskedCrc32C.Crc32C("123456789"u8.ToArray(), missing.Value), Throws.TypeOf<PlatformNotSupportedException>());
    }

    [Test]
    public void The_bitwise_definition_gives_the_check_value()
    {
        // The reference itself against the published check value, so the tests above rest on something known.
        Assert.That(BitwiseCrc(Encoding.ASCII.GetBytes("123456789")), Is.EqualTo(0xE3069283));
    }

    /// <summary>Checks the CRC of data[start..start + length] for every start given and every length to maxLength.</summary>
    private static void AssertEveryPrefixAgrees(CrcPath path, IEnumerable<int> starts, int maxLength)
    {
        var data = new byte[maxLength + 64];
        new Random(maxLength).NextBytes(data);
        int failures = 0;
        string firstFailure = "";
        foreach (int start in starts)
        {
            // The reference state after each prefix of data[start..]: one pass per offset instead of one per length.
            uint state = 0xFFFFFFFF;
            for (int length = 0; length <= maxLength; length++)
            {
                uint expected = ~state;
                uint actual = MaskedCrc32C.Crc32C(data.AsSpan(start, length), path);
                if (actual != expected && failures++ == 0)
                {
                    firstFailure = $"offset {start}, length {length}: {actual:x8}, expected {expected:x8}";
                }

                if (length < maxLength)
                {
                    state = BitwiseUpdate(state, data[start + length]);
                }
            }
        }

        Assert.That(failures, Is.Zero, $"{failures} slices differ from the definition; the first at {firstFailure}");
    }

    /// <summary>Only a path the CPU genuinely cannot run is skipped, and the skip says which instructions are missing.</summary>
    private static CrcPath RequireSupported(string pathName)
    {
        CrcPath path = Enum.Parse<CrcPath>(pathName);
        if (!MaskedCrc32C.IsSupported(path))
        {
            Assert.Ignore(path == CrcPath.Fold512
                ? "This CPU (or DOTNET_EnableAVX512=0) has no VPCLMULQDQ with AVX-512 VBMI: the 512-bit path cannot run here."
                : "This CPU (or DOTNET_EnableHWIntrinsic=0) has no PCLMULQDQ: the 128-bit path cannot run here.");
        }

        return path;
    }

    /// <summary>The uncompressed TFRecord files of the shared fixtures written by real writers, with their names.</summary>
    private static IEnumerable<(string Name, byte[] File)> FixtureFiles()
    {
        yield return ("pwnall/singles.tfrecords", SharedFixtures.Read("pwnall/singles.tfrecords"));
        yield return ("pwnall/data.tfrecord", SharedFixtures.Read("pwnall/data.tfrecord"));
        yield return ("ecosystem/part-m-00000", SharedFixtures.Read("ecosystem/part-m-00000"));
        foreach (string name in new[] { "train", "eval" })
        {
            string relative = $"tfx-penguin/penguin_data_Split-{name}_data_tfrecord-00000-of-00001.gz";
            using var gzip = new GZipStream(new MemoryStream(SharedFixtures.Read(relative)), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            gzip.CopyTo(plain);
            yield return (relative, plain.ToArray());
        }
    }

    /// <summary>CRC-32C by its definition: reflected polynomial 0x82F63B78, initial value and final XOR all ones.</summary>
    private static uint BitwiseCrc(ReadOnlySpan<byte> data)
    {
        uint state = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            state = BitwiseUpdate(state, b);
        }

        return ~state;
    }

    private static uint BitwiseUpdate(uint state, byte b)
    {
        state ^= b;
        for (int bit = 0; bit < 8; bit++)
        {
            state = (state & 1) != 0 ? (state >> 1) ^ 0x82F63B78 : state >> 1;
        }

        return state;
    }
}
