using SparkTfrecord.Tfrecord.Example;
using SparkTfrecord.Tfrecord.Framing;
using SparkTfrecord.Tfrecord.Tests.Fixtures;
using SparkTfrecord.Tfrecord.Tests.Support;

namespace SparkTfrecord.Tfrecord.Tests.Framing;

/// <summary>
/// Given the same features in the same order, our encoder and writer reproduce files written by TensorFlow, by the
/// Hadoop writer the Spark connectors use, and the synthetic fixtures, byte for byte; compressed files hold exactly
/// the uncompressed bytes.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class GoldenWriterTests
{
    [Test]
    public void Writer_reproduces_TensorFlow_s_singles_byte_for_byte()
    {
        var intFeature = new FeatureKey("int_feature");
        var floatFeature = new FeatureKey("float_feature");
        var byteFeature = new FeatureKey("byte_feature");
        var encoder = new ExampleEncoder();
        var stream = new MemoryStream();

        using (var writer = new TfRecordWriter(stream, new TfRecordWriterOptions { LeaveOpen = true }))
        {
            encoder.AddInt64(intFeature, 42);
            writer.Write(encoder.GetPayload());
            encoder.Clear();
            encoder.AddFloat(floatFeature, 3.14f);
            writer.Write(encoder.GetPayload());
            encoder.Clear();
            encoder.AddBytes(byteFeature, "@ABCD"u8);
            writer.Write(encoder.GetPayload());
        }

        Assert.That(stream.ToArray(), Is.EqualTo(SharedFixtures.Read("pwnall/singles.tfrecords")));
    }

    [Test]
    public void Framed_records_from_the_encoder_reproduce_singles_too()
    {
        var encoder = new ExampleEncoder(1);
        var stream = new MemoryStream();

        using (var writer = new TfRecordWriter(stream, new TfRecordWriterOptions { LeaveOpen = true, BufferSize = 50 }))
        {
            encoder.AddInt64List(new FeatureKey("int_feature"), [42]);
            writer.WriteFramed(encoder.GetRecord());
            encoder.Clear();
            encoder.AddFloatList(new FeatureKey("float_feature"), [3.14f]);
            writer.WriteFramed(encoder.GetRecord());
            encoder.Clear();
            encoder.AddString(new FeatureKey("byte_feature"), "@ABCD");
            writer.WriteFramed(encoder.GetRecord());
            Assert.That(writer.RecordCount, Is.EqualTo(3));
        }

        Assert.That(stream.ToArray(), Is.EqualTo(SharedFixtures.Read("pwnall/singles.tfrecords")));
    }

    [Test]
    public void Writer_reproduces_the_Hadoop_writer_s_golden_file_byte_for_byte()
    {
        var data = new FeatureKey("data");
        var encoder = new ExampleEncoder();
        var stream = new MemoryStream();

        using (var writer = new TfRecordWriter(stream, new TfRecordWriterOptions { LeaveOpen = true }))
        {
            foreach (long[] values in FixtureContentsTests.EcosystemData)
            {
                encoder.Clear();
                encoder.AddInt64List(data, values);
                writer.Write(encoder.GetPayload());
            }
        }

        Assert.That(stream.ToArray(), Is.EqualTo(SharedFixtures.Read("ecosystem/part-m-00000")));
    }

    [Test]
    public void Writer_reproduces_the_JavaScript_writer_s_file_byte_for_byte()
    {
        var encoder = new ExampleEncoder();
        encoder.AddInt64(new FeatureKey("answer"), 42);
        encoder.AddFloat(new FeatureKey("pi"), 3.14f);
        encoder.AddString(new FeatureKey("name"), "ABC");

        Assert.That(Records.Write([encoder.GetPayload().ToArray()]), Is.EqualTo(SharedFixtures.Read("pwnall/data.tfrecord")));
    }

    [Test]
    public void Writer_reproduces_edge_values_byte_for_byte()
    {
        var encoder = new ExampleEncoder();
        encoder.AddBytesList(new FeatureKey("empty_bytes"), []);
        encoder.AddFloatList(new FeatureKey("empty_float"), []);
        encoder.AddInt64List(new FeatureKey("empty_int64"), []);
        encoder.AddFloatList(new FeatureKey("nan_inf"), [BitConverter.UInt32BitsToSingle(0x7fc00000), float.PositiveInfinity, -0.0f]);
        encoder.AddInt64List(new FeatureKey("neg"), [-1, long.MinValue, long.MaxValue]);
        encoder.AddEmpty(new FeatureKey("no_kind"));

        Assert.That(Records.Write([encoder.GetPayload().ToArray()]), Is.EqualTo(SharedFixtures.Read("synthetic/edge_values.tfrecord")));
    }

    [Test]
    public void Writer_reproduces_the_empty_key_written_explicitly_as_TensorFlow_requires()
    {
        var encoder = new ExampleEncoder();
        encoder.AddInt64(new FeatureKey(""), 1);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Records.Write([encoder.GetPayload().ToArray()]), Is.EqualTo(SharedFixtures.Read("synthetic/empty_key_python_style.tfrecord")));
            Assert.That(Records.Write([encoder.GetPayload().ToArray()]), Is.Not.EqualTo(SharedFixtures.Read("synthetic/empty_key_csharp_style.tfrecord")));
        }
    }

    [Test]
    public void Sequence_encoder_reproduces_the_sequence_example_fixture_byte_for_byte()
    {
        var encoder = new SequenceExampleEncoder();
        encoder.AddFloatList(new FeatureKey("age"), [19.0f]);
        encoder.AddStringList(new FeatureKey("locale"), ["pt_BR"]);
        encoder.BeginFeatureList(new FeatureKey("empty_list"));
        encoder.EndFeatureList();
        encoder.BeginFeatureList(new FeatureKey("movie_names"));
        encoder.AddStringFrame(["The Shawshank Redemption"]);
        encoder.AddBytesFrame(["Fight Club"u8.ToArray()]);
        encoder.EndFeatureList();
        encoder.BeginFeatureList(new FeatureKey("movie_ratings"));
        encoder.AddFloatFrame([4.5f]);
        encoder.AddFloatFrame([5.0f]);
        encoder.EndFeatureList();

        byte[] expected = SharedFixtures.Read("synthetic/sequence_example.tfrecord");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Records.Write([encoder.GetPayload().ToArray()]), Is.EqualTo(expected));
            Assert.That(encoder.GetRecord().ToArray(), Is.EqualTo(expected));
        }
    }

    [TestCase("synthetic/singles.tfrecords.gz", TfRecordCompression.Gzip, "pwnall/singles.tfrecords")]
    [TestCase("synthetic/singles_two_members.tfrecords.gz", TfRecordCompression.Gzip, "pwnall/singles.tfrecords")]
    [TestCase("synthetic/singles.tfrecords.zlib", TfRecordCompression.Zlib, "pwnall/singles.tfrecords")]
    [TestCase("ecosystem/part-m-00000.gz", TfRecordCompression.Gzip, "ecosystem/part-m-00000")]
    public void Compressed_fixture_decompresses_to_exactly_the_uncompressed_file(string compressed, TfRecordCompression compression, string uncompressed)
    {
        Assert.That(Records.Decompress(SharedFixtures.Read(compressed), compression), Is.EqualTo(SharedFixtures.Read(uncompressed)));
    }

    [Test]
    public void Compressed_writer_output_decompresses_to_exactly_the_uncompressed_writer_s_bytes(
        [Values(TfRecordCompression.Gzip, TfRecordCompression.Zlib)] TfRecordCompression compression,
        [Values(1, 16, 1000, 1 << 20)] int bufferSize)
    {
        var generator = new ExampleGenerator(7);
        var payloads = Enumerable.Range(0, 200).Select(_ => ModelCodec.Encode(generator.NextExample())).ToList();
        payloads.AddRange(ReaderStreamTests.SamplePayloads());

        byte[] plain = Records.Write(payloads, TfRecordCompression.None, bufferSize);
        byte[] packed = Records.Write(payloads, compression, bufferSize);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(plain, Is.EqualTo(ReferenceCrc32C.FrameAll(payloads)), "uncompressed output is the reference framing");
            Assert.That(Records.Decompress(packed, compression), Is.EqualTo(plain));
            Assert.That(packed.AsSpan(0, 2).ToArray(), Is.EqualTo(compression == TfRecordCompression.Gzip ? new byte[] { 0x1f, 0x8b } : new byte[] { 0x78, 0x9c }));
        }
    }

    [Test]
    public void Framed_records_and_flushes_give_the_same_file_as_payloads(
        [Values] TfRecordCompression compression,
        [Values(1, 16, 1000)] int bufferSize)
    {
        var generator = new ExampleGenerator(8);
        var models = Enumerable.Range(0, 100).Select(_ => generator.NextExample()).ToList();
        var payloads = models.Select(m => ModelCodec.Encode(m)).ToList();
        var encoder = new ExampleEncoder();
        var stream = new MemoryStream();

        using (var writer = new TfRecordWriter(stream, new TfRecordWriterOptions { Compression = compression, BufferSize = bufferSize, LeaveOpen = true }))
        {
            for (int i = 0; i < models.Count; i++)
            {
                encoder.Clear();
                ModelCodec.AddTo(encoder, models[i]);
                writer.WriteFramed(encoder.GetRecord());
                if (i % 7 == 0)
                {
                    writer.Flush();
                }
            }

            Assert.That(writer.RecordCount, Is.EqualTo(models.Count));
        }

        byte[] file = compression == TfRecordCompression.None ? stream.ToArray() : Records.Decompress(stream.ToArray(), compression);
        Bytes.AssertEqual(file, ReferenceCrc32C.FrameAll(payloads), () => "framed records differ from framed payloads");
    }

    [Test]
    public void Writer_counts_records_and_flush_makes_them_readable_while_open()
    {
        var stream = new MemoryStream();
        using var writer = new TfRecordWriter(stream, new TfRecordWriterOptions { LeaveOpen = true });
        writer.Write([1, 2, 3]);
        writer.Write([]);
        writer.Flush();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(writer.RecordCount, Is.EqualTo(2));
            Assert.That(Records.ReadAll(stream.ToArray()), Is.EqualTo(new[] { new byte[] { 1, 2, 3 }, [] }));
        }
    }

    [Test]
    public void Writer_create_writes_a_file_that_open_reads_back()
    {
        string path = Path.Combine(Path.GetTempPath(), $"sparktfrecord-{Guid.NewGuid():N}.tfrecord.gz");
        try
        {
            var payloads = ReaderStreamTests.SamplePayloads();
            using (var writer = TfRecordWriter.Create(path, new TfRecordWriterOptions { Compression = TfRecordCompression.Gzip, LeaveOpen = true }))
            {
                payloads.ForEach(p => writer.Write(p));
            }

            Assert.That(Records.ReadFile(path), Is.EqualTo(payloads));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Writer_leaves_the_stream_open_only_when_asked_and_refuses_writes_after_dispose()
    {
        var closed = new MemoryStream();
        var open = new MemoryStream();
        var writer = new TfRecordWriter(closed);
        writer.Dispose();
        writer.Dispose();
        new TfRecordWriter(open, new TfRecordWriterOptions { LeaveOpen = true }).Dispose();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(closed.CanWrite, Is.False);
            Assert.That(open.CanWrite, Is.True);
            Assert.Throws<ObjectDisposedException>(() => writer.Write([1]));
            Assert.Throws<ObjectDisposedException>(() => writer.WriteFramed([1]));
            Assert.Throws<ObjectDisposedException>(writer.Flush);
        }
    }
}
