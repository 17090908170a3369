using SparkTfrecord.Tfrecord.Framing;
using SparkTfrecord.Tfrecord.Tests.Support;

namespace SparkTfrecord.Tfrecord.Tests.Framing;

/// <summary>
/// The reader must never trust one Read: streams that hand out one byte at a time, every buffer size from 1 to 16,
/// non-seekable streams, and records larger than the buffer, uncompressed and compressed.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class ReaderStreamTests
{
    private static readonly TfRecordCompression[] s_compressions = Enum.GetValues<TfRecordCompression>();

    [Test]
    public void Reader_returns_every_record_with_every_buffer_size_and_one_byte_reads([ValueSource(nameof(s_compressions))] TfRecordCompression compression)
    {
        List<byte[]> payloads = SamplePayloads();
        byte[] file = Records.Write(payloads, compression);
        List<long> offsets = ExpectedOffsets(payloads);

        for (int bufferSize = 1; bufferSize <= 16; bufferSize++)
        {
            foreach (int chunk in new[] { 1, 3, 16, 4096 })
            {
                var stream = new TrickleStream(file, chunk);
                using var reader = new TfRecordReader(stream, "trickle", new TfRecordReaderOptions { BufferSize = bufferSize });
                var read = new List<byte[]>();
                var seenOffsets = new List<long>();
                while (reader.TryRead(out ReadOnlySpan<byte> payload))
                {
                    read.Add(payload.ToArray());
                    seenOffsets.Add(reader.RecordOffset);
                }

                string where = $"buffer {bufferSize}, chunk {chunk}";
                Assert.That(reader.Compression, Is.EqualTo(compression), where);
                Assert.That(read, Is.EqualTo(payloads), where);
                Assert.That(seenOffsets, Is.EqualTo(offsets), where);
                Assert.That(reader.RecordCount, Is.EqualTo(payloads.Count), where);
                Assert.That(reader.Skipped, Is.Null, where);
            }
        }
    }

    [Test]
    public void Reader_reads_two_gzip_members_with_every_buffer_size_and_one_byte_reads()
    {
        byte[] file = SharedFixtures.Read("synthetic/singles_two_members.tfrecords.gz");
        var expected = Records.ReadFile(SharedFixtures.Tfrecord("pwnall/singles.tfrecords"));

        for (int bufferSize = 1; bufferSize <= 16; bufferSize++)
        {
            using var reader = new TfRecordReader(new TrickleStream(file), options: new TfRecordReaderOptions { BufferSize = bufferSize });
            Assert.That(Records.ReadAll(reader), Is.EqualTo(expected), $"buffer {bufferSize}");
        }
    }

    [Test]
    public void Gzip_members_written_separately_read_as_one_file()
    {
        List<byte[]> payloads = SamplePayloads();
        byte[] first = Records.Write(payloads.Take(3), TfRecordCompression.Gzip);
        byte[] second = Records.Write(payloads.Skip(3), TfRecordCompression.Gzip);

        Assert.That(Records.ReadAll([.. first, .. second]), Is.EqualTo(payloads));
    }

    [Test]
    public void Read_fault_of_the_stream_itself_surfaces_as_is_and_is_not_taken_for_damage(
        [ValueSource(nameof(s_compressions))] TfRecordCompression compression,
        [Values] bool skipCorrupt)
    {
        byte[] file = Records.Write(SamplePayloads(), compression);

        foreach (long failAfter in new long[] { 0, 1, 11, 12, 13, 40, 200, file.Length / 2, file.Length - 1 })
        {
            var stream = new TrickleStream(file, 64, failAfter);
            var options = new TfRecordReaderOptions { SkipCorrupt = skipCorrupt, BufferSize = 16 };

            Assert.Throws<InjectedFaultException>(
                () =>
                {
                    using var reader = new TfRecordReader(stream, "faulty", options);
                    while (reader.TryRead(out _))
                    {
                    }
                },
                $"fault after {failAfter} bytes");
        }
    }

    [Test]
    public void Reader_payload_span_is_valid_until_the_next_read()
    {
        List<byte[]> payloads = SamplePayloads();
        using var reader = new TfRecordReader(new MemoryStream(Records.Write(payloads)), options: new TfRecordReaderOptions { BufferSize = 8 });

        Assert.That(reader.TryRead(out ReadOnlySpan<byte> first), Is.True);
        Assert.That(first.ToArray(), Is.EqualTo(payloads[0]));
    }

    [Test]
    public void Reader_leaves_the_stream_open_only_when_asked()
    {
        byte[] file = Records.Write(SamplePayloads());
        var closed = new TrickleStream(file, 4096);
        var open = new TrickleStream(file, 4096);

        new TfRecordReader(closed).Dispose();
        new TfRecordReader(open, options: new TfRecordReaderOptions { LeaveOpen = true }).Dispose();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(closed.IsDisposed, Is.True);
            Assert.That(open.IsDisposed, Is.False);
        }
    }

    [Test]
    public void Reading_after_dispose_throws_ObjectDisposedException()
    {
        var reader = new TfRecordReader(new MemoryStream(Records.Write(SamplePayloads())));
        reader.Dispose();

        Assert.Throws<ObjectDisposedException>(() => reader.TryRead(out _));
    }

    [Test]
    public void Reader_refuses_out_of_range_options()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new TfRecordReader(new MemoryStream(), options: new TfRecordReaderOptions { BufferSize = 0 }));
            Assert.Throws<ArgumentOutOfRangeException>(() => new TfRecordReader(new MemoryStream(), options: new TfRecordReaderOptions { MaxRecordLength = 0 }));
            Assert.Throws<ArgumentNullException>(() => new TfRecordReader(null!));
        }
    }

    [Test]
    public void Record_at_the_length_cap_reads_and_one_byte_more_is_too_large(
        [ValueSource(nameof(s_compressions))] TfRecordCompression compression,
        [Values] bool trickle)
    {
        byte[] atCap = new byte[100];
        byte[] aboveCap = new byte[101];
        new Random(1).NextBytes(aboveCap);
        byte[] file = Records.Write([atCap, aboveCap, atCap], compression);

        // Trickled into a small buffer, every record is read by the reader's general path; a file whole in a large
        // buffer has its records read by the short path for a record already in the buffer, which checks the cap too.
        var options = new TfRecordReaderOptions { MaxRecordLength = 100, BufferSize = trickle ? 7 : 1 << 16 };
        using var reader = new TfRecordReader(trickle ? new TrickleStream(file, 3) : new MemoryStream(file), "capped", options);

        Assert.That(reader.TryRead(out ReadOnlySpan<byte> first), Is.True);
        Assert.That(first.Length, Is.EqualTo(100));
        var error = Assert.Throws<TfRecordFormatException>(() => reader.TryRead(out _));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Kind, Is.EqualTo(TfRecordErrorKind.RecordTooLarge));
            Assert.That(error.Offset, Is.EqualTo(116));
            Assert.That(error.Message, Does.Contain("101").And.Contain("100"));
        }
    }

    [Test]
    public void Length_field_near_2_to_the_64_is_too_large_before_anything_is_allocated()
    {
        byte[] header = ReferenceCrc32C.Header(ulong.MaxValue - 3);
        using var reader = new TfRecordReader(new MemoryStream(header), options: new TfRecordReaderOptions { MaxRecordLength = long.MaxValue });

        var error = Assert.Throws<TfRecordFormatException>(() => reader.TryRead(out _));

        Assert.That(error.Kind, Is.EqualTo(TfRecordErrorKind.RecordTooLarge));
    }

    [Test]
    public void Forged_length_of_a_gibibyte_under_the_cap_is_a_truncated_record_without_allocating_it(
        [ValueSource(nameof(s_compressions))] TfRecordCompression compression,
        [Values] bool skipCorrupt,
        [Values(1 << 10, 1 << 20)] int bufferSize)
    {
        // A good record, then a header whose length (1 GiB) has a valid CRC and is under the cap, then 5000 bytes: the
        // file ends 1 GiB early. The reader may only find that out by reading, and must not allocate the gibibyte first.
        const long forged = 1L << 30;
        byte[] good = new byte[100];
        byte[] rest = new byte[5000];
        new Random(30).NextBytes(rest);
        byte[] raw = [.. ReferenceCrc32C.Frame(good), .. ReferenceCrc32C.Header(forged), .. rest];
        byte[] file = Records.Compressed(raw, compression);
        var options = new TfRecordReaderOptions { MaxRecordLength = 2 * forged, BufferSize = bufferSize, SkipCorrupt = skipCorrupt };

        // Warm up the pool and the decompressor's code paths, so that the measured read allocates only its own buffers.
        ReadToEnd(file, options);
        long before = GC.GetAllocatedBytesForCurrentThread();
        (int records, TfRecordFormatException? error, TfRecordSkip? skipped) = ReadToEnd(file, options);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        TfRecordFormatException reported = (skipCorrupt ? skipped?.Error : error) ?? throw new AssertionException("no error reported");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(records, Is.EqualTo(1));
            Assert.That(reported.Kind, Is.EqualTo(TfRecordErrorKind.Truncated));
            Assert.That(reported.Offset, Is.EqualTo(116), "the damaged record's start");
            Assert.That(skipped?.BytesSkipped, Is.EqualTo(skipCorrupt ? 12 + rest.Length : null));

            // At most the normal buffer and a few times the bytes that are there, nowhere near the gibibyte declared.
            Assert.That(allocated, Is.LessThan(bufferSize + (8 * raw.Length) + (256 << 10)), $"allocated {allocated} bytes");
        }
    }

    [Test]
    public void Record_larger_than_the_buffer_grows_it_as_its_bytes_arrive([Values(1, 5, 4096)] int bufferSize)
    {
        byte[] large = new byte[3 << 20];
        new Random(3).NextBytes(large);
        byte[] file = Records.Write([new byte[10], large, new byte[7]]);
        using var reader = new TfRecordReader(new TrickleStream(file, 100_000), "large", new TfRecordReaderOptions { BufferSize = bufferSize });

        Assert.That(Records.ReadAll(reader).Select(p => p.Length), Is.EqualTo(new[] { 10, 3 << 20, 7 }));
    }

    private static (int Records, TfRecordFormatException? Error, TfRecordSkip? Skipped) ReadToEnd(byte[] file, TfRecordReaderOptions options)
    {
        int records = 0;
        using var reader = new TfRecordReader(new MemoryStream(file, writable: false), "forged", options);
        try
        {
            while (reader.TryRead(out _))
            {
                records++;
            }
        }
        catch (TfRecordFormatException e)
        {
            return (records, e, null);
        }

        return (records, null, reader.Skipped);
    }

    [Test]
    public void File_shorter_than_a_header_is_a_truncated_record_at_0()
    {
        using var reader = new TfRecordReader(new MemoryStream([1, 2, 3, 4, 5]));

        var error = Assert.Throws<TfRecordFormatException>(() => reader.TryRead(out _));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Kind, Is.EqualTo(TfRecordErrorKind.Truncated));
            Assert.That(error.Offset, Is.Zero);
            Assert.That(error.FilePath, Is.Null);
            Assert.That(error.Message, Does.Contain("<stream>"));
        }
    }

    [Test]
    public void Empty_compressed_files_have_no_records([ValueSource(nameof(s_compressions))] TfRecordCompression compression)
    {
        byte[] file = Records.Write([], compression);
        using var reader = new TfRecordReader(new TrickleStream(file), options: new TfRecordReaderOptions { BufferSize = 1 });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reader.TryRead(out _), Is.False);
            Assert.That(reader.Skipped, Is.Null);
        }
    }

    /// <summary>Records of many sizes: empty, tiny, just over the small buffers, and large (several KiB).</summary>
    internal static List<byte[]> SamplePayloads()
    {
        var rng = new Random(4);
        var payloads = new List<byte[]>();
        foreach (int size in new[] { 0, 1, 5, 11, 12, 13, 16, 17, 0, 100, 4000, 20000, 3 })
        {
            var payload = new byte[size];
            rng.NextBytes(payload);
            payloads.Add(payload);
        }

        return payloads;
    }

    private static List<long> ExpectedOffsets(List<byte[]> payloads)
    {
        var offsets = new List<long>();
        long offset = 0;
        foreach (byte[] payload in payloads)
        {
            offsets.Add(offset);
            offset += payload.Length + 16;
        }

        return offsets;
    }
}
