using System.Text.Json;
using System.Text.Json.Nodes;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Jobs;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Engine.Spark;
using SparkTfrecord.TestSupport;

namespace SparkTfrecord.Engine.Tests;

/// <summary>
/// The order, identity and time cases of tests/conformance (dedup-first-copy, row-identity, label-ties,
/// time-text-format, time-dst-*, key-text) on the embedded engine: the samples decoded from the TFRecords equal the
/// hand-computed expected.jsonl as a multiset, the counts match, and the rendered Spark script has (and lacks) the
/// constructs case.json names. (The conformance runner runs every case the same way; this keeps these cases checked
/// on this branch.)
/// </summary>
[TestFixture]
[Category("Fast")]
[Parallelizable(ParallelScope.None)]
public sealed class OrderConformanceCasesTests
{
    [TestCase("dedup-first-copy")]
    [TestCase("row-identity")]
    [TestCase("label-ties")]
    [TestCase("time-text-format")]
    [TestCase("time-dst-ambiguous")]
    [TestCase("time-dst-gap")]
    [TestCase("key-text")]
    public void TheCaseHoldsOnTheEmbeddedEngine(string name)
    {
        string folder = Repo.In("tests", "conformance", name);
        var spec = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "case.json")))!;
        var date = DateOnly.Parse((string)spec["date"]!, System.Globalization.CultureInfo.InvariantCulture);
        string output = Directory.CreateTempSubdirectory("sparktf-order-case-").FullName;
        try
        {
            var definition = JobDefinition.Load(Path.Combine(folder, "spec.yaml"));
            var summary = SamplesJob.Run(definition, new SamplesJobOptions
            {
                Date = date,
                Input = Path.Combine(folder, "input"),
                Output = Path.Combine(output, "out"),
                Engine = new Engines.DuckDbEngineOptions { Threads = 2, MemoryLimit = "512MB" },
            });

            var actual = TestLogs.ReadSamples(Path.Combine(output, "out")).Select(s => Canonical(s.Example)).Order(StringComparer.Ordinal).ToList();
            var expected = File.ReadAllLines(Path.Combine(folder, "expected.jsonl")).Where(l => l.Trim().Length > 0)
                .Select(l => Canonical(JsonNode.Parse(l)!.AsObject())).Order(StringComparer.Ordinal).ToList();
            Assert.That(actual, Is.EqualTo(expected), "the samples");
            foreach (var (count, value) in spec["counts"]!.AsObject())
            {
                Assert.That(summary.Counts.TryGetValue(count, out long v) ? v : 0, Is.EqualTo((long)value!), count);
            }

            var plan = JobPlan.Create(definition, date, Path.Combine(folder, "input"));
            string script = string.Join("\n", SparkScript.Render(plan, new SparkScriptOptions { Target = "/out" }).Statements);
            foreach (var has in spec["spark_has"]?.AsArray() ?? [])
            {
                Assert.That(script, Does.Contain((string)has!), "spark_has");
            }

            foreach (var lacks in spec["spark_lacks"]?.AsArray() ?? [])
            {
                Assert.That(script, Does.Not.Contain((string)lacks!), "spark_lacks");
            }
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    // A sample as sorted JSON: feature -> scalar (one value) or list.
    private static string Canonical(Tfrecord.Proto.Example example)
    {
        var o = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (name, f) in example.Features.Feature)
        {
            var values = f.KindCase switch
            {
                Tfrecord.Proto.Feature.KindOneofCase.Int64List => f.Int64List.Value.Select(v => (JsonNode?)JsonValue.Create(v)).ToList(),
                Tfrecord.Proto.Feature.KindOneofCase.FloatList => f.FloatList.Value.Select(v => (JsonNode?)JsonValue.Create((double)v)).ToList(),
                _ => f.BytesList.Value.Select(v => (JsonNode?)JsonValue.Create(v.ToStringUtf8())).ToList(),
            };
            o[name] = values.Count == 1 ? values[0] : new JsonArray([.. values]);
        }

        return JsonSerializer.Serialize(o);
    }

    private static string Canonical(JsonObject sample)
    {
        var o = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (name, value) in sample)
        {
            o[name] = value is JsonValue v && v.TryGetValue(out double d) && v.GetValueKind() == JsonValueKind.Number && d == Math.Floor(d) && !v.ToJsonString().Contains('.', StringComparison.Ordinal)
                ? JsonValue.Create((long)d)
                : value?.DeepClone();
        }

        return JsonSerializer.Serialize(o);
    }
}
