namespace SparkTfrecord.Jobs.Tests.Hostile;

/// <summary>
/// Index files (issue 14) when the request cannot be met or the place is taken: compressed output with --index is a
/// usage error before any work (both index readers read uncompressed files); so is --index with Spark's connector
/// writer; a file that is not TFRecord or is compressed is refused by <c>sparktf index</c> with nothing written; an
/// existing index is replaced, any other file in its place only with --force; an empty file gets an empty index; and a
/// run without --index writes the manifest it wrote before (no index field).
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class IndexHostileTests
{
    private const string OneRecord = "{\"a\":{\"int64\":[1]}}\n";
    private LogsFolder _folder = null!;
    private string _dir = null!;

    [OneTimeSetUp]
    public void GenerateLogs()
    {
        _folder = new LogsFolder("sparktf-index-hostile-");
        _dir = Path.Combine(_folder.Root, "files");
        Directory.CreateDirectory(_dir);
    }

    [OneTimeTearDown]
    public void Remove() => _folder?.Dispose();

    private string Fresh(string name)
    {
        string dir = Path.Combine(_dir, name);
        Directory.CreateDirectory(dir);
        return dir;
    }

    [Test]
    public void Samples_with_index_and_the_specs_gzip_output_is_a_usage_error_before_any_work()
    {
        // conf/din.yaml writes gzip shards.
        string output = _folder.Out("gzip-index");
        var run = InProcess.Run(_folder.SamplesArgs(output, "--index"));

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2), run.Stderr);
            Assert.That(run.Stderr, Does.Contain("--index needs uncompressed shards").And.Contain("gzip").And.Contain("--compression none"));
            Assert.That(Directory.Exists(output), Is.False, "nothing written");
        });
    }

    [Test]
    public void Encode_with_index_and_zlib_is_a_usage_error()
    {
        string output = Path.Combine(Fresh("encode-zlib"), "out");
        var run = InProcess.Run("encode", "--spec", SamplesRuns.Spec, "--input", Fresh("no-parquet-needed"), "--output", output, "--compression", "zlib", "--index");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Stderr);
        Assert.That(run.Stderr, Does.Contain("--index needs uncompressed shards").And.Contain("zlib"));
        Assert.That(Directory.Exists(output), Is.False);
    }

    [Test]
    public void Write_with_index_and_gzip_is_a_usage_error_and_writes_nothing()
    {
        string dir = Fresh("write-gzip");
        string file = Path.Combine(dir, "x.tfrecord.gz");
        var run = InProcess.RunWithInput(OneRecord, "write", "--input", "-", "--output", file, "--compression", "gzip", "--index");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Stderr);
        Assert.That(run.Stderr, Does.Contain("--index needs an uncompressed file"));
        Assert.That(Directory.GetFileSystemEntries(dir), Is.Empty);
    }

    [Test]
    public void Index_with_the_spark_connector_writer_is_a_usage_error_naming_the_native_writer()
    {
        var run = InProcess.Run(_folder.SamplesArgs(_folder.Out("spark-index"), "--compression", "none", "--index", "--engine", "spark"));

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Stderr);
        Assert.That(run.Stderr, Does.Contain("--index with --engine spark needs --writer native"));
    }

    [Test]
    public void Plan_has_no_index_option()
    {
        var run = InProcess.Run("plan", "--conf", SamplesRuns.Spec, "--date", SamplesRuns.Date, "--input", _folder.Logs, "--output", _folder.Out("plan"), "--index");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Stderr);
    }

    [TestCase("synthetic/singles.tfrecords.gz", "GZIP")]
    [TestCase("synthetic/singles.tfrecords.zlib", "ZLIB")]
    public void Index_refuses_a_compressed_file_and_writes_nothing(string fixture, string kind)
    {
        string dir = Fresh("compressed-" + kind);
        string file = Path.Combine(dir, Path.GetFileName(fixture));
        File.Copy(SharedFixtures.Tfrecord(fixture), file);

        var run = InProcess.Run("index", dir);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Stderr);
        Assert.That(run.Stderr, Does.Contain(file).And.Contain($"{kind}-compressed"));
        Assert.That(Directory.GetFileSystemEntries(dir).Select(Path.GetFileName), Is.EqualTo(new[] { Path.GetFileName(fixture) }));
    }

    [Test]
    public void Index_refuses_a_folder_with_one_compressed_file_before_writing_any_index()
    {
        string dir = Fresh("mixed");
        File.Copy(SharedFixtures.Tfrecord("pwnall/singles.tfrecords"), Path.Combine(dir, "a.tfrecord"));
        File.Copy(SharedFixtures.Tfrecord("synthetic/singles.tfrecords.gz"), Path.Combine(dir, "b.tfrecord.gz"));

        var run = InProcess.Run("index", dir);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Stderr);
        Assert.That(Directory.Exists(Path.Combine(dir, "_index")), Is.False, "no index for the uncompressed file either");
    }

    [Test]
    public void Index_refuses_a_text_file_at_byte_offset_0()
    {
        string dir = Fresh("text");
        string file = Path.Combine(dir, "notes.txt");
        File.WriteAllText(file, "these are notes, not TFRecord; long enough for a record header\n");

        var run = InProcess.Run("index", file);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.Stderr);
            Assert.That(run.Stderr, Does.Contain(file).And.Contain("at byte offset 0").And.Contain("is this a TFRecord file at all?"));
            Assert.That(Directory.GetFileSystemEntries(dir), Has.Length.EqualTo(1));
        });
    }

    [Test]
    public void Index_of_an_empty_file_is_an_empty_index()
    {
        string dir = Fresh("empty");
        string file = Path.Combine(dir, "empty.tfrecord");
        File.WriteAllBytes(file, []);

        var run = InProcess.Run("index", file);

        Assert.That(run.ExitCode, Is.Zero, run.Stderr);
        Assert.That(File.ReadAllBytes(file + ".idx"), Is.Empty);
        Assert.That(run.Stdout, Is.EqualTo($"0\t{file}\t{file}.idx\n"));
    }

    [Test]
    public void Index_replaces_an_existing_index_but_not_another_file_without_force()
    {
        string dir = Fresh("existing");
        string file = Path.Combine(dir, "singles.tfrecords");
        File.Copy(SharedFixtures.Tfrecord("pwnall/singles.tfrecords"), file);
        // The fixtures' README: three records of 40, 45 and 45 bytes.
        const string expected = "0 40\n40 45\n85 45\n";

        File.WriteAllText(file + ".idx", "0 999\n");
        var replaced = InProcess.Run("index", file);
        Assert.That(replaced.ExitCode, Is.Zero, replaced.Stderr);
        Assert.That(File.ReadAllText(file + ".idx"), Is.EqualTo(expected), "a stale index is replaced");

        File.WriteAllText(file + ".idx", "my notes\n");
        var refused = InProcess.Run("index", file);
        Assert.That(refused.ExitCode, Is.EqualTo(1), refused.Stderr);
        Assert.That(refused.Stderr, Does.Contain(file + ".idx").And.Contain("is not an index file").And.Contain("--force"));
        Assert.That(File.ReadAllText(file + ".idx"), Is.EqualTo("my notes\n"));

        var forced = InProcess.Run("index", file, "--force");
        Assert.That(forced.ExitCode, Is.Zero, forced.Stderr);
        Assert.That(File.ReadAllText(file + ".idx"), Is.EqualTo(expected));
    }

    [Test]
    public void Write_index_follows_the_same_rule_for_an_existing_file_in_the_index_place()
    {
        string dir = Fresh("write-existing");
        string file = Path.Combine(dir, "x.tfrecord");
        File.WriteAllText(file + ".idx", "my notes\n");

        var refused = InProcess.RunWithInput(OneRecord, "write", "--input", "-", "--output", file, "--index");
        Assert.That(refused.ExitCode, Is.EqualTo(1), refused.Stderr);
        Assert.That(File.Exists(file), Is.False, "refused before the file is written");

        var forced = InProcess.RunWithInput(OneRecord, "write", "--input", "-", "--output", file, "--index", "--force");
        Assert.That(forced.ExitCode, Is.Zero, forced.Stderr);
        Assert.That(File.ReadAllText(file + ".idx"), Is.EqualTo($"0 {new FileInfo(file).Length}\n"), "one record: the whole file");

        // Written again without --index, the index no longer matches: said on stderr, and the index left to the user.
        var again = InProcess.RunWithInput(OneRecord + OneRecord, "write", "--input", "-", "--output", file);
        Assert.That(again.ExitCode, Is.Zero, again.Stderr);
        Assert.That(again.Stderr, Does.Contain("no longer matches").And.Contain("sparktf index"));
    }

    [Test]
    public void A_run_without_index_writes_the_manifest_it_wrote_before()
    {
        string plain = _folder.Out("plain");
        string indexed = _folder.Out("with-index");
        Assert.That(InProcess.Run(_folder.SamplesArgs(plain, "--compression", "none")).ExitCode, Is.Zero);
        Assert.That(InProcess.Run(_folder.SamplesArgs(indexed, "--compression", "none", "--index")).ExitCode, Is.Zero);

        string without = File.ReadAllText(Path.Combine(plain, "_manifest.json"));
        string with = File.ReadAllText(Path.Combine(indexed, "_manifest.json"));
        Assert.Multiple(() =>
        {
            Assert.That(without, Does.Not.Contain("\"index\""));
            Assert.That(Directory.Exists(Path.Combine(plain, "_index")), Is.False);
            // The only difference: one "index" member per shard, after its "bytes".
            Assert.That(System.Text.RegularExpressions.Regex.Replace(with, ",\n *\"index\": \"_index/[^\"]*\"", ""), Is.EqualTo(without));
            Assert.That(with, Does.Contain("\"index\": \"_index/part-00000-of-00004.tfrecord.idx\""));
        });
    }
}
