using SparkTfrecord.Tfrecord.Framing;
using SparkTfrecord.Tfrecord.Tests.Support;

namespace SparkTfrecord.Tfrecord.Tests.Fixtures;

/// <summary>
/// The damaged copies of singles.tfrecords (records at 0, 40 and 85; 130 bytes) give TensorFlow's error at TensorFlow's
/// offset: the record's start for a bad length CRC or a truncation, the payload's start (record + 12) for a bad data
/// CRC. In skip mode the records before the damage come back and <see cref="TfRecordReader.Skipped"/> says what was dropped.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class CorruptFixtureTests
{
    public static IEnumerable<TestCaseData> Damaged()
    {
        // file, error kind, offset, records before the damage, bytes from the damaged record to the end
        yield return Case("len_crc_flipped", TfRecordErrorKind.CorruptLength, 0, 0, 130);
        yield return Case("len_value_flipped", TfRecordErrorKind.CorruptLength, 0, 0, 130);
        yield return Case("data_flipped_rec0", TfRecordErrorKind.CorruptData, 12, 0, 130);
        yield return Case("data_flipped_rec1", TfRecordErrorKind.CorruptData, 52, 1, 90);
        yield return Case("truncated_in_header", TfRecordErrorKind.Truncated, 40, 1, 5);
        yield return Case("truncated_in_data", TfRecordErrorKind.Truncated, 85, 2, 42);
        yield return Case("trailing_zero_bytes", TfRecordErrorKind.Truncated, 130, 3, 4);
    }

    [TestCaseSource(nameof(Damaged))]
    public void Reader_reports_the_damage_at_TensorFlow_s_offset(string file, TfRecordErrorKind kind, long offset, int before, long dropped)
    {
        string path = SharedFixtures.Tfrecord($"corrupt/{file}.tfrecord");
        using var reader = TfRecordReader.Open(path);
        int read = 0;

        var error = Assert.Throws<TfRecordFormatException>(() =>
        {
            while (reader.TryRead(out _))
            {
                read++;
            }
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(read, Is.EqualTo(before), "records before the damage are returned");
            Assert.That(error.Kind, Is.EqualTo(kind));
            Assert.That(error.Offset, Is.EqualTo(offset));
            Assert.That(error.FilePath, Is.EqualTo(path));
            Assert.That(error.Message, Does.Contain(path).And.Contain($"byte offset {offset}"));
            Assert.That(error, Is.InstanceOf<IOException>());
        }
    }

    [TestCaseSource(nameof(Damaged))]
    public void Skip_mode_returns_the_records_before_the_damage_and_describes_it(string file, TfRecordErrorKind kind, long offset, int before, long dropped)
    {
        var payloads = Records.ReadFile(SharedFixtures.Tfrecord($"corrupt/{file}.tfrecord"), new TfRecordReaderOptions { SkipCorrupt = true });
        using var reader = TfRecordReader.Open(SharedFixtures.Tfrecord($"corrupt/{file}.tfrecord"), new TfRecordReaderOptions { SkipCorrupt = true });
        int read = Records.ReadAll(reader).Count;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(payloads, Is.EqualTo(Singles().Take(before)));
            Assert.That(read, Is.EqualTo(before));
            Assert.That(reader.Skipped, Is.Not.Null);
            Assert.That(reader.Skipped!.Error.Kind, Is.EqualTo(kind));
            Assert.That(reader.Skipped.Error.Offset, Is.EqualTo(offset));
            Assert.That(reader.Skipped.BytesSkipped, Is.EqualTo(dropped));
            Assert.That(reader.TryRead(out _), Is.False, "the rest of the file stays dropped, as with TensorFlow's ignore_errors");
        }
    }

    [TestCaseSource(nameof(Damaged))]
    public void Damage_inside_a_compressed_stream_is_reported_at_the_uncompressed_offset(string file, TfRecordErrorKind kind, long offset, int before, long dropped)
    {
        byte[] raw = SharedFixtures.Read($"corrupt/{file}.tfrecord");
        foreach (TfRecordCompression compression in new[] { TfRecordCompression.Gzip, TfRecordCompression.Zlib })
        {
            byte[] compressed = Records.Compress(raw, compression);
            int read = 0;

            var error = Assert.Throws<TfRecordFormatException>(() =>
            {
                using var reader = new TfRecordReader(new MemoryStream(compressed));
                while (reader.TryRead(out _))
                {
                    read++;
                }
            });

            using var skipping = new TfRecordReader(new MemoryStream(compressed), options: new TfRecordReaderOptions { SkipCorrupt = true });
            int kept = Records.ReadAll(skipping).Count;
            using (Assert.EnterMultipleScope())
            {
                Assert.That(read, Is.EqualTo(before), compression.ToString());
                Assert.That(error.Kind, Is.EqualTo(kind), compression.ToString());
                Assert.That(error.Offset, Is.EqualTo(offset), compression.ToString());
                Assert.That(kept, Is.EqualTo(before), compression.ToString());
                Assert.That(skipping.Skipped?.BytesSkipped, Is.EqualTo(dropped), compression.ToString());
            }
        }
    }

    [Test]
    public void Damage_keeps_its_offset_with_every_buffer_size_and_one_byte_reads()
    {
        foreach (var data in Damaged())
        {
            var args = data.Arguments;
            byte[] raw = SharedFixtures.Read($"corrupt/{args[0]}.tfrecord");
            foreach (TfRecordCompression compression in Enum.GetValues<TfRecordCompression>())
            {
                byte[] file = Records.Compressed(raw, compression);
                for (int bufferSize = 1; bufferSize <= 16; bufferSize++)
                {
                    foreach (int chunk in new[] { 1, 5 })
                    {
                        var options = new TfRecordReaderOptions { BufferSize = bufferSize, SkipCorrupt = true };
                        using var reader = new TfRecordReader(new TrickleStream(file, chunk), "x", options);
                        int read = Records.ReadAll(reader).Count;
                        string where = $"{args[0]} {compression} buffer {bufferSize} chunk {chunk}";
                        Assert.That(read, Is.EqualTo(args[3]), where);
                        Assert.That(reader.Skipped?.Error.Kind, Is.EqualTo(args[1]), where);
                        Assert.That(reader.Skipped?.Error.Offset, Is.EqualTo(args[2]), where);
                        Assert.That(reader.Skipped?.BytesSkipped, Is.EqualTo(args[4]), where);
                    }
                }
            }
        }
    }

    private static List<byte[]> Singles() => Records.ReadFile(SharedFixtures.Tfrecord("pwnall/singles.tfrecords"));

    private static TestCaseData Case(string file, TfRecordErrorKind kind, long offset, int before, long dropped) =>
        new TestCaseData(file, kind, offset, before, dropped).SetArgDisplayNames(file);
}
