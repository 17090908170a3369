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
