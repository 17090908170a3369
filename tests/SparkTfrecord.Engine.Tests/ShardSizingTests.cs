using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Generation;
using SparkTfrecord.Engine.Jobs;
using SparkTfrecord.Tfrecord.Framing;
using SparkTfrecord.Tfrecord.Proto;

namespace SparkTfrecord.Engine.Tests;

/// <summary>
/// Sized shards (issue 14: <c>output.max_records_per_shard</c>, <c>output.target_shard_bytes</c>) on generated logs:
/// the files are read back with the format library's reader and measured on disk; the order is checked against the
/// project hash computed here from MD5 (not with the project's code); files are cut greedily (a file stops only where
/// its next record would break the limit); reruns, and runs in many output passes, give the same bytes.
/// </summary>
[TestFixture]
[Category("Fast")]
[Parallelizable(ParallelScope.None)]
public sealed class ShardSizingTests
{
    private const string Day = "2024-01-15";
    private const string Split = "  sampling: {eval_fraction: 0.25, salt: s1, key: [request_id, item_id]}";
    private string _root = null!;
    private string _input = null!;

    [OneTimeSetUp]
    public void Generate()
    {
        _root = Directory.CreateTempSubdirectory("sparktf-sized-").FullName;
        _input = Path.Combine(_root, "logs");
        LogGenerator.Generate(new LogGeneratorOptions
        {
            Output = _input,
            Date = new DateOnly(2024, 1, 16),
            Days = 4,
            ImpressionDays = 2,
            ImpressionsPerDay = 3000,
            Users = 300,
            Items = 200,
            Seed = 5,
        });
    }

    [OneTimeTearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public void Max_records_per_shard_cuts_each_split_in_hash_order_into_full_files_and_a_last_one()
    {
        var (output, summary) = Run("max_records_per_shard: 400", "sized-records", extraJob: Split);

        foreach (string split in new[] { "train", "eval" })
        {
            var files = Parts(output, split);
            var counts = files.Select(f => Records(f).Count).ToList();
            Assert.Multiple(() =>
            {
                Assert.That(files, Has.Count.GreaterThan(1), $"{split}: the day is several files");
                Assert.That(counts.Take(counts.Count - 1), Is.All.EqualTo(400), $"{split}: every file but the last is full");
                Assert.That(counts[^1], Is.InRange(1, 400), $"{split}: the last file holds the rest");
                Assert.That(Hashes(files), Is.Ordered, $"{split}: the records, file after file, ascend by the project hash");
                Assert.That(files.Select(Path.GetFileName), Is.EqualTo(Enumerable.Range(0, files.Count).Select(i => $"part-{i:D5}-of-{files.Count:D5}.tfrecord")));
            });
        }

        long train = Parts(output, "train").Sum(f => Records(f).Count);
        long eval = Parts(output, "eval").Sum(f => Records(f).Count);
        Assert.Multiple(() =>
        {
            Assert.That(train + eval, Is.EqualTo(summary.Counts[Sql.RunCounts.Written]));
            Assert.That(eval, Is.EqualTo(summary.Counts[Sql.RunCounts.Eval]));
        });
        AssertManifestListsTheFiles(output);
    }

    [TestCase(30_000)]
    [TestCase(150)]
    public void Target_shard_bytes_keeps_every_file_within_the_target_unless_one_record_is_larger(int target)
    {
        var (output, _) = Run($"target_shard_bytes: {target}", $"sized-bytes-{target}");
        var files = Parts(output, "");
        var records = files.Select(Records).ToList();
        Assert.Multiple(() =>
        {
            for (int i = 0; i < files.Count; i++)
            {
                long bytes = new FileInfo(files[i]).Length;
                Assert.That(bytes, Is.EqualTo(records[i].Sum(r => r.Length + 16L)), "an uncompressed file is its framed records");
                if (records[i].Count > 1)
                {
                    Assert.That(bytes, Is.LessThanOrEqualTo(target), $"{files[i]} holds {records[i].Count} records");
                }
                else
                {
                    Assert.That(records[i], Has.Count.EqualTo(1), $"{files[i]} is not empty");
                }

                if (i + 1 < files.Count)
                {
                    Assert.That(bytes + records[i + 1][0].Length + 16, Is.GreaterThan(target), $"{files[i]} was closed although the next record fitted");
                }
            }

            Assert.That(Hashes(files), Is.Ordered);
        });

        if (target == 150)
        {
            Assert.That(records.Count(r => r[0].Length + 16 > target), Is.GreaterThan(0), "some records are larger than the target, each alone in its file");
        }
        else
        {
            Assert.That(records.Count(r => r.Count > 1), Is.GreaterThan(1), "files hold several records");
        }

        AssertManifestListsTheFiles(output);
    }

    [Test]
    public void A_target_counts_the_uncompressed_records_of_a_compressed_file()
    {
        var (output, _) = Run("target_shard_bytes: 40000", "sized-gzip", compression: "gzip");
        var files = Parts(output, "");
        Assert.That(files, Has.Count.GreaterThan(1));
        foreach (string file in files)
        {
            using var gzip = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            gzip.CopyTo(plain);
            Assert.That(plain.Length, Is.LessThanOrEqualTo(40000), file);
            Assert.That(file, Does.EndWith(".tfrecord.gz"));
        }
    }

    [Test]
    public void Two_runs_and_a_run_in_many_passes_write_the_same_bytes_with_index_files_per_file()
    {
        var (one, _) = Run("max_records_per_shard: 350", "sized-a", extraJob: Split, index: true);
        var (again, _) = Run("max_records_per_shard: 350", "sized-b", extraJob: Split, index: true);
        var steps = new List<string>();
        Output.CommitStepObserver.Install(steps.Add);
        string passes;
        try
        {
            passes = Run("max_records_per_shard: 350", "sized-passes", extraJob: Split, index: true, samplesPerPass: 250).Output;
        }
        finally
        {
            Output.CommitStepObserver.Install(null);
        }

        Assert.That(steps.Count(s => s.StartsWith("write-pass-", StringComparison.Ordinal)), Is.GreaterThan(5), "the day was written in many passes");

        var files = AllFiles(one);
        Assert.Multiple(() =>
        {
            Assert.That(AllFiles(again), Is.EqualTo(files));
            Assert.That(AllFiles(passes), Is.EqualTo(files));
            foreach (string file in files)
            {
                Assert.That(File.ReadAllBytes(Path.Combine(again, file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(one, file))), $"rerun: {file}");
                Assert.That(File.ReadAllBytes(Path.Combine(passes, file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(one, file))), $"passes: {file}");
            }
        });

        // Each data file has its index, whose lines are its records' offsets and framed lengths, read here by hand.
        foreach (string data in files.Where(f => f.EndsWith(".tfrecord", StringComparison.Ordinal)))
        {
            string index = Path.Combine(Path.GetDirectoryName(data)!, "_index", Path.GetFileName(data) + ".idx");
            Assert.That(File.ReadAllText(Path.Combine(one, index)), Is.EqualTo(IndexOf(File.ReadAllBytes(Path.Combine(one, data)))), index);
        }

        Assert.That(files.Count(f => f.EndsWith(".idx", StringComparison.Ordinal)), Is.EqualTo(files.Count(f => f.EndsWith(".tfrecord", StringComparison.Ordinal))));
        AssertManifestListsTheFiles(one);
    }

    [Test]
    public void An_output_pass_out_of_memory_writes_the_day_again_in_more_hash_ranges_with_the_same_bytes()
    {
        var (roomy, _) = Run("max_records_per_shard: 300", "sized-roomy", samplesPerPass: 1000);

        // The second pass fails at its start, after the first pass's files were written: the retry writes them anew.
        bool thrown = false;
        Output.CommitStepObserver.Install(step =>
        {
            if (!thrown && step.StartsWith("write-pass-2-of-", StringComparison.Ordinal))
            {
                thrown = true;
                throw new OutOfMemoryException("the test's fault");
            }
        });
        var retries = new List<string>();
        string tight;
        try
        {
            tight = Run("max_records_per_shard: 300", "sized-tight", samplesPerPass: 1000, onMemoryRetry: retries.Add).Output;
        }
        finally
        {
            Output.CommitStepObserver.Install(null);
        }

        var files = AllFiles(roomy);
        Assert.Multiple(() =>
        {
            Assert.That(thrown, Is.True, "the day was written in more than one pass");
            Assert.That(retries, Has.Count.EqualTo(1).And.Some.Contains("writing again in"));
            Assert.That(AllFiles(tight), Is.EqualTo(files), "no file of the failed attempt is left");
            foreach (string file in files)
            {
                Assert.That(File.ReadAllBytes(Path.Combine(tight, file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(roomy, file))), file);
            }
        });
    }

    [TestCase(1)]
    [TestCase(3)]
    [TestCase(7)]
    [TestCase(4096)]
    public void The_hash_ranges_of_the_passes_are_consecutive_and_cover_the_60_bit_hash(int parts)
    {
        // floor(p * 2^60 / parts), in arbitrary precision.
        var expected = Enumerable.Range(0, parts + 1).Select(p => (long)(new System.Numerics.BigInteger(p) * (System.Numerics.BigInteger.One << 60) / parts)).ToList();
        var actual = Enumerable.Range(0, parts + 1).Select(p => Hashing.Sharding.RangeStart(p, parts)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(actual, Is.EqualTo(expected));
            Assert.That(actual[0], Is.Zero);
            Assert.That(actual[^1], Is.EqualTo(1L << 60));
            Assert.That(actual, Is.Ordered.Ascending);
        });
    }

    [Test]
    public void Encode_of_the_days_Parquet_writes_the_same_sized_files_as_the_samples_job()
    {
        var (samples, _) = Run("max_records_per_shard: 500", "sized-samples", extraJob: Split, audit: true);
        string encoded = Path.Combine(_root, "sized-encoded");
        EncodeJob.Run(JobDefinition.Load(Spec("sized-samples")), new EncodeJobOptions
        {
            Inputs = [Path.Combine(samples, "_audit", "samples.parquet")],
            Output = encoded,
        });

        var parts = AllFiles(samples).Where(f => f.Contains("part-", StringComparison.Ordinal)).ToList();
        Assert.That(AllFiles(encoded).Where(f => f.Contains("part-", StringComparison.Ordinal)), Is.EqualTo(parts));
        foreach (string file in parts)
        {
            Assert.That(File.ReadAllBytes(Path.Combine(encoded, file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(samples, file))), file);
        }
    }

    [Test]
    public void The_command_lines_layout_replaces_the_jobs()
    {
        string spec = Path.Combine(_root, "layout.yaml");
        File.WriteAllText(spec, Specs.Din());
        var definition = JobDefinition.Load(spec);
        var sized = new JobOverrides { TargetShardBytes = 1000 }.Apply(definition).Job.Output;
        var fixedAgain = new JobOverrides(Shards: 7).Apply(new JobOverrides { MaxRecordsPerShard = 5 }.Apply(definition)).Job.Output;
        Assert.Multiple(() =>
        {
            Assert.That(definition.Job.Output.Limit, Is.Null);
            Assert.That(sized.Limit, Is.EqualTo(new ShardLimit(ShardLimitUnit.Bytes, 1000)));
            Assert.That(fixedAgain.Limit, Is.Null);
            Assert.That(fixedAgain.Shards, Is.EqualTo(7));
            Assert.That(() => new JobOverrides(Shards: 2) { MaxRecordsPerShard = 5 }.Apply(definition), Throws.ArgumentException);
        });
    }

    [TestCase("shards: 3, max_records_per_shard: 10", "10", "output has both shards and max_records_per_shard: each decides how the samples are cut into files")]
    [TestCase("max_records_per_shard: 10, target_shard_bytes: 4096", "4096", "output has both max_records_per_shard and target_shard_bytes")]
    [TestCase("target_shard_bytes: 0", "0", "target_shard_bytes must be a whole number of bytes of at least 1 (for example 268435456 for 256 MiB), not 0.")]
    [TestCase("max_records_per_shard: -5", "-5", "max_records_per_shard must be a whole number of records of at least 1 (for example 100000), not -5.")]
    [TestCase("max_records_per_shard: 1.5", "1.5", "max_records_per_shard")]
    [TestCase("target_shard_bytes: 64MB", "64MB", "target_shard_bytes")]
    public void A_bad_layout_is_refused_at_its_line_and_column(string layout, string at, string message)
    {
        string yaml = Specs.Din().Replace("shards: 3", layout, StringComparison.Ordinal);
        string spec = Path.Combine(_root, "bad.yaml");
        File.WriteAllText(spec, yaml);
        int index = yaml.IndexOf(at, yaml.IndexOf("output:", StringComparison.Ordinal), StringComparison.Ordinal);
        int line = yaml[..index].Count(c => c == '\n') + 1;
        int column = index - (yaml.LastIndexOf('\n', index - 1) + 1) + 1;

        var e = Assert.Throws<JobConfigException>(() => JobDefinition.Load(spec))!;
        Assert.That(e.Message, Does.StartWith($"{spec}:{line}:{column}: ").And.Contain(message));
    }

    private (string Output, SamplesSummary Summary) Run(string layout, string name, string extraJob = "", string compression = "none",
        bool index = false, long samplesPerPass = 1_500_000, bool audit = false, Action<string>? onMemoryRetry = null)
    {
        string yaml = Specs.Din(format: "parquet", unit: "ms", extraJob: extraJob)
            .Replace("shards: 3, compression: none", $"{layout}, compression: {compression}", StringComparison.Ordinal);
        string spec = Spec(name);
        Directory.CreateDirectory(Path.GetDirectoryName(spec)!);
        File.WriteAllText(spec, yaml);
        string output = Path.Combine(_root, name);
        var summary = SamplesJob.Run(JobDefinition.Load(spec), new SamplesJobOptions
        {
            Date = DateOnly.Parse(Day, CultureInfo.InvariantCulture),
            Input = _input,
            Output = output,
            Engine = new Engines.DuckDbEngineOptions { Threads = 2, MemoryLimit = "512MB" },
            SamplesPerPass = samplesPerPass,
            Overrides = new JobOverrides { Index = index },
            Audit = audit,
            OnMemoryRetry = onMemoryRetry,
        });
        return (output, summary);
    }

    // A run's spec file: named alike in every run, as the manifest records its name.
    private string Spec(string run) => Path.Combine(_root, "specs", run, "spec.yaml");

    // The data files of a folder in name order.
    private static List<string> Parts(string output, string split) =>
        Directory.GetFiles(Path.Combine(output, split), "part-*").Order(StringComparer.Ordinal).ToList();

    // Every file of an output, relative, sorted.
    private static List<string> AllFiles(string output) =>
        Directory.GetFiles(output, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(output, f)).Order(StringComparer.Ordinal).ToList();

    private static List<byte[]> Records(string file)
    {
        var records = new List<byte[]>();
        using var reader = TfRecordReader.Open(file);
        while (reader.TryRead(out var payload))
        {
            records.Add(payload.ToArray());
        }

        return records;
    }

    // The project hash of each record's shard key (request_id, item_id), from MD5 here: the first 15 hex digits.
    private static List<long> Hashes(IEnumerable<string> files) => files.SelectMany(Records).Select(r =>
    {
        var features = Example.Parser.ParseFrom(r).Features.Feature;
        string key = features["request_id"].BytesList.Value[0].ToStringUtf8() + "\u001f" + features["item_id"].BytesList.Value[0].ToStringUtf8();
        string hex = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(key)));
        return long.Parse(hex[..15], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }).ToList();

    // The index of an uncompressed TFRecord file, from its framing: 8-byte length, 4-byte CRC, data, 4-byte CRC.
    private static string IndexOf(byte[] file)
    {
        var text = new StringBuilder();
        long offset = 0;
        while (offset < file.Length)
        {
            long framed = (long)BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan((int)offset)) + 16;
            text.Append(CultureInfo.InvariantCulture, $"{offset} {framed}\n");
            offset += framed;
        }

        return text.ToString();
    }

    // The manifest lists every data file, with the records the reader finds in it and its size on disk.
    private static void AssertManifestListsTheFiles(string output)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "_manifest.json")));
        var listed = manifest.RootElement.GetProperty("shards").EnumerateArray().ToList();
        var files = Directory.GetFiles(output, "part-*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".idx", StringComparison.Ordinal)).Select(f => Path.GetRelativePath(output, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
        Assert.That(listed.Select(s => s.GetProperty("file").GetString()).Order(StringComparer.Ordinal), Is.EqualTo(files));
        Assert.Multiple(() =>
        {
            foreach (var shard in listed)
            {
                string file = Path.Combine(output, shard.GetProperty("file").GetString()!);
                Assert.That(shard.GetProperty("bytes").GetInt64(), Is.EqualTo(new FileInfo(file).Length), file);
                Assert.That(shard.GetProperty("records").GetInt64(), Is.EqualTo(Records(file).Count), file);
                if (shard.TryGetProperty("index", out var index))
                {
                    string name = shard.GetProperty("file").GetString()!;
                    Assert.That(index.GetString(), Is.EqualTo(name.Insert(name.LastIndexOf('/') + 1, "_index/") + ".idx"));
                    Assert.That(File.Exists(Path.Combine(output, index.GetString()!)), index.GetString());
                }
            }
        });
    }
}
