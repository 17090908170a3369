using SparkTfrecord.Spec.Inference;
using SparkTfrecord.Tfrecord.Example;

namespace SparkTfrecord.Spec.Tests;

[TestFixture]
[Category("Fast")]
public sealed class SchemaInferenceTests
{
    [Test]
    public void Lists_of_exactly_one_value_are_scalars_and_others_arrays_as_the_connectors_infer()
    {
        var inference = new SchemaInference();
        var records = new DinRecords();
        for (int i = 0; i < 50; i++)
        {
            inference.Add(Payload(records.Record(i)));
        }

        Assert.That(inference.ToPrintSchema(), Is.EqualTo("""
            root
             |-- age: long (nullable = true)
             |-- clicked_items_15d: array (nullable = true)
             |    |-- element: string (containsNull = true)
             |-- device: string (nullable = true)
             |-- gender: string (nullable = true)
             |-- item_id: string (nullable = true)
             |-- label: long (nullable = true)
             |-- user_id: string (nullable = true)

            """.Replace("\r", "", StringComparison.Ordinal)));
    }

    [Test]
    public void Int64_and_float_widen_to_float_and_anything_with_bytes_to_string()
    {
        var inference = new SchemaInference();
        var encoder = new ExampleEncoder();
        encoder.AddInt64(new FeatureKey("n"), 1);
        encoder.AddInt64(new FeatureKey("s"), 1);
        inference.Add(encoder.GetPayload());
        encoder.Clear();
        encoder.AddFloat(new FeatureKey("n"), 1.5f);
        encoder.AddString(new FeatureKey("s"), "x");
        inference.Add(encoder.GetPayload());

        Assert.That(inference.ToPrintSchema(), Is.EqualTo("root\n |-- n: float (nullable = true)\n |-- s: string (nullable = true)\n"));
    }

    [Test]
    public void Draft_yaml_of_din_records_loads_as_a_spec_with_the_label_guessed()
    {
        var inference = new SchemaInference();
        var records = new DinRecords { Drop = (i, n) => n == "device" && i % 2 == 0 };
        for (int i = 0; i < 50; i++)
        {
            inference.Add(Payload(records.Record(i)));
        }

        string yaml = inference.ToDraftYaml("memory");
        FeatureSpec spec = SpecLoader.Parse(yaml, "draft.yaml");

        Assert.That(spec.Label.Name, Is.EqualTo("label"));
        Assert.That(spec.TryGetFeature("clicked_items_15d", out var history) && history.Shape == FeatureShape.Var, Is.True);
        Assert.That(spec.TryGetFeature("device", out var device) && !device.Required && Equals(device.Default, ""), Is.True, yaml);
    }

    private static byte[] Payload(ReadOnlySpan<byte> framedRecord) => framedRecord[12..^4].ToArray();
}
