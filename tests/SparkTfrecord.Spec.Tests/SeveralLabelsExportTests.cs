using SparkTfrecord.Spec.Exports;

namespace SparkTfrecord.Spec.Tests;

/// <summary>
/// Issue 13: conf/multitask.yaml's three labels and its sample weight (job.sampling.weight) reach the spec model, the
/// normalized description (so the spec hash) and the tf-python export, whose split_label the Python tests run.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class SeveralLabelsExportTests
{
    [Test]
    public void Three_labels_and_the_weight_are_in_the_model_the_description_and_the_export()
    {
        FeatureSpec spec = SpecLoader.Parse(File.ReadAllText(Repo.Conf("multitask.yaml")), "conf/multitask.yaml");

        Assert.That(spec.Labels.Select(l => l.Name), Is.EqualTo(new[] { "click", "cart", "buy" }));
        Assert.That(spec.Label.Name, Is.EqualTo("click"));
        Assert.That(spec.Weight?.Name, Is.EqualTo("sample_weight"));
        Assert.That(spec.ToCanonicalJson(), Does.EndWith(",\"spec\":1,\"weight\":\"sample_weight\"}"));
        string module = SpecExports.ToTfPython(spec);
        Assert.That(module, Does.Contain("\nLABELS = [\"click\", \"cart\", \"buy\"]\n").And.Contain("\nWEIGHT = \"sample_weight\"\n"));
    }

    [Test]
    public void A_spec_without_a_weight_keeps_its_description()
    {
        FeatureSpec din = SpecLoader.Parse(File.ReadAllText(Repo.Conf("din.yaml")), "conf/din.yaml");

        Assert.That(din.Weight, Is.Null);
        Assert.That(din.ToCanonicalJson(), Does.Not.Contain("\"weight\""));
        Assert.That(SpecExports.ToTfPython(din), Does.Contain("\nWEIGHT = None\n"));
    }
}
