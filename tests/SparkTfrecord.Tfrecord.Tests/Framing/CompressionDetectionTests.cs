using System.IO.Compression;
using SparkTfrecord.Tfrecord.Example;
using SparkTfrecord.Tfrecord.Framing;
using SparkTfrecord.Tfrecord.Tests.Support;

namespace SparkTfrecord.Tfrecord.Tests.Framing;

/// <summary>Compression is detected from the first bytes, and a valid first header always means uncompressed.</summary>
[TestFixture]
[Category("Fast")]
public sealed class CompressionDetectionTests
{
    [TestCase(0x9c78, new byte[] { 0x78, 0x9c }, TestName = "Uncompressed_file_starting_78_9c_like_zlib_is_read_as_uncompressed")]
    [TestCase(0xda78, new byte[] { 0x78, 0xda }, TestName = "Uncompressed_file_starting_78_da_like_zlib_is_read_as_uncompressed")]
    [TestCase(0x8b1f, new byte[] { 0x1f, 0x8b }, TestName = "Uncompressed_file_starting_1f_8b_like_gzip_is_read_as_uncompressed")]
    public void Uncompressed_file_whose_first_bytes_look_compressed_is_read_as_uncompressed(int payloadLength, byte[] magic)
    {
        // The file starts with the first record's little-endian length: a payload of 0x9c78 bytes makes it 78 9c.
        byte[] payload = ExampleOfLength(payloadLength);
        byte[] file = Records.Write([payload, ExampleOfLength(20)]);
        Assert.That(file.AsSpan(0, 2).ToArray(), Is.EqualTo(magic), "precondition: the file starts with the magic bytes");

        // Small buffers fed a byte at a time see exactly the header when detecting; the default buffer over a whole
        // stream sees much more than the header.
        var readers = Enumerable.Range(1, 16)
            .Select(size => (Name: $"buffer {size}", Open: (Func<TfRecordReader>)(() => new TfRecordReader(new TrickleStream(file), options: new TfRecordReaderOptions { BufferSize = size }))))
            .Append(("default options", () => new TfRecordReader(new MemoryStream(file))))
            .Append(("chunks of 100", () => new TfRecordReader(new TrickleStream(file, 100))));
        foreach (var (name, open) in readers)
        {
            using TfRecordReader reader = open();
            var read = Records.ReadAll(reader);

            Assert.That(reader.Compression, Is.EqualTo(TfRecordCompression.None), name);
            Assert.That(read, Is.EqualTo(new[] { payload, ExampleOfLength(20) }), name);
            Assert.That(Describe.Of(new ExampleDecoder().DecodeExample(read[0])), Has.Length.EqualTo(1), name);
        }
    }

    [Test]
    public void Uncompressed_file_starting_78_9c_opened_by_path_is_read_as_uncompressed()
    {
        string path = Path.Combine(Path.GetTempPath(), $"sparktfrecord-{Guid.NewGuid():N}.tfrecord");
        try
        {
            byte[] payload = ExampleOfLength(0x9c78);
            File.WriteAllBytes(path, Records.Write([payload]));

            using var reader = TfRecordReader.Open(path);
            Assert.That(reader.Compression, Is.EqualTo(TfRecordCompression.None));
            Assert.That(Records.ReadAll(reader), Is.EqualTo(new[] { payload }));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Writer_output_is_detected_for_every_compression_level(
        [Values(TfRecordCompression.Gzip, TfRecordCompression.Zlib)] TfRecordCompression compression,
        [Values] CompressionLevel level)
    {
        var payloads = ReaderStreamTests.SamplePayloads();
        var stream = new MemoryStream();
        using (var writer = new TfRecordWriter(stream, new TfRecordWriterOptions { Compression = compression, CompressionLevel = level, LeaveOpen = true }))
        {
            payloads.ForEach(p => writer.Write(p));
        }

        using var reader = new TfRecordReader(new MemoryStream(stream.ToArray()));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Records.ReadAll(reader), Is.EqualTo(payloads));
            Assert.That(reader.Compression, Is.EqualTo(compression));
        }
    }

    [Test]
    public void Gzip_file_read_as_uncompressed_reports_a_bad_length_crc_at_0()
    {
        byte[] file = SharedFixtures.Read("synthetic/singles.tfrecords.gz");
        using var reader = new TfRecordReader(new MemoryStream(file), options: new TfRecordReaderOptions { Compression = TfRecordCompression.None });

        var error = Assert.Throws<TfRecordFormatException>(() => reader.TryRead(out _));

        Assert.That(error.Kind, Is.EqualTo(TfRecordErrorKind.CorruptLength));
        Assert.That(error.Offset, Is.Zero);
    }

    [Test]
    public void Uncompressed_file_read_as_gzip_reports_damaged_compression()
    {
        byte[] file = SharedFixtures.Read("pwnall/singles.tfrecords");

        var error = Assert.Throws<TfRecordFormatException>(() =>
        {
            using var reader = new TfRecordReader(new MemoryStream(file), options: new TfRecordReaderOptions { Compression = TfRecordCompression.Gzip });
            while (reader.TryRead(out _))
            {
            }
        });

        Assert.That(error.Kind, Is.EqualTo(TfRecordErrorKind.CorruptCompression));
    }

    [Test]
    public void Zlib_stream_that_asks_for_a_preset_dictionary_is_damaged_compression()
    {
        // FLG 0x20 sets FDICT (and keeps 0x7820 a multiple of 31); zlib then wants a dictionary the file cannot give.
        byte[] zlib = Records.Write(ReaderStreamTests.SamplePayloads(), TfRecordCompression.Zlib);
        byte[] file = [0x78, 0x20, 0x12, 0x34, 0x56, 0x78, .. zlib.AsSpan(2)];

        var error = Assert.Throws<TfRecordFormatException>(() => Records.ReadAll(file));
        using var skipping = new TfRecordReader(new MemoryStream(file), options: new TfRecordReaderOptions { SkipCorrupt = true });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Kind, Is.EqualTo(TfRecordErrorKind.CorruptCompression));
            Assert.That(Records.ReadAll(skipping), Is.Empty);
            Assert.That(skipping.Skipped?.Error.Kind, Is.EqualTo(TfRecordErrorKind.CorruptCompression));
        }
    }

    /// <summary>An Example with one bytes feature whose serialized size is exactly <paramref name="length"/>.</summary>
    private static byte[] ExampleOfLength(int length)
    {
        var encoder = new ExampleEncoder();
        var key = new FeatureKey("k");
        for (int size = Math.Max(0, length - 64); size <= length; size++)
        {
            encoder.Clear();
            encoder.AddBytes(key, new byte[size]);
            if (encoder.GetPayload().Length == length)
            {
                return encoder.GetPayload().ToArray();
            }
        }

        throw new InvalidOperationException($"no Example of exactly {length} bytes");
    }
}
