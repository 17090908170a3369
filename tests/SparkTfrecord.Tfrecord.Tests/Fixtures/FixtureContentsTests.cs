using System.Text;
using SparkTfrecord.Tfrecord.Example;
using SparkTfrecord.Tfrecord.Framing;
using SparkTfrecord.Tfrecord.Tests.Support;
using Tf = SparkTfrecord.Tfrecord.Proto;

namespace SparkTfrecord.Tfrecord.Tests.Fixtures;

/// <summary>Every readable fixture reads with the contents shared/fixtures/README.md gives, written out here by hand.</summary>
[TestFixture]
[Category("Fast")]
public sealed class FixtureContentsTests
{
    private const uint Pi = 0x4048f5c3; // 3.14f

    private static readonly string[][] s_singles =
    [
        [F("int_feature", FeatureModel.Of(42L))],
        [F("float_feature", FeatureModel.OfFloatBits(Pi))],
        [F("byte_feature", FeatureModel.Of("@ABCD"u8.ToArray()))],
    ];

    /// <summary>tensorflow/ecosystem's golden file: feature "data" = [record number, a fixed random int64].</summary>
    internal static readonly long[][] EcosystemData =
    [
        [0, -6519408338692630574],
        [1, -897291810407650440],
        [2, -2627029093267243214],
        [3, 8452912497529882771],
        [4, 6197228047171027195],
    ];

    [Test]
    public void Singles_holds_the_three_examples_TensorFlow_wrote()
    {
        using var reader = TfRecordReader.Open(SharedFixtures.Tfrecord("pwnall/singles.tfrecords"));
        var decoded = new List<string[]>();
        var offsets = new List<long>();
        var decoder = new ExampleDecoder();
        while (reader.TryRead(out ReadOnlySpan<byte> payload))
        {
            decoded.Add(Describe.Of(decoder.DecodeExample(payload)));
            offsets.Add(reader.RecordOffset);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reader.Compression, Is.EqualTo(TfRecordCompression.None));
            Assert.That(decoded, Is.EqualTo(s_singles));
            Assert.That(offsets, Is.EqualTo(new long[] { 0, 40, 85 }));
            Assert.That(reader.RecordCount, Is.EqualTo(3));
            Assert.That(reader.Skipped, Is.Null);
        }
    }

    [Test]
    public void Data_tfrecord_from_the_JavaScript_writer_holds_answer_pi_and_name()
    {
        var decoded = Records.DecodeExamples(Records.ReadFile(SharedFixtures.Tfrecord("pwnall/data.tfrecord")));

        Assert.That(decoded, Is.EqualTo(new[]
        {
            new[] { F("answer", FeatureModel.Of(42L)), F("pi", FeatureModel.OfFloatBits(Pi)), F("name", FeatureModel.Of("ABC"u8.ToArray())) },
        }));
    }

    [TestCase("ecosystem/part-m-00000", TfRecordCompression.None)]
    [TestCase("ecosystem/part-m-00000.gz", TfRecordCompression.Gzip)]
    public void Ecosystem_golden_file_holds_five_int64_lists(string file, TfRecordCompression compression)
    {
        using var reader = TfRecordReader.Open(SharedFixtures.Tfrecord(file));
        var decoded = Records.DecodeExamples(Records.ReadAll(reader));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reader.Compression, Is.EqualTo(compression));
            Assert.That(decoded, Is.EqualTo(EcosystemData.Select(d => new[] { F("data", FeatureModel.Of(d)) })));
        }
    }

    [TestCase("synthetic/singles.tfrecords.gz", TfRecordCompression.Gzip)]
    [TestCase("synthetic/singles.tfrecords.zlib", TfRecordCompression.Zlib)]
    [TestCase("synthetic/singles_two_members.tfrecords.gz", TfRecordCompression.Gzip)]
    public void Compressed_singles_read_like_singles(string file, TfRecordCompression compression)
    {
        using var reader = TfRecordReader.Open(SharedFixtures.Tfrecord(file));
        var decoded = Records.DecodeExamples(Records.ReadAll(reader));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reader.Compression, Is.EqualTo(compression));
            Assert.That(decoded, Is.EqualTo(s_singles));
        }
    }

    [Test]
    public void Compression_given_explicitly_reads_the_same_as_detected()
    {
        var options = new TfRecordReaderOptions { Compression = TfRecordCompression.Zlib };

        var decoded = Records.DecodeExamples(Records.ReadFile(SharedFixtures.Tfrecord("synthetic/singles.tfrecords.zlib"), options));

        Assert.That(decoded, Is.EqualTo(s_singles));
    }

    [TestCase("penguin_data_Split-train_data_tfrecord-00000-of-00001.gz", 234)]
    [TestCase("penguin_data_Split-eval_data_tfrecord-00000-of-00001.gz", 100)]
    public void Penguin_data_from_TFX_reads_with_five_single_value_features(string file, int count)
    {
        var payloads = Records.ReadFile(SharedFixtures.Tfrecord("tfx-penguin/" + file));
        var decoder = new ExampleDecoder();
        var kinds = new Dictionary<string, FeatureKind>
        {
            ["body_mass_g"] = FeatureKind.Float,
            ["culmen_depth_mm"] = FeatureKind.Float,
            ["culmen_length_mm"] = FeatureKind.Float,
            ["flipper_length_mm"] = FeatureKind.Float,
            ["species"] = FeatureKind.Int64,
        };

        Assert.That(payloads, Has.Count.EqualTo(count));
        foreach (byte[] payload in payloads)
        {
            FeaturesView features = decoder.DecodeExample(payload);
            var seen = new Dictionary<string, FeatureKind>();
            var counts = new List<int>();
            foreach (FeatureView feature in features)
            {
                seen[feature.Name] = feature.Kind;
                counts.Add(feature.Count);
            }

            Assert.That(seen, Is.EquivalentTo(kinds));
            Assert.That(counts, Is.All.EqualTo(1));
            Assert.That(Describe.Of(decoder.DecodeExample(payload)), Is.EqualTo(Describe.Of(Tf.Example.Parser.ParseFrom(payload))));
        }
    }

    [Test]
    public void Penguin_first_eval_record_keeps_the_file_s_key_order_and_values()
    {
        byte[] first = Records.ReadFile(SharedFixtures.Tfrecord("tfx-penguin/penguin_data_Split-eval_data_tfrecord-00000-of-00001.gz"))[0];

        Assert.That(Describe.Of(new ExampleDecoder().DecodeExample(first)), Is.EqualTo(new[]
        {
            F("species", FeatureModel.Of(0L)),
            F("culmen_depth_mm", FeatureModel.OfFloatBits(0x3f0f3cf4)),
            F("culmen_length_mm", FeatureModel.OfFloatBits(0x3e7d3510)),
            F("body_mass_g", FeatureModel.OfFloatBits(0x3e838e39)),
            F("flipper_length_mm", FeatureModel.OfFloatBits(0x3e1c3411)),
        }));
    }

    [Test]
    public void Sequence_example_holds_the_movie_example()
    {
        // The README also names suggestion, suggestion_purchased and purchase_price, but the file (checked with
        // Google's Python runtime too) holds only these three feature lists.
        byte[] payload = Records.ReadFile(SharedFixtures.Tfrecord("synthetic/sequence_example.tfrecord")).Single();

        var decoded = Describe.Of(new ExampleDecoder().DecodeSequenceExample(payload));

        Assert.That(decoded, Is.EqualTo(new[]
        {
            "context " + F("age", FeatureModel.Of(19.0f)),
            "context " + F("locale", FeatureModel.OfStrings("pt_BR")),
        }
        .Concat(Describe.List("empty_list", []))
        .Concat(Describe.List("movie_names", [FeatureModel.OfStrings("The Shawshank Redemption").ToString(), FeatureModel.OfStrings("Fight Club").ToString()]))
        .Concat(Describe.List("movie_ratings", [FeatureModel.Of(4.5f).ToString(), FeatureModel.Of(5.0f).ToString()]))));
    }

    [Test]
    public void Sequence_example_view_exposes_names_counts_and_frames()
    {
        byte[] payload = Records.ReadFile(SharedFixtures.Tfrecord("synthetic/sequence_example.tfrecord")).Single();
        SequenceExampleView view = new ExampleDecoder().DecodeSequenceExample(payload);

        FeatureListView names = view.GetFeatureList(1);
        var titles = new List<string>();
        for (int i = 0; i < names.Count; i++)
        {
            foreach (ReadOnlySpan<byte> title in names[i].GetBytes())
            {
                titles.Add(Encoding.UTF8.GetString(title));
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(view.FeatureListCount, Is.EqualTo(3));
            Assert.That(view.GetFeatureList(0).Name, Is.EqualTo("empty_list"));
            Assert.That(view.GetFeatureList(0).Count, Is.Zero);
            Assert.That(names.Utf8Name.ToArray(), Is.EqualTo("movie_names"u8.ToArray()));
            Assert.That(titles, Is.EqualTo(new[] { "The Shawshank Redemption", "Fight Club" }));
            Assert.That(view.Context.TryGetFeature("age", out FeatureView age), Is.True);
            Assert.That(age.Kind, Is.EqualTo(FeatureKind.Float));
            Assert.That(view.Context.TryGetFeature("missing", out _), Is.False);
        }
    }

    [Test]
    public void Unpacked_lists_read_like_packed_ones()
    {
        var decoded = Records.DecodeExamples(Records.ReadFile(SharedFixtures.Tfrecord("synthetic/unpacked_lists.tfrecord")));

        Assert.That(decoded, Is.EqualTo(new[]
        {
            new[] { F("x", FeatureModel.OfFloatBits(Pi)) },
            new[] { F("i", FeatureModel.Of(42L, 1L)) },
        }));
    }

    [Test]
    public void Edge_values_read_bit_exact()
    {
        // The README names +/-Infinity; the file (also read with Google's Python runtime) holds NaN, +Infinity, -0.0.
        byte[] payload = Records.ReadFile(SharedFixtures.Tfrecord("synthetic/edge_values.tfrecord")).Single();

        var decoded = Describe.Of(new ExampleDecoder().DecodeExample(payload));

        Assert.That(decoded, Is.EqualTo(new[]
        {
            F("empty_bytes", FeatureModel.Of(Array.Empty<byte[]>())),
            F("empty_float", FeatureModel.Of(Array.Empty<float>())),
            F("empty_int64", FeatureModel.Of(Array.Empty<long>())),
            F("nan_inf", FeatureModel.OfFloatBits(0x7fc00000, 0x7f800000, 0x80000000)),
            F("neg", FeatureModel.Of(-1L, long.MinValue, long.MaxValue)),
            F("no_kind", FeatureModel.None),
        }));
    }

    [Test]
    public void Edge_values_views_report_kinds_and_counts()
    {
        byte[] payload = Records.ReadFile(SharedFixtures.Tfrecord("synthetic/edge_values.tfrecord")).Single();
        FeaturesView features = new ExampleDecoder().DecodeExample(payload);

        var floats = new List<float>();
        Assert.That(features.TryGetFeature("nan_inf"u8, out FeatureView nanInf), Is.True);
        foreach (float f in nanInf.GetFloats())
        {
            floats.Add(f);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(features.Count, Is.EqualTo(6));
            Assert.That(features[5].Kind, Is.EqualTo(FeatureKind.None));
            Assert.That(features[5].Count, Is.Zero);
            Assert.That(features[0].Kind, Is.EqualTo(FeatureKind.Bytes));
            Assert.That(features[0].Count, Is.Zero);
            Assert.That(float.IsNaN(floats[0]), Is.True);
            Assert.That(floats[1], Is.EqualTo(float.PositiveInfinity));
            Assert.That(float.IsNegative(floats[2]) && floats[2] == 0, Is.True, "-0.0 keeps its sign");
        }
    }

    [Test]
    public void Feature_view_refuses_values_of_another_kind()
    {
        byte[] payload = Records.ReadFile(SharedFixtures.Tfrecord("pwnall/singles.tfrecords"))[0];
        var decoder = new ExampleDecoder();

        Assert.Throws<InvalidOperationException>(() => decoder.DecodeExample(payload)[0].GetFloats());
        Assert.Throws<InvalidOperationException>(() => decoder.DecodeExample(payload)[0].GetBytes());
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = decoder.DecodeExample(payload)[1]);
    }

    [Test]
    public void Duplicate_key_keeps_the_last_value()
    {
        byte[] payload = Records.ReadFile(SharedFixtures.Tfrecord("synthetic/duplicate_key.tfrecord")).Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Describe.Of(new ExampleDecoder().DecodeExample(payload)), Is.EqualTo(new[] { F("d", FeatureModel.Of(2L)) }));
            Assert.That(Describe.Of(Tf.Example.Parser.ParseFrom(payload)), Is.EqualTo(new[] { F("d", FeatureModel.Of(2L)) }));
        }
    }

    [TestCase("synthetic/empty_key_csharp_style.tfrecord")]
    [TestCase("synthetic/empty_key_python_style.tfrecord")]
    public void Empty_key_reads_as_the_name_empty_string_in_both_styles(string file)
    {
        byte[] payload = Records.ReadFile(SharedFixtures.Tfrecord(file)).Single();
        FeaturesView features = new ExampleDecoder().DecodeExample(payload);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Describe.Of(features), Is.EqualTo(new[] { F("", FeatureModel.Of(1L)) }));
            Assert.That(features[0].Utf8Name.Length, Is.Zero);
            Assert.That(features.TryGetFeature("", out _), Is.True);
        }
    }

    [Test]
    public void Empty_file_has_no_records_and_no_damage()
    {
        using var reader = TfRecordReader.Open(SharedFixtures.Tfrecord("corrupt/empty.tfrecord"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reader.TryRead(out _), Is.False);
            Assert.That(reader.TryRead(out _), Is.False);
            Assert.That(reader.RecordCount, Is.Zero);
            Assert.That(reader.Skipped, Is.Null);
        }
    }

    [Test]
    public void Every_tfrecord_fixture_has_a_test()
    {
        // The files the tests in this folder, CorruptFixtureTests and GoldenWriterTests read. A fixture added to
        // shared/fixtures without a test here fails this test.
        string[] covered =
        [
            "corrupt/data_flipped_rec0.tfrecord", "corrupt/data_flipped_rec1.tfrecord", "corrupt/empty.tfrecord",
            "corrupt/len_crc_flipped.tfrecord", "corrupt/len_value_flipped.tfrecord", "corrupt/trailing_zero_bytes.tfrecord",
            "corrupt/truncated_in_data.tfrecord", "corrupt/truncated_in_header.tfrecord",
            "ecosystem/part-m-00000", "ecosystem/part-m-00000.gz",
            "pwnall/data.tfrecord", "pwnall/singles.tfrecords",
            "synthetic/duplicate_key.tfrecord", "synthetic/edge_values.tfrecord", "synthetic/empty_key_csharp_style.tfrecord",
            "synthetic/empty_key_python_style.tfrecord", "synthetic/sequence_example.tfrecord", "synthetic/singles.tfrecords.gz",
            "synthetic/singles.tfrecords.zlib", "synthetic/singles_two_members.tfrecords.gz", "synthetic/unpacked_lists.tfrecord",
            "tfx-penguin/penguin_data_Split-eval_data_tfrecord-00000-of-00001.gz",
            "tfx-penguin/penguin_data_Split-train_data_tfrecord-00000-of-00001.gz",
        ];
        string root = SharedFixtures.TfrecordFolder;

        var present = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => !f.EndsWith(".pbtxt", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

        Assert.That(present, Is.EqualTo(covered.Order(StringComparer.Ordinal)));
    }

    private static string F(string name, FeatureModel feature) => Describe.Named(name, feature.ToString());
}
