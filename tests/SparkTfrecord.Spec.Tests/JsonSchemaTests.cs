using System.Text.Json;
using SparkTfrecord.Spec.Loading;

namespace SparkTfrecord.Spec.Tests;

/// <summary>The editors' JSON Schema (conf/feature-spec.schema.json) names the same keys and words as the loader.</summary>
[TestFixture]
[Category("Fast")]
public sealed class JsonSchemaTests
{
    private static readonly JsonElement s_schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.Root, "conf", "feature-spec.schema.json"))).RootElement;

    private static IEnumerable<string> Keys(JsonElement obj) => obj.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order();

    private static JsonElement Definition(string name) => s_schema.GetProperty("definitions").GetProperty(name);

    [Test]
    public void Schema_keys_are_the_loaders_keys()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Keys(s_schema), Is.EqualTo(SpecReader.s_topKeys.Order()));
            Assert.That(Keys(Definition("feature")), Is.EqualTo(SpecReader.s_featureKeys.Order()));
            Assert.That(Keys(Definition("train")), Is.EqualTo(SpecReader.s_trainKeys.Order()));
            Assert.That(Keys(Definition("cross")), Is.EqualTo(SpecReader.s_crossKeys.Order()));
        });
    }

    [Test]
    public void Schema_enumerations_are_the_loaders_words()
    {
        JsonElement props = Definition("feature").GetProperty("properties");

        Assert.That(props.GetProperty("dtype").GetProperty("enum").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(SpecReader.s_dtypes));
        Assert.That(props.GetProperty("role").GetProperty("enum").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(SpecReader.s_roles));
    }

    [TestCase("din.yaml")]
    [TestCase("wide_deep.yaml")]
    public void Conf_specs_point_editors_at_the_schema(string name)
    {
        Assert.That(File.ReadLines(Repo.Conf(name)).First(), Is.EqualTo("# yaml-language-server: $schema=feature-spec.schema.json"));
    }
}
