using System.Globalization;
using System.Text.Json;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Jobs.Tests;

/// <summary>
/// The command-line forms of sized shards (issue 14): <c>--max-records-per-shard</c> and <c>--target-shard-bytes</c> on
/// <c>samples</c> and <c>encode</c> as alternatives to <c>--shards</c>; two of them, a value below 1, or a Spark
/// connector writer with a sized layout are usage errors (exit 2) before any work.
/// </summary>
[TestFixture]
[Category("Fast")]
[NonParallelizable]
public sealed class ShardLayoutCommandTests
{
    private string _root = null!;
    private string _logs = null!;

    [OneTimeSetUp]
    public void GenerateLogs()
    {
        _root = Directory.CreateTempSubdirectory("sparktf-shard-layout-").FullName;
        _logs = Path.Combine(_root, "logs");
        var result = InProcess.Run("gen-logs", "--output", _logs, "--date", SamplesRuns.Date, "--impressions-per-day", "2000", "--users", "300", "--items", "200", "--seed", "7", "--impression-days", "2");
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
    }

    [OneTimeTearDown]
    public void RemoveLogs() => Directory.Delete(_root, recursive: true);

    private string[] Samples(string output, params string[] more) =>
        ["samples", "--conf", SamplesRuns.Spec, "--date", SamplesRuns.Date, "--input", _logs, "--output", output, .. more];

    [Test]
    public void Samples_with_max_records_per_shard_writes_files_of_at_most_that_many_records_listed_in_the_manifest()
    {
        string output = Path.Combine(_root, "records");
        var result = InProcess.Run(Samples(output, "--max-records-per-shard", "300", "--compression", "none", "--index"));

        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        using var summary = JsonDocument.Parse(result.Stdout);
        long written = summary.RootElement.GetProperty("samples_written").GetInt64();
        var files = Directory.GetFiles(output, "part-*").Order(StringComparer.Ordinal).ToList();
        var counts = files.Select(Count).ToList();
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "_manifest.json")));
        var listed = manifest.RootElement.GetProperty("shards").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(files, Has.Count.EqualTo((int)((written + 299) / 300)), "ceil(samples / 300) files");
            Assert.That(counts.Take(counts.Count - 1), Is.All.EqualTo(300));
            Assert.That(counts.Sum(), Is.EqualTo(written));
            Assert.That(listed.Select(s => s.GetProperty("file").GetString()), Is.EqualTo(files.Select(Path.GetFileName)));
            Assert.That(listed.Select(s => s.GetProperty("records").GetInt64()), Is.EqualTo(counts));
            Assert.That(files.Select(f => File.Exists(Path.Combine(output, "_index", Path.GetFileName(f) + ".idx"))), Is.All.True);
        });
    }

    [TestCase("--shards", "2", "--max-records-per-shard", "5")]
    [TestCase("--target-shard-bytes", "4096", "--shards", "3")]
    [TestCase("--max-records-per-shard", "5", "--target-shard-bytes", "4096")]
    public void Two_layouts_on_the_line_are_a_usage_error(string first, string firstValue, string second, string secondValue)
    {
        string output = Path.Combine(_root, "two");
        var samples = InProcess.Run(Samples(output, first, firstValue, second, secondValue));
        var encode = InProcess.Run("encode", "--spec", SamplesRuns.Spec, "--input", _logs, "--output", output, first, firstValue, second, secondValue);

        Assert.Multiple(() =>
        {
            foreach (var result in new[] { samples, encode })
            {
                Assert.That(result.ExitCode, Is.EqualTo(2), result.Stderr);
                Assert.That(result.Stderr, Does.Contain("both set how the samples are cut into files: give one of --shards, --max-records-per-shard, --target-shard-bytes"));
            }

            Assert.That(Directory.Exists(output), Is.False);
        });
    }

    [TestCase("--max-records-per-shard", "0")]
    [TestCase("--target-shard-bytes", "-1")]
    public void A_layout_below_one_is_a_usage_error(string option, string value)
    {
        var result = InProcess.Run(Samples(Path.Combine(_root, "below"), option, value));

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Stderr);
        Assert.That(result.Stderr, Does.Contain($"{option} must be from 1 to {long.MaxValue}, not {value}."));
    }

    [TestCase("--max-records-per-shard", "max_records_per_shard")]
    [TestCase("--target-shard-bytes", "target_shard_bytes")]
    public void Spark_with_a_connector_refuses_sized_shards_and_the_native_writer_takes_them(string option, string key)
    {
        string[] plan = ["plan", "--engine", "spark", "--conf", SamplesRuns.Spec, "--date", SamplesRuns.Date, "--input", _logs, "--output", Path.Combine(_root, "spark"), option, "100000"];
        var connector = InProcess.Run(plan);
        var native = InProcess.Run([.. plan, "--writer", "native"]);

        Assert.Multiple(() =>
        {
            Assert.That(connector.ExitCode, Is.EqualTo(2), connector.Stderr);
            Assert.That(connector.Stderr, Does.Contain($"output.{key} (or {option}) with --engine spark needs --writer native"));
            Assert.That(connector.Stdout, Is.Empty);
            Assert.That(native.ExitCode, Is.Zero, native.Stderr);
            Assert.That(native.Stdout, Does.Contain("USING parquet"), "the native writer's Spark script writes Parquet; sparktf encode cuts the files");
        });
    }

    private static int Count(string file)
    {
        int n = 0;
        using var reader = TfRecordReader.Open(file);
        while (reader.TryRead(out _))
        {
            n++;
        }

        return n;
    }
}
