using Google.Protobuf;
using SparkTfrecord.Spec.Tfdv;
using SparkTfrecord.Spec.Tfdv.Proto;

namespace SparkTfrecord.Spec.Tests;

/// <summary>The protobuf text-format reader: the penguin schema's contents and the messages for invalid text (its agreement with protoc: <see cref="ProtocAgreementTests"/>).</summary>
[TestFixture]
[Category("Fast")]
public sealed class ProtoTextTests
{
    [Test]
    public void Penguin_schema_has_five_required_scalar_features()
    {
        Schema schema = ProtoText.Parse<Schema>(File.ReadAllText(Path.Combine(SharedFixtures.TfrecordFolder, "tfx-penguin", "penguin_schema_schema.pbtxt")));

        Assert.That(schema.Feature.Select(f => f.Name), Is.EqualTo(new[] { "body_mass_g", "culmen_depth_mm", "culmen_length_mm", "flipper_length_mm", "species" }));
        Assert.That(schema.Feature.All(f => f.Presence.MinFraction == 1.0 && f.Shape.Dim.Single().Size == 1), Is.True);
        Assert.That(schema.Feature[4].Type, Is.EqualTo(FeatureType.Int));
    }

    [TestCase("feature { nam: \"x\" }", 1, 11, "message Feature has no field named 'nam'")]
    [TestCase("feature {\n  name: \"x\"\n  name: \"y\"\n}", 3, 3, "non-repeated field 'name' is specified more than once")]
    [TestCase("feature { shape { } value_count { } }", 1, 21, "field 'value_count' is specified along with field 'shape', another member of oneof 'shape_type'")]
    [TestCase("feature { type: NUMBER }", 1, 17, "enum FeatureType of field 'type' has no value named 'NUMBER'")]
    [TestCase("feature { presence { min_count: 1.5 } }", 1, 33, "field 'min_count' takes an integer, not '1.5'")]
    [TestCase("feature { name: x }", 1, 17, "field 'name' takes a quoted string, not 'x'")]
    [TestCase("feature { name: \"x }", 1, 17, "a string is not closed on its line")]
    [TestCase("feature { name: \"x\"", 1, 20, "the text ends before '}'")]
    [TestCase("[ext.field] { }", 1, 1, "extensions and Any expansions ([...]) are not supported")]
    [TestCase("feature { int_domain { min: 9223372036854775808 } }", 1, 29, "9223372036854775808 is out of range for field 'min'")]
    [TestCase("feature { name \"x\" }", 1, 16, "expected ':' after field 'name'")]
    public void Invalid_text_is_refused_with_line_column_and_reason(string text, int line, int column, string problem)
    {
        var e = Assert.Throws<FormatException>(() => ProtoText.Parse<Schema>(text, "s.pbtxt"))!;

        Assert.That(e.Message, Does.StartWith($"s.pbtxt:{line}:{column}: {problem}"));
    }
}
