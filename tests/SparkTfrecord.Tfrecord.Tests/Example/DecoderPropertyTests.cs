using Google.Protobuf;
using SparkTfrecord.Tfrecord.Example;
using SparkTfrecord.Tfrecord.Tests.Support;
using Tf = SparkTfrecord.Tfrecord.Proto;

namespace SparkTfrecord.Tfrecord.Tests.Example;

/// <summary>
/// Differential property tests, fixed seeds: the span decoder gives exactly what Google.Protobuf's parser gives
/// (same names in the same order, same kinds, values bit-exact), for payloads written the usual way and for the
/// unusual ways protobuf allows: unpacked and split lists, repeated <c>features</c> fields, repeated keys, lists of
/// the same kind repeated inside one Feature, another kind replacing a list, unknown fields and groups.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class DecoderPropertyTests
{
    private const int Cases = 3000;

    [Test]
    public void Decoder_matches_Google_Protobuf_on_entries_form_examples()
    {
        var generator = new ExampleGenerator(5150);
        var decoder = new ExampleDecoder();
        for (int i = 0; i < Cases; i++)
        {
            ExampleModel model = generator.NextExample();
            byte[] payload = ModelCodec.ToEntries(model).ToByteArray();

            string[] ours = Describe.Of(decoder.DecodeExample(payload));

            AssertSame(ours, Describe.Of(Tf.Example.Parser.ParseFrom(payload)), i, payload);
            AssertSame(ours, model.Expected(), i, payload);
        }
    }

    [Test]
    public void Decoder_matches_Google_Protobuf_on_map_form_examples_that_leave_the_empty_key_out()
    {
        var generator = new ExampleGenerator(6160) { AllowDuplicateNames = false };
        var decoder = new ExampleDecoder();
        for (int i = 0; i < Cases; i++)
        {
            ExampleModel model = generator.NextExample();
            byte[] payload = ModelCodec.ToMap(model).ToByteArray();

            string[] ours = Describe.Of(decoder.DecodeExample(payload));

            AssertSame(ours, Describe.Of(Tf.Example.Parser.ParseFrom(payload)), i, payload);
            AssertSame(ours, model.Expected(), i, payload);
        }
    }

    [Test]
    public void Decoder_matches_Google_Protobuf_on_sequence_examples()
    {
        var generator = new ExampleGenerator(7170);
        var decoder = new ExampleDecoder();
        for (int i = 0; i < Cases / 2; i++)
        {
            SequenceExampleModel model = generator.NextSequenceExample();
            byte[] payload = i % 2 == 0 ? ModelCodec.ToEntries(model).ToByteArray() : ModelCodec.ToMap(model).ToByteArray();

            string[] ours = Describe.Of(decoder.DecodeSequenceExample(payload));

            AssertSame(ours, Describe.Of(Tf.SequenceExample.Parser.ParseFrom(payload)), i, payload);
            AssertSame(ours, model.Expected(), i, payload);
        }
    }

    [Test]
    public void Decoder_matches_Google_Protobuf_on_unusual_wire_forms_of_examples()
    {
        var generator = new WireGenerator(8180);
        var decoder = new ExampleDecoder();
        for (int i = 0; i < 2 * Cases; i++)
        {
            byte[] payload = generator.NextExample();

            AssertSame(Describe.Of(decoder.DecodeExample(payload)), Describe.Of(Tf.Example.Parser.ParseFrom(payload)), i, payload);
        }
    }

    [Test]
    public void Decoder_matches_Google_Protobuf_on_unusual_wire_forms_of_sequence_examples()
    {
        var generator = new WireGenerator(9190);
        var decoder = new ExampleDecoder();
        for (int i = 0; i < 2 * Cases; i++)
        {
            byte[] payload = generator.NextSequenceExample();

            AssertSame(Describe.Of(decoder.DecodeSequenceExample(payload)), Describe.Of(Tf.SequenceExample.Parser.ParseFrom(payload)), i, payload);

            // Read as an Example, the feature lists are an unknown field and the context is the features.
            AssertSame(Describe.Of(decoder.DecodeExample(payload)), Describe.Of(Tf.Example.Parser.ParseFrom(payload)), i, payload);
        }
    }

    [Test]
    public void Bytes_runs_locate_the_values_Google_Protobuf_reads()
    {
        // BytesValues.GetRun tells where a feature's values lie in the payload, for a reader that copies the payload and
        // reads them later: read that way, from a copy, they must be Google.Protobuf's values in its order, for usual and
        // unusual wire forms (unpacked and split lists, repeated keys), in Examples and in a SequenceExample's frames.
        var wire = new WireGenerator(3131);
        var models = new ExampleGenerator(4141);
        var decoder = new ExampleDecoder();
        int values = 0;
        for (int i = 0; i < Cases; i++)
        {
            byte[] payload = i % 2 == 0 ? wire.NextExample() : ModelCodec.ToEntries(models.NextExample()).ToByteArray();
            byte[] copy = (byte[])payload.Clone();
            Tf.Example google = Tf.Example.Parser.ParseFrom(payload);
            foreach (FeatureView feature in decoder.DecodeExample(payload))
            {
                if (feature.Kind != FeatureKind.Bytes)
                {
                    continue;
                }

                string[] expected = [.. google.Features.Feature[feature.Name].BytesList.Value.Select(v => Convert.ToHexString(v.Span))];
                Assert.That(FromRuns(copy, feature.GetBytes()), Is.EqualTo(expected), $"case {i}, feature {feature.Name}: {Describe.Hex(payload)}");
                values += expected.Length;
            }
        }

        for (int i = 0; i < Cases / 2; i++)
        {
            byte[] payload = wire.NextSequenceExample();
            Tf.SequenceExample google = Tf.SequenceExample.Parser.ParseFrom(payload);
            SequenceExampleView record = decoder.DecodeSequenceExample(payload);
            for (int l = 0; l < record.FeatureListCount; l++)
            {
                FeatureListView list = record.GetFeatureList(l);
                for (int f = 0; f < list.Count; f++)
                {
                    FeatureView frame = list[f];
                    if (frame.Kind == FeatureKind.Bytes)
                    {
                        string name = System.Text.Encoding.UTF8.GetString(list.Utf8Name);
                        string[] expected = [.. google.FeatureLists.FeatureList[name].Feature[f].BytesList.Value.Select(v => Convert.ToHexString(v.Span))];
                        Assert.That(FromRuns(payload, frame.GetBytes()), Is.EqualTo(expected), $"sequence case {i}, list {name}, frame {f}");
                        values += expected.Length;
                    }
                }
            }
        }

        Assert.That(values, Is.GreaterThan(10_000), "values compared");
    }

    [Test]
    public void A_run_of_a_view_whose_decoder_has_moved_on_is_refused_rather_than_read_outside_its_payload()
    {
        var encoder = new ExampleEncoder();
        encoder.AddStringList(new FeatureKey("h"), ["item_000001", "item_000002", "item_000003"]);
        byte[] first = encoder.GetPayload().ToArray();
        encoder.Clear();
        encoder.AddString(new FeatureKey("h"), "x");
        byte[] shorter = encoder.GetPayload().ToArray();
        var decoder = new ExampleDecoder();
        FeaturesView features = decoder.DecodeExample(shorter);
        decoder.DecodeExample(first); // the view of `shorter` now sees first's runs, which lie past its end
        bool refused = false;
        try
        {
            features[0].GetBytes().GetRun(0);
        }
        catch (ArgumentOutOfRangeException)
        {
            refused = true;
        }

        Assert.That(refused, Is.True);
    }

    // The values read from a copy of the payload at the places the runs give.
    private static string[] FromRuns(byte[] payload, BytesValues values)
    {
        var read = new List<string>();
        for (int r = 0; r < values.RunCount; r++)
        {
            BytesRun run = values.GetRun(r);
            Assert.That(run.Stride, Is.Positive);
            Assert.That(run.LastStart, Is.GreaterThanOrEqualTo(run.Start));
            for (int at = run.Start; at <= run.LastStart; at += run.Stride)
            {
                read.Add(Convert.ToHexString(payload, at, run.Length));
            }
        }

        string[] enumerated = [.. EnumerateHex(values)];
        Assert.That(read, Is.EqualTo(enumerated), "the runs hold the values the enumerator gives");
        return [.. read];
    }

    private static List<string> EnumerateHex(BytesValues values)
    {
        var hex = new List<string>();
        foreach (ReadOnlySpan<byte> value in values)
        {
            hex.Add(Convert.ToHexString(value));
        }

        return hex;
    }

    [Test]
    public void Decoder_matches_Google_Protobuf_on_writer_layout_examples_near_the_fast_paths_limits()
    {
        // What the decoder's fast paths take: scalar features (one byte for every length), lists of values of one length
        // (a run) broken now and then by another length, int64 runs of 1 to 10 bytes, lengths either side of 127 and
        // 128 bytes, and names of 0 to 130 bytes, with the last feature of each kind at the payload's very end.
        var rng = new Random(2024);
        var decoder = new ExampleDecoder();
        var encoder = new ExampleEncoder();
        for (int i = 0; i < Cases; i++)
        {
            encoder.Clear();
            int features = rng.Next(1, 12);
            for (int f = 0; f < features; f++)
            {
                var key = new FeatureKey(new string((char)('a' + (f % 26)), rng.Next(3) == 0 ? rng.Next(0, 131) : rng.Next(1, 20)) + f.ToString(System.Globalization.CultureInfo.InvariantCulture));
                switch (rng.Next(6))
                {
                    case 0:
                        encoder.AddInt64(key, rng.Next(4) switch { 0 => rng.Next(0, 128), 1 => rng.NextInt64(), 2 => -rng.NextInt64(1, 1000), _ => 1L << rng.Next(63) });
                        break;
                    case 1:
                        encoder.AddInt64List(key, [.. Enumerable.Range(0, rng.Next(0, 12)).Select(_ => rng.Next(3) == 0 ? rng.NextInt64() : rng.Next(0, 300))]);
                        break;
                    case 2:
                        encoder.AddFloatList(key, [.. Enumerable.Range(0, rng.Next(0, 40)).Select(_ => (float)rng.NextDouble())]);
                        break;
                    case 3:
                        encoder.AddBytes(key, RandomBytes(rng, rng.Next(3) == 0 ? rng.Next(120, 140) : rng.Next(0, 30)));
                        break;
                    default:
                        int width = rng.Next(4) == 0 ? rng.Next(120, 135) : rng.Next(0, 20);
                        encoder.AddBytesList(key, [.. Enumerable.Range(0, rng.Next(0, 60)).Select(_ => RandomBytes(rng, rng.Next(8) == 0 ? rng.Next(0, 140) : width))]);
                        break;
                }
            }

            byte[] payload = encoder.GetPayload().ToArray();
            AssertSame(Describe.Of(decoder.DecodeExample(payload)), Describe.Of(Tf.Example.Parser.ParseFrom(payload)), i, payload);
        }
    }

    [Test]
    public void Every_one_byte_change_and_cut_of_writer_layout_examples_is_rejected_or_read_as_Google_Protobuf_reads_it()
    {
        // The fast paths check an entry's headers a word at a time and hand anything unexpected to the general path:
        // change each byte of a few writer-made Examples to values that matter (tags, one- and two-byte lengths) and cut
        // them at each byte. Our decoder may only throw its format exception, and where both parse, they must agree.
        var encoder = new ExampleEncoder();
        var decoder = new ExampleDecoder();
        var payloads = new List<byte[]>();
        encoder.AddInt64(new FeatureKey("label"), 1);
        encoder.AddString(new FeatureKey("user_id"), "u012345");
        encoder.AddInt64(new FeatureKey("age"), 300);
        encoder.AddFloatList(new FeatureKey("f"), [1.5f, -2f]);
        encoder.AddStringList(new FeatureKey("clicked_items_15d"), [.. Enumerable.Range(0, 12).Select(j => "item_" + (1_000_000 + j).ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        encoder.AddInt64(new FeatureKey("last"), -5);
        payloads.Add(encoder.GetPayload().ToArray());
        encoder.Clear();
        encoder.AddStringList(new FeatureKey("ids"), [.. Enumerable.Range(0, 3).Select(j => new string('x', 126 + j))]);
        encoder.AddInt64List(new FeatureKey("n"), [1, 2, 3, 127, 128]);
        payloads.Add(encoder.GetPayload().ToArray());

        byte[] replacements = [0x00, 0x01, 0x02, 0x04, 0x08, 0x0a, 0x12, 0x1a, 0x22, 0x7f, 0x80, 0x81, 0xff];
        int both = 0;
        foreach (byte[] original in payloads)
        {
            for (int pos = 0; pos < original.Length; pos++)
            {
                both += CompareWithGoogle(decoder, original[..pos]);
                foreach (byte value in replacements.Append((byte)(original[pos] + 1)).Append((byte)(original[pos] - 1)))
                {
                    byte[] changed = (byte[])original.Clone();
                    changed[pos] = value;
                    both += CompareWithGoogle(decoder, changed);
                }
            }
        }

        Assert.That(both, Is.GreaterThan(500), "changes that both parsers accept");
    }

    private static int CompareWithGoogle(ExampleDecoder decoder, byte[] payload)
    {
        string[]? ours;
        try
        {
            ours = Describe.Of(decoder.DecodeExample(payload));
        }
        catch (TfRecordFormatException e)
        {
            Assert.That(e.Kind, Is.EqualTo(TfRecordErrorKind.InvalidPayload), Describe.Hex(payload));
            Assert.That(e.Offset, Is.InRange(0, payload.Length), Describe.Hex(payload));
            ours = null;
        }

        string[]? google;
        try
        {
            google = Describe.Of(Tf.Example.Parser.ParseFrom(payload));
        }
        catch (InvalidProtocolBufferException)
        {
            google = null;
        }

        if (ours is null || google is null)
        {
            return 0;
        }

        AssertSame(ours, google, -1, payload);
        return 1;
    }

    private static byte[] RandomBytes(Random rng, int length)
    {
        var bytes = new byte[length];
        rng.NextBytes(bytes);
        return bytes;
    }

    [Test]
    public void Unpacked_and_split_lists_are_concatenated()
    {
        // int64_list: packed [1, 2], unpacked 3, packed [4]; float_list: unpacked 1.5, packed [2.5].
        byte[] payload = Example(Entry("i", Feature(3, Bytes(0x0a, 0x02, 0x01, 0x02, 0x08, 0x03, 0x0a, 0x01, 0x04))),
            Entry("f", Feature(2, Bytes([0x0d, .. BitConverter.GetBytes(1.5f), 0x0a, 0x04, .. BitConverter.GetBytes(2.5f)]))));

        AssertDecodes(payload, [N("i", FeatureModel.Of(1L, 2L, 3L, 4L)), N("f", FeatureModel.Of(1.5f, 2.5f))]);
    }

    [Test]
    public void Repeated_features_fields_merge_and_a_repeated_key_keeps_its_first_position_and_last_value()
    {
        byte[] first = Example(Entry("a", Feature(3, Bytes(0x0a, 0x01, 0x01))), Entry("b", Feature(3, Bytes(0x0a, 0x01, 0x02))));
        byte[] second = Example(Entry("c", Feature(3, Bytes(0x0a, 0x01, 0x03))), Entry("a", Feature(1, Bytes(0x0a, 0x01, 0x41))));

        AssertDecodes([.. first, .. second],
            [N("a", FeatureModel.Of("A"u8.ToArray())), N("b", FeatureModel.Of(2L)), N("c", FeatureModel.Of(3L))]);
    }

    [Test]
    public void A_list_of_the_same_kind_appends_and_another_kind_replaces()
    {
        // int64 [1], int64 [2] → [1, 2]; then float [0.5] replaces it; then int64 [3] replaces that again.
        byte[] sameKind = Concat(Feature(3, Bytes(0x0a, 0x01, 0x01)), Feature(3, Bytes(0x0a, 0x01, 0x02)));
        byte[] replaced = Concat(sameKind, Feature(2, Bytes([0x0a, 0x04, .. BitConverter.GetBytes(0.5f)])));
        byte[] back = Concat(replaced, Feature(3, Bytes(0x0a, 0x01, 0x03)));

        AssertDecodes(Example(Entry("s", sameKind), Entry("r", replaced), Entry("b", back)),
            [N("s", FeatureModel.Of(1L, 2L)), N("r", FeatureModel.Of(0.5f)), N("b", FeatureModel.Of(3L))]);
    }

    [Test]
    public void A_value_repeated_inside_one_entry_replaces_the_first()
    {
        // Each value field of a map entry is a fresh Feature: [1] then [2] gives [2], not [1, 2].
        byte[] entry = Concat(Key("k"), Value(Feature(3, Bytes(0x0a, 0x01, 0x01))), Value(Feature(3, Bytes(0x0a, 0x01, 0x02))));

        AssertDecodes(Example(entry), [N("k", FeatureModel.Of(2L))]);
    }

    [Test]
    public void An_entry_without_a_value_is_a_feature_with_no_kind_and_one_without_a_key_is_named_empty()
    {
        AssertDecodes(Example(Key("k"), Value(Feature(3, Bytes(0x0a, 0x01, 0x05)))), [N("k", FeatureModel.None), N("", FeatureModel.Of(5L))]);
    }

    [Test]
    public void Unknown_fields_and_groups_are_skipped_at_every_level()
    {
        byte[] noise = [0x28, 0x96, 0x01, 0x35, 1, 2, 3, 4, 0x39, 1, 2, 3, 4, 5, 6, 7, 8, 0x42, 0x02, 0xff, 0xfe, 0x4b, 0x08, 0x01, 0x4c];
        byte[] list = Concat(Bytes(0x0a, 0x01, 0x07), noise, Bytes(0x0d, 1, 2, 3, 4)); // a fixed32 under field 1 is unknown to Int64List
        byte[] feature = Concat(noise, Feature(3, list), noise);
        byte[] entry = Concat(noise, Key("k"), noise, Value(feature));
        byte[] features = Concat(noise, Bytes(0x0a), Varint(entry.Length), entry, noise);
        byte[] payload = Concat(noise, Bytes(0x0a), Varint(features.Length), features, noise);

        AssertDecodes(payload, [N("k", FeatureModel.Of(7L))]);
    }

    [Test]
    public void Invalid_payloads_are_rejected_with_an_offset_inside_the_payload()
    {
        var decoder = new ExampleDecoder();
        byte[][] invalid =
        [
            [0x0a, 0x05, 0x0a],               // features runs past the end
            [0x00],                           // field number 0
            [0x0a],                           // a length missing
            [0x0f],                           // wire type 7
            [0x0c],                           // an end-group without a start
            [0x0b, 0x10, 0x01],               // a group without its end
            [0x0a, 0x06, 0x0a, 0x04, 0x12, 0x02, 0x12, 0x01], // a float list of one byte
            [0x0a, 0x07, 0x0a, 0x05, 0x12, 0x03, 0x1a, 0x01, 0x80], // a packed varint cut short
            [0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], // an 11-byte varint
        ];
        foreach (byte[] payload in invalid)
        {
            var error = Assert.Throws<TfRecordFormatException>(() => decoder.DecodeExample(payload), Describe.Hex(payload));
            Assert.That(error.Kind, Is.EqualTo(TfRecordErrorKind.InvalidPayload));
            Assert.That(error.Offset, Is.InRange(0, payload.Length));
            Assert.Throws<InvalidProtocolBufferException>(() => Tf.Example.Parser.ParseFrom(payload), Describe.Hex(payload));
        }
    }

    private static void AssertDecodes(byte[] payload, NamedFeature[] expected)
    {
        string[] wanted = [.. expected.Select(f => f.ToString())];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Describe.Of(new ExampleDecoder().DecodeExample(payload)), Is.EqualTo(wanted), "our decoder");
            Assert.That(Describe.Of(Tf.Example.Parser.ParseFrom(payload)), Is.EqualTo(wanted), "Google.Protobuf");
        }
    }

    private static void AssertSame(string[] ours, string[] expected, int i, byte[] payload)
    {
        if (!ours.AsSpan().SequenceEqual(expected))
        {
            Assert.That(ours, Is.EqualTo(expected), $"case {i}, payload {Describe.Hex(payload)}");
        }
    }

    private static NamedFeature N(string name, FeatureModel feature) => new(name, feature);

    private static byte[] Bytes(params byte[] bytes) => bytes;

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    private static byte[] Varint(int value)
    {
        var bytes = new List<byte>();
        uint v = (uint)value;
        while (v >= 0x80)
        {
            bytes.Add((byte)(v | 0x80));
            v >>= 7;
        }

        bytes.Add((byte)v);
        return [.. bytes];
    }

    private static byte[] Field(int tag, byte[] body) => Concat([(byte)tag], Varint(body.Length), body);

    private static byte[] Feature(int kind, byte[] list) => Field((kind << 3) | 2, list);

    private static byte[] Key(string name) => Field(0x0a, System.Text.Encoding.UTF8.GetBytes(name));

    private static byte[] Value(byte[] feature) => Field(0x12, feature);

    private static byte[] Entry(string name, byte[] feature) => Concat(Key(name), Value(feature));

    /// <summary>An Example whose features are the given entry bodies.</summary>
    private static byte[] Example(params byte[][] entries) => Field(0x0a, Concat([.. entries.Select(e => Field(0x0a, e))]));
}
