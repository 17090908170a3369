using System.Text.Json;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Engines;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Engine.Spark;
using SparkTfrecord.Engine.Sql;

namespace SparkTfrecord.Spark.Tests;

/// <summary>
/// <c>sparktf encode</c> on the Parquet that the Spark engine's native writer leaves (the samples with their hash, split
/// and order columns, in several files and in no particular order) writes the same part files, byte for byte, as the
/// embedded job writes for the same samples.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class EncodeTests
{
    private static readonly DateOnly s_date = new(2024, 5, 1);
    private TempFolder _temp = null!;

    [OneTimeSetUp]
    public void GenerateLogs()
    {
        _temp = new TempFolder("sparktf-encode-");
        var gen = InProcess.Run("gen-logs", "--output", _temp["logs"], "--date", "2024-05-01", "--days", "16", "--impressions-per-day", "4000",
            "--users", "400", "--items", "300", "--seed", "11");
        Assert.That(gen.ExitCode, Is.Zero, gen.Output);
    }

    [OneTimeTearDown]
    public void TearDown() => _temp.Dispose();

    [TestCase("din", "gzip", 4)]
    [TestCase("din-split", "none", 3)]
    public void Encode_writes_the_embedded_jobs_part_files_byte_for_byte(string name, string compression, int shards)
    {
        string spec = Spec(name);
        var embedded = InProcess.Run("samples", "--conf", spec, "--date", "2024-05-01", "--input", _temp["logs"], "--output", _temp[$"{name}/embedded"],
            "--compression", compression, "--shards", shards.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.That(embedded.ExitCode, Is.Zero, embedded.Output);

        string parquet = _temp[$"{name}/spark-parquet"];
        long rows = WriteNativeParquet(spec, parquet);
        var encode = InProcess.Run("encode", "--spec", spec, "--input", parquet, "--output", _temp[$"{name}/encoded"],
            "--compression", compression, "--shards", shards.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.That(encode.ExitCode, Is.Zero, encode.Output);

        var expected = DataFiles(_temp[$"{name}/embedded"]);
        var actual = DataFiles(_temp[$"{name}/encoded"]);
        Assert.That(actual.Keys, Is.EqualTo(expected.Keys));
        Assert.That(expected, Has.Count.EqualTo(name.EndsWith("split", StringComparison.Ordinal) ? 2 * shards : shards));
        foreach (var (file, bytes) in expected)
        {
            Assert.That(actual[file], Is.EqualTo(bytes), $"{file} differs");
        }

        using var summary = JsonDocument.Parse(encode.Stdout);
        using var manifest = JsonDocument.Parse(File.ReadAllText(_temp[$"{name}/encoded/_manifest.json"]));
        Assert.Multiple(() =>
        {
            Assert.That(summary.RootElement.GetProperty("records").GetInt64(), Is.EqualTo(rows));
            Assert.That(manifest.RootElement.GetProperty("records").GetInt64(), Is.EqualTo(rows));
            Assert.That(manifest.RootElement.GetProperty("writer").GetString(), Is.EqualTo("native"));
            Assert.That(manifest.RootElement.GetProperty("spec_hash").GetString(), Is.EqualTo(InProcess.Run("spec", "hash", "--spec", spec).Stdout.Trim()),
                "the training side's check_manifest reads spec_hash");
            Assert.That(File.Exists(_temp[$"{name}/encoded/_SUCCESS"]), Is.True);
            Assert.That(rows, Is.GreaterThan(1000));
        });
    }

    [Test]
    public void Encode_without_a_hash_column_shards_by_the_specs_shard_key_and_a_missing_feature_is_a_clear_error()
    {
        string spec = Spec("din");
        string parquet = _temp["nohash/parquet"];
        Directory.CreateDirectory(parquet);
        using (var engine = new DuckDbEngine(new DuckDbEngineOptions { Threads = 1 }))
        {
            engine.Execute($"COPY (SELECT 1::BIGINT AS label, 'u1' AS user_id, 30::BIGINT AS age, '0' AS gender, 'pixel' AS device, 'i1' AS item_id, ['i2', 'i3'] AS clicked_items_15d, 'r1' AS request_id) TO '{parquet}/a.parquet' (FORMAT parquet)");
            engine.Execute($"COPY (SELECT 1::BIGINT AS label, 'u1' AS user_id) TO '{_temp["nohash"]}/bad.parquet' (FORMAT parquet)");
        }

        var ok = InProcess.Run("encode", "--spec", spec, "--input", parquet, "--output", _temp["nohash/out"], "--shards", "8");
        var bad = InProcess.Run("encode", "--spec", spec, "--input", _temp["nohash/bad.parquet"], "--output", _temp["nohash/out2"]);

        Assert.Multiple(() =>
        {
            Assert.That(ok.ExitCode, Is.Zero, ok.Output);
            long shard = Engine.Hashing.ProjectHash.Of("r1") % 8;
            var shardRecords = JsonDocument.Parse(ok.Stdout).RootElement.GetProperty("shards").EnumerateArray().Select(s => s.GetProperty("records").GetInt64()).ToList();
            Assert.That(shardRecords[(int)shard], Is.EqualTo(1));
            Assert.That(bad.ExitCode, Is.EqualTo(1), bad.Output);
            Assert.That(bad.Stderr, Does.Contain("has no column 'age'"));
            Assert.That(Directory.Exists(_temp["nohash/out2"]), Is.False);
        });
    }

    [Test]
    public void Encode_of_a_sequence_spec_writes_sequence_examples_as_the_samples_job_does()
    {
        // Issue 14: the histories and their companions become feature lists, the other features the context.
        string spec = Processes.InRepo("tests", "spec-cases", "sequence", "din_seq.yaml");
        string parquet = _temp["seq/parquet"];
        Directory.CreateDirectory(parquet);
        using (var engine = new DuckDbEngine(new DuckDbEngineOptions { Threads = 1 }))
        {
            engine.Execute($"COPY (SELECT 1::BIGINT AS label, 'r1' AS request_id, 'u1' AS user_id, 'B' AS item_id, ['C', 'A'] AS clicked_items, " +
                $"[3600, 82800]::BIGINT[] AS clicked_age_s, ['unknown', 'shoes'] AS clicked_categories) TO '{parquet}/a.parquet' (FORMAT parquet)");
        }

        var r = InProcess.Run("encode", "--spec", spec, "--input", parquet, "--output", _temp["seq/out"]);

        Assert.That(r.ExitCode, Is.Zero, r.Output);
        string file = Directory.GetFiles(_temp["seq/out"], "part-*").Single();
        using var reader = Tfrecord.Framing.TfRecordReader.Open(file);
        Assert.That(reader.TryRead(out var payload), Is.True);
        var record = Tfrecord.Proto.SequenceExample.Parser.ParseFrom(payload.ToArray());
        Assert.That(record.Context.Feature.Keys, Is.EquivalentTo(new[] { "label", "request_id", "user_id", "item_id" }));
        Assert.That(record.FeatureLists.FeatureList["clicked_items"].Feature.Select(f => f.BytesList.Value.Single().ToStringUtf8()), Is.EqualTo(new[] { "C", "A" }));
        Assert.That(record.FeatureLists.FeatureList["clicked_age_s"].Feature.Select(f => f.Int64List.Value.Single()), Is.EqualTo(new long[] { 3600, 82800 }));
        Assert.That(record.FeatureLists.FeatureList["clicked_categories"].Feature.Select(f => f.BytesList.Value.Single().ToStringUtf8()), Is.EqualTo(new[] { "unknown", "shoes" }));
    }

    private string Spec(string name)
    {
        string din = File.ReadAllText(Processes.InRepo("conf", "din.yaml"));
        if (name == "din-split")
        {
            din = din.TrimEnd() + "\n  sampling: {negative_rate: 0.5, eval_fraction: 0.2, salt: x, key: [request_id, item_id]}\n";
        }

        return _temp.Write($"{name}.yaml", din);
    }

    /// <summary>What Spark's native writer leaves: the samples' native columns, in two files, in a shuffled order.</summary>
    private long WriteNativeParquet(string spec, string folder)
    {
        var definition = JobDefinition.Load(spec);
        var plan = JobPlan.Create(definition, s_date, _temp["logs"]);
        var sql = PlanRenderer.Render(plan, DuckDbDialect.Instance);
        Directory.CreateDirectory(folder);
        using var engine = new DuckDbEngine(new DuckDbEngineOptions { Threads = 2 });
        foreach (var s in sql.Statements)
        {
            engine.Execute(s.Sql);
        }

        string columns = string.Join(", ", plan.Columns.Sortable.Select(DuckDbDialect.Instance.Identifier));
        string output = sql.SortableOutputQuery;
        for (int part = 0; part < 2; part++)
        {
            engine.Execute($"COPY (SELECT {columns} FROM ({output}) q WHERE __ts % 2 = {part} ORDER BY md5(__k || CAST(__ts AS VARCHAR))) TO '{folder}/part-0000{part}-x.snappy.parquet' (FORMAT parquet)");
        }

        File.WriteAllText(Path.Combine(folder, "_SUCCESS"), "");
        return Convert.ToInt64(engine.Scalar("SELECT count(*) FROM samples WHERE __kept"), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static SortedDictionary<string, byte[]> DataFiles(string folder) =>
        new(Directory.GetFiles(folder, "part-*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllBytes), StringComparer.Ordinal);
}

/// <summary>Runs the built sparktf (copied beside the tests) as a process.</summary>
internal static class Sparktf
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "sparktf.dll");

    public static ProcessResult Run(params string[] args) => Processes.Run("dotnet", ["exec", Dll, .. args], timeoutSeconds: 120);

    public static ProcessResult RunWith(IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        Processes.Run("dotnet", ["exec", Dll, .. args], environment: environment, timeoutSeconds: 120);

    public static RunningProcess Start(IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        RunningProcess.Start("dotnet", ["exec", Dll, .. args], environment: environment);
}
