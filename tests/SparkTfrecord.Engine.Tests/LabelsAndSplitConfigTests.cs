using SparkTfrecord.Engine.Config;
using SparkTfrecord.Spec;

namespace SparkTfrecord.Engine.Tests;

/// <summary>
/// Issue 13's job keys (labels, sampling.weight, sampling.split) read from conf/multitask.yaml, and each mistake in them
/// refused with its file:line:column and what to do.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class LabelsAndSplitConfigTests
{
    private static readonly string s_multitask = File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "..", "..", "conf", "multitask.yaml"));

    private static JobConfig Read(string yaml) => JobDefinition.FromSpec(SpecLoader.Parse(yaml, "spec.yaml")).Job;

    [Test]
    public void The_example_reads_as_three_labels_a_weight_and_a_time_split()
    {
        var job = Read(s_multitask);

        Assert.That(job.Labels.Select(l => l.Feature), Is.EqualTo(new[] { "click", "cart", "buy" }));
        Assert.That(job.LabelFeature, Is.EqualTo("click"));
        Assert.That(job.Labels[1].Filter.Single(), Is.EqualTo(new LabelFilter("behavior", ["cart", "buy"])).Using<LabelFilter>((a, b) => a.Column == b.Column && a.Values.SequenceEqual(b.Values)));
        Assert.That(job.Sampling.Weight, Is.EqualTo("sample_weight"));
        Assert.That(job.Sampling.TimeSplit, Is.EqualTo(new TimeSplit(new TimeOnly(18, 0), null)));
        Assert.That(job.Sampling.HasEval, Is.True);
    }

    [TestCase("    primary: click\n", "", "31", "say which one negative down-sampling")]
    [TestCase("    primary: click\n", "    primary: bogus\n", "31", "primary 'bogus' is not one of the labels: click, cart, buy")]
    [TestCase("  history:\n", "  label: {events: clicks, match: [request_id], within: 30m}\n  history:\n", "31", "both label: and labels:")]
    [TestCase("    split: {by: time, eval_from: \"18:00\"}\n", "    split: {by: time, eval_from: \"18:00\"}\n    eval_fraction: 0.1\n", "44", "eval_fraction is the hash split's")]
    [TestCase("eval_from: \"18:00\"", "eval_from: \"24:00\"", "43", "is not a time of day")]
    [TestCase("eval_from: \"18:00\"", "eval_last: 2d", "43", "longer than a day")]
    [TestCase("eval_from: \"18:00\"", "by_hour: 18", "43", "by_hour")]
    [TestCase("negative_rate: 0.25", "negative_rate: 0", "42", "negative_rate 0 keeps none")]
    [TestCase("filter: {behavior: [buy]}", "filter: {behavior: buy}", "34", "takes a list of the values that count")]
    public void A_mistake_is_refused_with_its_place(string from, string to, string line, string message)
    {
        Assert.That(s_multitask, Does.Contain(from));
        var e = Assert.Throws<JobConfigException>(() => Read(s_multitask.Replace(from, to, StringComparison.Ordinal)))!;

        Assert.That(e.Message, Does.Match($"^spec\\.yaml:{line}:[0-9]+: ").And.Contain(message));
    }
}
