using System.Diagnostics;
using Google.Protobuf;
using SparkTfrecord.Tfrecord.Example;
using SparkTfrecord.Tfrecord.Framing;
using SparkTfrecord.Tfrecord.Tests.Support;
using Tf = SparkTfrecord.Tfrecord.Proto;

namespace SparkTfrecord.Tfrecord.Tests.Fuzzing;

/// <summary>
/// Seeded fuzzing of the reader and the decoder: damaged files, damaged payloads behind valid CRCs, and damaged
/// gzip and zlib streams. Each case may fail only with <see cref="TfRecordFormatException"/>: no other exception, no
/// hang (each case is timed, and the whole run has a deadline), and no allocation beyond a cap tied to the reader's
/// maximum record length. Where both Google.Protobuf and our decoder accept a damaged payload, they must agree on it.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class FuzzTests
{
    private const int MaxRecordLength = 16 << 10;

    // Per case: the reader's buffer grows at most to about twice the cap, the decoder's tables are warm, and GZipStream
    // and ZLibStream keep their windows in native memory; a reader that trusted a damaged length would blow this.
    private const long AllocationCap = (4 * MaxRecordLength) + (64 << 10);

    // A hang guard, not a speed target: a case takes microseconds, so only a loop that never ends (or a pathological
    // blow-up) gets near it, even on a loaded CI machine where a GC pause or a JIT tier-up can take a second.
    private static readonly TimeSpan s_perCase = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(300);

    private ExampleDecoder _decoder = null!;
    private FuzzStats _stats = null!;

    [SetUp]
    public void CreateDecoder()
    {
        _decoder = new ExampleDecoder();
        _stats = new FuzzStats();
    }

    [TearDown]
    public void Report() => TestContext.Out.WriteLine(_stats);

    [Test]
    public void Damaged_files_fail_only_with_TfRecordFormatException()
    {
        var files = SeedFiles();
        RunCases(seed: 1001, cases: 4000, (rng, i) =>
        {
            byte[] file = Mutator.Mutate(files[rng.Next(files.Count)], rng);
            if (rng.Next(5) == 0)
            {
                ForgeFirstLength(file, rng);
            }

            ReadAndDecode(file, Options(rng), i);
        });

        // The mutations must reach every kind of framing damage, and leave some files readable.
        Assert.That(_stats.Outcomes.Keys, Is.SupersetOf(new[] { "clean end", "threw CorruptLength", "threw CorruptData", "threw Truncated", "threw RecordTooLarge", "skipped CorruptData" }));
    }

    [Test]
    public void Damaged_payloads_behind_valid_crcs_fail_only_with_TfRecordFormatException_and_agree_with_Google_Protobuf()
    {
        var payloads = SeedPayloads();
        int bothAccepted = 0;
        RunCases(seed: 2002, cases: 6000, (rng, i) =>
        {
            byte[] payload = Mutator.Mutate(payloads[rng.Next(payloads.Count)], rng);
            if (payload.Length > MaxRecordLength)
            {
                payload = payload[..MaxRecordLength];
            }

            byte[] file = ReferenceCrc32C.FrameAll([payload, payload]);
            int decoded = ReadAndDecode(file, Options(rng), i);
            Assert.That(decoded, Is.EqualTo(2), $"case {i}: both records pass the framing");
            bothAccepted += CompareWithGoogle(payload, i);
        });

        // The comparison must not be vacuous: many damaged payloads are still valid protobuf.
        TestContext.Out.WriteLine($"{bothAccepted} damaged payloads were accepted by both decoders as Examples");
        Assert.That(bothAccepted, Is.GreaterThan(1000));
    }

    [Test]
    public void Damaged_gzip_and_zlib_streams_fail_only_with_TfRecordFormatException()
    {
        var files = SeedFiles();
        var compressed = files.SelectMany(f => new[] { Records.Compress(f, TfRecordCompression.Gzip), Records.Compress(f, TfRecordCompression.Zlib) }).ToList();
        compressed.Add(SharedFixtures.Read("synthetic/singles_two_members.tfrecords.gz"));
        compressed.Add(SharedFixtures.Read("ecosystem/part-m-00000.gz"));
        RunCases(seed: 3003, cases: 3000, (rng, i) =>
        {
            byte[] file = Mutator.Mutate(compressed[rng.Next(compressed.Count)], rng);
            ReadAndDecode(file, Options(rng), i);
        });

        Assert.That(_stats.Outcomes.Keys, Is.SupersetOf(new[] { "clean end", "threw CorruptCompression", "skipped CorruptCompression" }));
    }

    /// <summary>
    /// Gives the first record a random length with a valid CRC, as a writer with a bug might: lengths just under, at
    /// and over the cap, and near 2^64, which the reader must refuse or find truncated without allocating them.
    /// </summary>
    private static void ForgeFirstLength(byte[] file, Random rng)
    {
        if (file.Length < 12)
        {
            return;
        }

        ulong length = rng.Next(4) switch
        {
            0 => (ulong)rng.Next(MaxRecordLength - 64, MaxRecordLength + 64),
            1 => (ulong)rng.NextInt64(long.MaxValue) << rng.Next(2),
            2 => ulong.MaxValue - (ulong)rng.Next(100),
            _ => (ulong)rng.Next(file.Length + 64),
        };
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(file, length);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), ReferenceCrc32C.Masked(file.AsSpan(0, 8)));
    }

    /// <summary>Reads every record and decodes it both ways; returns how many records were read.</summary>
    private int ReadAndDecode(byte[] file, TfRecordReaderOptions options, int i)
    {
        var stream = new MemoryStream(file, writable: false);
        var clock = Stopwatch.StartNew();
        long before = GC.GetAllocatedBytesForCurrentThread();
        int records = 0;
        long checksum = 0;
        string outcome = "clean end";
        try
        {
            using var reader = new TfRecordReader(stream, "fuzz", options);
            while (reader.TryRead(out ReadOnlySpan<byte> payload))
            {
                if (++records > file.Length / 16)
                {
                    Assert.Fail($"case {i}: more records than the file can hold");
                }

                checksum += TryDecode(payload);
            }

            if (reader.Skipped is { } skipped)
            {
                outcome = "skipped " + skipped.Error.Kind;
                Assert.That(skipped.BytesSkipped, Is.GreaterThanOrEqualTo(-1), $"case {i}");
            }
        }
        catch (TfRecordFormatException e)
        {
            outcome = "threw " + e.Kind;
            Assert.That(options.SkipCorrupt, Is.False, $"case {i}: skip mode threw {e}");
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        TimeSpan elapsed = clock.Elapsed;
        Assert.That(allocated, Is.LessThanOrEqualTo(AllocationCap), $"case {i}: allocated {allocated} bytes for a {file.Length}-byte file ({checksum})");
        Assert.That(elapsed, Is.LessThan(s_perCase), $"case {i}: too slow");
        _stats.Record(outcome, records, allocated, elapsed);
        return records;
    }

    /// <summary>Decodes as an Example and as a SequenceExample, touching every value without allocating.</summary>
    private long TryDecode(ReadOnlySpan<byte> payload)
    {
        long sum = 0;
        try
        {
            sum += Touch(_decoder.DecodeExample(payload));
        }
        catch (TfRecordFormatException e) when (e.Kind == TfRecordErrorKind.InvalidPayload)
        {
            sum--;
        }

        try
        {
            SequenceExampleView sequence = _decoder.DecodeSequenceExample(payload);
            sum += Touch(sequence.Context);
            for (int l = 0; l < sequence.FeatureListCount; l++)
            {
                FeatureListView list = sequence.GetFeatureList(l);
                sum += list.Utf8Name.Length;
                for (int f = 0; f < list.Count; f++)
                {
                    sum += Touch(list[f]);
                }
            }
        }
        catch (TfRecordFormatException e) when (e.Kind == TfRecordErrorKind.InvalidPayload)
        {
            sum--;
        }

        return sum;
    }

    private static long Touch(FeaturesView features)
    {
        long sum = features.Count;
        foreach (FeatureView feature in features)
        {
            sum += feature.Utf8Name.Length + Touch(feature);
        }

        return sum;
    }

    private static long Touch(FeatureView feature)
    {
        long sum = feature.Count;
        switch (feature.Kind)
        {
            case FeatureKind.Int64:
                foreach (long v in feature.GetInt64s())
                {
                    sum += v;
                }

                break;
            case FeatureKind.Float:
                foreach (float v in feature.GetFloats())
                {
                    sum += BitConverter.SingleToInt32Bits(v);
                }

                break;
            case FeatureKind.Bytes:
                foreach (ReadOnlySpan<byte> v in feature.GetBytes())
                {
                    sum += v.Length;
                }

                break;
        }

        return sum;
    }

    /// <summary>Where Google.Protobuf and our decoder both accept the payload, their contents must be equal.</summary>
    private int CompareWithGoogle(byte[] payload, int i)
    {
        int both = 0;
        string[]? ours = Try(() => Describe.Of(_decoder.DecodeExample(payload)));
        string[]? google = TryGoogle(() => Describe.Of(Tf.Example.Parser.ParseFrom(payload)));
        if (ours is not null && google is not null)
        {
            Assert.That(ours, Is.EqualTo(google), $"case {i}: Example {Describe.Hex(payload)}");
            both++;
        }

        ours = Try(() => Describe.Of(_decoder.DecodeSequenceExample(payload)));
        google = TryGoogle(() => Describe.Of(Tf.SequenceExample.Parser.ParseFrom(payload)));
        if (ours is not null && google is not null)
        {
            Assert.That(ours, Is.EqualTo(google), $"case {i}: SequenceExample {Describe.Hex(payload)}");
        }

        return both;
    }

    private static string[]? Try(Func<string[]> decode)
    {
        try
        {
            return decode();
        }
        catch (TfRecordFormatException)
        {
            return null;
        }
    }

    private static string[]? TryGoogle(Func<string[]> parse)
    {
        try
        {
            return parse();
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    private static TfRecordReaderOptions Options(Random rng) => new()
    {
        MaxRecordLength = MaxRecordLength,
        BufferSize = rng.Next(3) == 0 ? rng.Next(1, 17) : rng.Next(17, 4096),
        SkipCorrupt = rng.Next(2) == 0,
    };

    /// <summary>Runs the cases on a worker with a deadline, so that a hang fails the test instead of stalling the run.</summary>
    private static void RunCases(int seed, int cases, Action<Random, int> run)
    {
        int current = -1;
        var rng = new Random(seed);
        var worker = Task.Factory.StartNew(() =>
        {
            for (int i = 0; i < cases; i++)
            {
                current = i;
                run(rng, i);
            }
        }, TaskCreationOptions.LongRunning);

        if (!worker.Wait(s_deadline))
        {
            Assert.Fail($"seed {seed}: case {Volatile.Read(ref current)} did not finish within {s_deadline}");
        }
    }

    private static List<byte[]> SeedFiles()
    {
        var files = new List<byte[]>
        {
            SharedFixtures.Read("pwnall/singles.tfrecords"),
            SharedFixtures.Read("pwnall/data.tfrecord"),
            SharedFixtures.Read("ecosystem/part-m-00000"),
            SharedFixtures.Read("synthetic/edge_values.tfrecord"),
            SharedFixtures.Read("synthetic/sequence_example.tfrecord"),
            SharedFixtures.Read("synthetic/unpacked_lists.tfrecord"),
            SharedFixtures.Read("synthetic/duplicate_key.tfrecord"),
            SharedFixtures.Read("synthetic/empty_key_csharp_style.tfrecord"),
        };
        files.Add(ReferenceCrc32C.FrameAll(SeedPayloads().Take(20)));
        return files;
    }

    /// <summary>Valid payloads of every shape: random Examples, SequenceExamples and unusual wire forms, kept small.</summary>
    private static List<byte[]> SeedPayloads()
    {
        var examples = new ExampleGenerator(11);
        var wire = new WireGenerator(12);
        var payloads = new List<byte[]>();
        var sequence = new SequenceExampleEncoder();
        while (payloads.Count < 300)
        {
            payloads.Add(ModelCodec.ToEntries(examples.NextExample()).ToByteArray());
            payloads.Add(wire.NextExample());
            payloads.Add(wire.NextSequenceExample());
            sequence.Clear();
            ModelCodec.AddTo(sequence, examples.NextSequenceExample());
            payloads.Add(sequence.GetPayload().ToArray());
        }

        return [.. payloads.Where(p => p.Length <= 4096)];
    }
}

/// <summary>What the fuzz cases did, for the test log and for checks that the mutations reach every path.</summary>
internal sealed class FuzzStats
{
    public Dictionary<string, int> Outcomes { get; } = [];

    public int Cases { get; private set; }

    public long Records { get; private set; }

    public long MaxAllocated { get; private set; }

    public TimeSpan Slowest { get; private set; }

    public void Record(string outcome, int records, long allocated, TimeSpan elapsed)
    {
        Cases++;
        Records += records;
        Outcomes[outcome] = Outcomes.GetValueOrDefault(outcome) + 1;
        MaxAllocated = Math.Max(MaxAllocated, allocated);
        Slowest = elapsed > Slowest ? elapsed : Slowest;
    }

    public override string ToString() =>
        $"{Cases} cases, {Records} records read, most allocated by one case {MaxAllocated} bytes, slowest case {Slowest.TotalMilliseconds:F1} ms; "
        + string.Join(", ", Outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}: {o.Value}"));
}
