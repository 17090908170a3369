using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Engines;
using SparkTfrecord.Engine.Jobs;

namespace SparkTfrecord.Engine.Tests;

/// <summary>Clause key-text: keys are hashed as text, and a float or timestamp prints differently on Spark, so the
/// embedded engine refuses such a Parquet key column with a message naming it; an integer key column runs.</summary>
[TestFixture]
[Category("Fast")]
[Parallelizable(ParallelScope.None)]
public sealed class KeyColumnTypesTests
{
    private const string Spec = """
        spec: 1
        name: key_types
        features:
          - {name: label, dtype: int64, role: label}
          - {name: request_id, dtype: string, role: context}
        job:
          sources:
            impressions: {path: "{input}/impressions", format: parquet, time: {column: ts, unit: us, zone: UTC}, dedup: [request_id]}
            clicks:      {path: "{input}/clicks", format: jsonl, time: {column: ts, unit: us, zone: UTC}}
          timezone: UTC
          label: {events: clicks, match: [request_id], within: 30m}
          columns: {request_id: impressions.request_id}
          output: {shards: 1, compression: none}
        """;

    [TestCase("1.5::DOUBLE", "DOUBLE")]
    [TestCase("1.5::FLOAT", "FLOAT")]
    [TestCase("TIMESTAMP '2024-01-15 10:00:00'", "TIMESTAMP")]
    [TestCase("TIMESTAMPTZ '2024-01-15 10:00:00+00'", "TIMESTAMP WITH TIME ZONE")]
    public void AFloatOrTimestampKeyColumnIsRefused(string value, string type)
    {
        string root = Write(value);
        try
        {
            var e = Assert.Throws<InputDataException>(() => Run(root));
            Assert.That(e!.Problem, Is.EqualTo(InputProblem.KeyColumnType));
            Assert.That(e.Message, Does.Contain($"key column 'request_id' is {type}").And.Contain("hashed as text"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public void AnIntegerKeyColumnRuns()
    {
        string root = Write("42::BIGINT");
        try
        {
            Assert.That(Run(root).Counts["written"], Is.EqualTo(1));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string Write(string keyValue)
    {
        string root = Directory.CreateTempSubdirectory("sparktf-keytypes-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "in", "impressions"));
        File.WriteAllText(Path.Combine(root, "spec.yaml"), Spec);
        string file = Path.Combine(root, "in", "impressions", "part-0.parquet").Replace("'", "''", StringComparison.Ordinal);
        using var engine = new DuckDbEngine(new DuckDbEngineOptions { Threads = 1, SpillDirectory = root });
        engine.Execute($"COPY (SELECT {keyValue} AS request_id, 1705314600000000::BIGINT AS ts) TO '{file}' (FORMAT parquet)");
        return root;
    }

    private static SamplesSummary Run(string root) =>
        SamplesJob.Run(JobDefinition.Load(Path.Combine(root, "spec.yaml")), new SamplesJobOptions
        {
            Date = new DateOnly(2024, 1, 15),
            Input = Path.Combine(root, "in"),
            Output = Path.Combine(root, "out"),
            Engine = new DuckDbEngineOptions { Threads = 1, MemoryLimit = "512MB" },
        });
}
