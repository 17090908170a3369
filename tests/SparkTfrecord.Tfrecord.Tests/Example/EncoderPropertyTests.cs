using Google.Protobuf;
using SparkTfrecord.Tfrecord.Example;
using SparkTfrecord.Tfrecord.Tests.Support;

namespace SparkTfrecord.Tfrecord.Tests.Example;

/// <summary>
/// Differential property tests, fixed seeds: for thousands of random Examples and SequenceExamples the span
/// encoders give exactly the bytes Google.Protobuf serializes for the same message with the same key order. The
/// reference is the entries-form mirror (tests' example_entries.proto), which writes every key, "" included, as
/// TensorFlow needs; where names are distinct and not "", the real map-form message must agree as well.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class EncoderPropertyTests
{
    private const int Cases = 3000;

    [Test]
    public void Example_encoder_matches_Google_Protobuf_entries_form_for_random_examples()
    {
        var generator = new ExampleGenerator(20251127);
        var encoder = new ExampleEncoder(1); // reused, as a writer reuses it; it starts tiny so it has to grow
        for (int i = 0; i < Cases; i++)
        {
            ExampleModel model = generator.NextExample();
            encoder.Clear();
            ModelCodec.AddTo(encoder, model, generator.Random);
            byte[] payload = encoder.GetPayload().ToArray();
            byte[] record = encoder.GetRecord().ToArray();
            Assert.That(encoder.FeatureCount, Is.EqualTo(model.Features.Count), $"case {i}");

            byte[] expected = ModelCodec.ToEntries(model).ToByteArray();
            Bytes.AssertEqual(payload, expected, () => $"case {i}: {model}");
            Bytes.AssertEqual(record, ReferenceCrc32C.Frame(expected), () => $"case {i}: framed record");
        }
    }

    [Test]
    public void Example_encoder_matches_Google_Protobuf_map_form_when_names_are_distinct_and_not_empty()
    {
        var generator = new ExampleGenerator(77) { AllowDuplicateNames = false, AllowEmptyName = false };
        var encoder = new ExampleEncoder();
        for (int i = 0; i < Cases; i++)
        {
            ExampleModel model = generator.NextExample();
            encoder.Clear();
            ModelCodec.AddTo(encoder, model, generator.Random);

            byte[] expected = ModelCodec.ToMap(model).ToByteArray();
            Bytes.AssertEqual(encoder.GetPayload(), expected, () => $"case {i}: {model}");
        }
    }

    [Test]
    public void Sequence_encoder_matches_Google_Protobuf_entries_form_for_random_sequence_examples()
    {
        var generator = new ExampleGenerator(424242);
        var encoder = new SequenceExampleEncoder();
        for (int i = 0; i < Cases; i++)
        {
            SequenceExampleModel model = generator.NextSequenceExample();
            encoder.Clear();
            ModelCodec.AddTo(encoder, model);
            byte[] payload = encoder.GetPayload().ToArray();

            byte[] expected = ModelCodec.ToEntries(model).ToByteArray();
            Bytes.AssertEqual(payload, expected, () => $"case {i}: {model}");
            Bytes.AssertEqual(encoder.GetRecord(), ReferenceCrc32C.Frame(expected), () => $"case {i}: framed record");
        }
    }

    [Test]
    public void Sequence_encoder_matches_Google_Protobuf_map_form_when_names_are_distinct_and_not_empty()
    {
        var generator = new ExampleGenerator(99) { AllowDuplicateNames = false, AllowEmptyName = false };
        var encoder = new SequenceExampleEncoder();
        for (int i = 0; i < Cases / 3; i++)
        {
            SequenceExampleModel model = generator.NextSequenceExample();
            encoder.Clear();
            ModelCodec.AddTo(encoder, model);

            byte[] expected = ModelCodec.ToMap(model).ToByteArray();
            Bytes.AssertEqual(encoder.GetPayload(), expected, () => $"case {i}: {model}");
        }
    }

    [Test]
    public void Google_Protobuf_map_form_leaves_the_empty_key_out_and_our_encoder_writes_it()
    {
        var model = new ExampleModel([new("", FeatureModel.Of(1L))]);
        var encoder = new ExampleEncoder();
        ModelCodec.AddTo(encoder, model);

        byte[] csharpStyle = Records.ReadFile(SharedFixtures.Tfrecord("synthetic/empty_key_csharp_style.tfrecord")).Single();
        byte[] pythonStyle = Records.ReadFile(SharedFixtures.Tfrecord("synthetic/empty_key_python_style.tfrecord")).Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ModelCodec.ToMap(model).ToByteArray(), Is.EqualTo(csharpStyle), "Google.Protobuf's map codec drops the default key");
            Assert.That(ModelCodec.ToEntries(model).ToByteArray(), Is.EqualTo(pythonStyle), "the entries mirror writes it");
            Assert.That(encoder.GetPayload().ToArray(), Is.EqualTo(pythonStyle), "our encoder writes it, as TensorFlow needs");
        }
    }

    [Test]
    public void Framed_record_is_right_when_the_payload_exactly_fills_the_encoder_s_buffer()
    {
        // The trailing CRC needs 4 bytes past the payload: sweep initial capacities and sizes so that some records
        // end exactly at the end of the buffer and the CRC makes it grow.
        var key = new FeatureKey("k");
        for (int capacity = 64; capacity <= 200; capacity++)
        {
            for (int size = 0; size <= 200; size++)
            {
                var encoder = new ExampleEncoder(capacity);
                encoder.AddBytes(key, new byte[size]);
                byte[] payload = encoder.GetPayload().ToArray();
                Bytes.AssertEqual(encoder.GetRecord(), ReferenceCrc32C.Frame(payload), () => $"capacity {capacity}, size {size}");
                Bytes.AssertEqual(encoder.GetPayload(), payload, () => $"capacity {capacity}, size {size}: payload after GetRecord");
            }
        }
    }

    [Test]
    public void Framed_sequence_record_is_right_around_the_encoder_s_initial_buffer_size()
    {
        var key = new FeatureKey("k");
        var encoder = new SequenceExampleEncoder();
        for (int size = 1900; size <= 2100; size++)
        {
            var fresh = new SequenceExampleEncoder();
            foreach (SequenceExampleEncoder e in new[] { encoder, fresh })
            {
                e.Clear();
                e.AddBytesList(key, [new byte[size]]);
                byte[] payload = e.GetPayload().ToArray();
                Bytes.AssertEqual(e.GetRecord(), ReferenceCrc32C.Frame(payload), () => $"size {size}");
            }
        }
    }

    [Test]
    public void Empty_example_still_has_its_features_field()
    {
        var encoder = new ExampleEncoder();

        Assert.That(encoder.GetPayload().ToArray(), Is.EqualTo(new byte[] { 0x0a, 0x00 }));
    }

    [Test]
    public void Empty_sequence_example_still_has_context_and_feature_lists()
    {
        Assert.That(new SequenceExampleEncoder().GetPayload().ToArray(), Is.EqualTo(new byte[] { 0x0a, 0x00, 0x12, 0x00 }));
    }

    [Test]
    public void Payload_is_recomputed_after_more_features_are_added()
    {
        var encoder = new ExampleEncoder();
        var a = new FeatureKey("a");
        encoder.AddInt64(a, 1);
        byte[] first = encoder.GetPayload().ToArray();
        _ = encoder.GetRecord();
        encoder.AddInt64(new FeatureKey("b"), 2);

        var expected = new ExampleModel([new("a", FeatureModel.Of(1L)), new("b", FeatureModel.Of(2L))]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first, Is.EqualTo(ModelCodec.ToEntries(new ExampleModel([new("a", FeatureModel.Of(1L))])).ToByteArray()));
            Assert.That(encoder.GetPayload().ToArray(), Is.EqualTo(ModelCodec.ToEntries(expected).ToByteArray()));
            Assert.That(encoder.GetRecord().ToArray(), Is.EqualTo(ReferenceCrc32C.Frame(ModelCodec.ToEntries(expected).ToByteArray())));
        }
    }

    [Test]
    public void Feature_key_from_raw_bytes_writes_them_as_given()
    {
        byte[] name = [0xff, 0x00, 0x41];
        var encoder = new ExampleEncoder();
        encoder.AddInt64(new FeatureKey(name), 7);

        FeaturesView decoded = new ExampleDecoder().DecodeExample(encoder.GetPayload());

        Assert.That(decoded[0].Utf8Name.ToArray(), Is.EqualTo(name));
    }

    [Test]
    public void Encoders_refuse_null_elements_and_misuse()
    {
        var encoder = new ExampleEncoder();
        var sequence = new SequenceExampleEncoder();
        var key = new FeatureKey("k");

        using (Assert.EnterMultipleScope())
        {
            Assert.Throws<ArgumentException>(() => encoder.AddBytesList(key, [[1], null!]));
            Assert.Throws<ArgumentException>(() => encoder.AddStringList(key, ["a", null!]));
            Assert.Throws<ArgumentNullException>(() => encoder.AddInt64(null!, 1));
            Assert.Throws<ArgumentNullException>(() => _ = new FeatureKey((string)null!));
            Assert.Throws<InvalidOperationException>(() => sequence.AddInt64Frame([1]));
            Assert.Throws<InvalidOperationException>(sequence.EndFeatureList);
            sequence.BeginFeatureList(key);
            Assert.Throws<InvalidOperationException>(() => sequence.BeginFeatureList(key));
            Assert.Throws<InvalidOperationException>(() => sequence.GetPayload());
        }
    }
}
