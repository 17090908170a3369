using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace SparkTfrecord.Jobs.Tests;

/// <summary>
/// Issue 14's acceptance for index files: for every line of every index that <c>samples --index</c>, <c>encode --index</c>,
/// <c>write --index</c> and <c>sparktf index</c> write, the framed record at that offset and length has CRCs that check,
/// and the lines cover the file exactly (offset 0, each next offset the previous end, the last end the file's size).
/// Checked by tests/python/check_tfrecord_index.py, an independent reader (Debian's python3 and crc32c module), on
/// our outputs and on the files TensorFlow and others wrote (the shared fixtures).
/// </summary>
[TestFixture]
[Category("External")]
public sealed class IndexFilesPythonTests
{
    private const string Install = "apt-get install python3 python3-crc32c";
    private LogsFolder _folder = null!;
    private string _samples = null!;

    // The uncompressed fixtures written by TensorFlow, Hadoop's writer and the others the fixtures' README names.
    private static readonly string[] s_fixtures =
    [
        "pwnall/singles.tfrecords", "pwnall/data.tfrecord", "ecosystem/part-m-00000", "synthetic/sequence_example.tfrecord",
        "synthetic/unpacked_lists.tfrecord", "synthetic/duplicate_key.tfrecord", "corrupt/empty.tfrecord",
    ];

    [OneTimeSetUp]
    public void WriteSamples()
    {
        Prerequisite.RequireDebianPython(Install, "crc32c");
        _folder = new LogsFolder("sparktf-index-python-");
        _samples = _folder.Out("indexed");
        // --audit keeps the samples as Parquet, which encode then reads.
        var run = InProcess.Run(_folder.SamplesArgs(_samples, "--compression", "none", "--index", "--audit"));
        Assert.That(run.ExitCode, Is.Zero, run.Stderr);
    }

    [OneTimeTearDown]
    public void Remove() => _folder?.Dispose();

    [Test]
    public void Samples_index_files_agree_with_their_shards_and_are_listed_in_the_manifest()
    {
        AssertIndexedOutput(_samples, shards: 4);
    }

    [Test]
    public void Encode_index_files_agree_with_their_shards_and_are_listed_in_the_manifest()
    {
        string output = _folder.Out("encoded");
        var run = InProcess.Run("encode", "--spec", SamplesRuns.Spec, "--input", Path.Combine(_samples, "_audit"), "--output", output,
            "--shards", "3", "--compression", "none", "--index");
        Assert.That(run.ExitCode, Is.Zero, run.Stderr);
        AssertIndexedOutput(output, shards: 3);
    }

    [Test]
    public void Write_index_agrees_with_the_file_it_writes()
    {
        string dir = Path.Combine(_folder.Root, "write");
        Directory.CreateDirectory(dir);
        var lines = InProcess.Run("inspect", _samples);
        Assert.That(lines.ExitCode, Is.Zero, lines.Stderr);
        string jsonl = Path.Combine(dir, "samples.jsonl");
        File.WriteAllText(jsonl, lines.Stdout);
        string file = Path.Combine(dir, "samples.tfrecord");

        var run = InProcess.Run("write", "--input", jsonl, "--output", file, "--index");

        Assert.That(run.ExitCode, Is.Zero, run.Stderr);
        long records = lines.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        Assert.That(CheckWithPython((file, file + ".idx")), Is.EqualTo(new[] { records }));
    }

    [Test]
    public void Index_of_a_folder_of_tensorflow_written_files_puts_each_index_in_its_index_folder()
    {
        string dir = Path.Combine(_folder.Root, "fixtures-folder");
        var copies = CopyFixtures(dir);

        var run = InProcess.Run("index", dir);

        Assert.That(run.ExitCode, Is.Zero, run.Stderr);
        var pairs = copies.Select(c => (c, Path.Combine(Path.GetDirectoryName(c)!, "_index", Path.GetFileName(c) + ".idx"))).ToArray();
        Assert.That(CheckWithPython(pairs), Is.EqualTo(ExpectedRecords(copies)));
        Assert.That(run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(copies.Count), "one line per file indexed");
    }

    [Test]
    public void Index_of_files_puts_each_index_beside_its_file()
    {
        string dir = Path.Combine(_folder.Root, "fixtures-files");
        var copies = CopyFixtures(dir);

        var run = InProcess.Run(["index", .. copies]);

        Assert.That(run.ExitCode, Is.Zero, run.Stderr);
        Assert.That(CheckWithPython(copies.Select(c => (c, c + ".idx")).ToArray()), Is.EqualTo(ExpectedRecords(copies)));
    }

    [Test]
    public void Index_of_the_samples_output_gives_the_same_index_files_as_samples_index()
    {
        string copy = Path.Combine(_folder.Root, "reindexed");
        Directory.CreateDirectory(copy);
        foreach (string part in Directory.GetFiles(_samples, "part-*"))
        {
            File.Copy(part, Path.Combine(copy, Path.GetFileName(part)));
        }

        var run = InProcess.Run("index", copy);

        Assert.That(run.ExitCode, Is.Zero, run.Stderr);
        foreach (string index in Directory.GetFiles(Path.Combine(_samples, "_index")))
        {
            Assert.That(File.ReadAllBytes(Path.Combine(copy, "_index", Path.GetFileName(index))), Is.EqualTo(File.ReadAllBytes(index)), Path.GetFileName(index));
        }
    }

    // Offsets as TensorFlow reports them (fixtures' README: singles.tfrecords holds records of 40, 45 and 45 bytes at 0,
    // 40 and 85): the record's start for a bad length CRC or a truncation, the payload's start (+12) for a bad data CRC.
    [TestCase("data_flipped_rec0.tfrecord", 12)]
    [TestCase("data_flipped_rec1.tfrecord", 52)]
    [TestCase("len_crc_flipped.tfrecord", 0)]
    [TestCase("len_value_flipped.tfrecord", 0)]
    [TestCase("truncated_in_header.tfrecord", 40)]
    [TestCase("truncated_in_data.tfrecord", 85)]
    [TestCase("trailing_zero_bytes.tfrecord", 130)]
    public void Index_refuses_a_corrupt_file_naming_it_and_the_byte_offset_and_writes_nothing(string name, long offset)
    {
        string dir = Path.Combine(_folder.Root, "corrupt-" + name);
        Directory.CreateDirectory(dir);
        string file = Path.Combine(dir, name);
        File.Copy(SharedFixtures.Tfrecord("corrupt/" + name), file);

        var run = InProcess.Run("index", file);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.Stderr);
            Assert.That(run.Stderr, Does.Contain(file).And.Contain($"at byte offset {offset.ToString(CultureInfo.InvariantCulture)}"));
            Assert.That(run.Stdout, Is.Empty);
            Assert.That(Directory.GetFileSystemEntries(dir).Select(Path.GetFileName), Is.EqualTo(new[] { name }), "no index and no temporary file left");
        });
    }

    private void AssertIndexedOutput(string output, int shards)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "_manifest.json")));
        var parts = manifest.RootElement.GetProperty("shards").EnumerateArray().ToList();
        Assert.That(parts, Has.Count.EqualTo(shards));
        var pairs = parts.Select(p => (
            Path.Combine(output, p.GetProperty("file").GetString()!),
            Path.Combine(output, p.GetProperty("index").GetString()!))).ToArray();
        Assert.Multiple(() =>
        {
            foreach (var part in parts)
            {
                Assert.That(part.GetProperty("index").GetString(), Is.EqualTo("_index/" + part.GetProperty("file").GetString() + ".idx"));
            }

            Assert.That(CheckWithPython(pairs), Is.EqualTo(parts.Select(p => p.GetProperty("records").GetInt64()).ToArray()));
            Assert.That(Directory.GetFiles(Path.Combine(output, "_index")), Has.Length.EqualTo(shards), "only the index files in _index/");
        });
    }

    private static List<string> CopyFixtures(string dir)
    {
        Directory.CreateDirectory(dir);
        return s_fixtures.Select(f =>
        {
            string copy = Path.Combine(dir, f.Replace('/', '_'));
            File.Copy(SharedFixtures.Tfrecord(f), copy);
            return copy;
        }).Order(StringComparer.Ordinal).ToList();
    }

    // Counted by the fixtures' README, not by our reader.
    private static long[] ExpectedRecords(IEnumerable<string> copies)
    {
        var records = new Dictionary<string, long>
        {
            ["pwnall_singles.tfrecords"] = 3, ["pwnall_data.tfrecord"] = 1, ["ecosystem_part-m-00000"] = 5, ["synthetic_sequence_example.tfrecord"] = 1,
            ["synthetic_unpacked_lists.tfrecord"] = 2, ["synthetic_duplicate_key.tfrecord"] = 1, ["corrupt_empty.tfrecord"] = 0,
        };
        return copies.Select(c => records[Path.GetFileName(c)]).ToArray();
    }

    /// <summary>Runs the independent checker over (data, index) pairs; returns each pair's record count.</summary>
    private static long[] CheckWithPython(params (string Data, string Index)[] pairs)
    {
        var start = Prerequisite.DebianPythonStart([Path.Combine(Sparktf.RepoRoot, "tests", "python", "check_tfrecord_index.py"), .. pairs.SelectMany(p => new[] { p.Data, p.Index })]);
        using var python = Process.Start(start)!;
        Task<string> stderr = python.StandardError.ReadToEndAsync();
        string stdout = python.StandardOutput.ReadToEnd();
        python.WaitForExit();
        Assert.That(python.ExitCode, Is.Zero, "the independent index check failed: " + stderr.Result);
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => long.Parse(l.Split(' ')[0], CultureInfo.InvariantCulture)).ToArray();
    }
}
