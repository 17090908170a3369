using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Jobs.Tests;

/// <summary>inspect, count and write in process, against the shared fixtures whose contents their README gives.</summary>
[TestFixture]
[Category("Fast")]
public sealed class FormatCommandsTests
{
    private string _temp = null!;

    [SetUp]
    public void SetUp() => _temp = Directory.CreateTempSubdirectory("sparktf-cli-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_temp, recursive: true);

    [Test]
    public void Inspect_prints_one_sorted_json_object_per_record()
    {
        var result = InProcess.Run("inspect", Path.Combine(Sparktf.Fixtures, "pwnall", "data.tfrecord"));

        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        Assert.That(result.Stdout, Is.EqualTo("{\"answer\":{\"int64\":[42]},\"name\":{\"bytes\":[\"ABC\"]},\"pi\":{\"float\":[3.14]}}\n"));
    }

    [Test]
    public void Inspect_prints_edge_values_in_the_documented_form()
    {
        var result = InProcess.Run("inspect", Path.Combine(Sparktf.Fixtures, "synthetic", "edge_values.tfrecord"));

        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        Assert.That(result.Stdout, Does.Contain("\"nan_inf\":{\"float\":[\"NaN\",\"Infinity\",-0]}"));
        Assert.That(result.Stdout, Does.Contain("\"neg\":{\"int64\":[-1,-9223372036854775808,9223372036854775807]}"));
        Assert.That(result.Stdout, Does.Contain("\"no_kind\":{\"none\":null}"));
        Assert.That(result.Stdout, Does.Contain("\"empty_int64\":{\"int64\":[]}"));
    }

    [Test]
    public void Inspect_detects_sequence_examples_and_prints_context_and_feature_lists()
    {
        var result = InProcess.Run("inspect", Path.Combine(Sparktf.Fixtures, "synthetic", "sequence_example.tfrecord"));

        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        Assert.That(result.Stdout, Does.StartWith("{\"context\":{\"age\":{\"float\":[19]},\"locale\":{\"bytes\":[\"pt_BR\"]}},\"feature_lists\":{\"empty_list\":[],\"movie_names\":[{\"bytes\":[\"The Shawshank Redemption\"]},"));
    }

    [Test]
    public void Inspect_limit_counts_records_across_files()
    {
        string folder = Path.Combine(Sparktf.Fixtures, "pwnall");
        var result = InProcess.Run("inspect", "--limit", "2", folder, Path.Combine(Sparktf.Fixtures, "ecosystem", "part-m-00000"));

        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        Assert.That(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(2));
    }

    [Test]
    public void Count_totals_records_and_per_file_lists_each_file()
    {
        string penguin = Path.Combine(Sparktf.Fixtures, "tfx-penguin", "*.gz");

        var total = InProcess.Run("count", penguin);
        var perFile = InProcess.Run("count", "--per-file", penguin);

        Assert.That(total.ExitCode, Is.Zero, total.Stderr);
        Assert.That(total.Stdout.Trim(), Is.EqualTo("334"));
        Assert.That(perFile.Stdout, Does.Contain("100\t").And.Contain("234\t"));
    }

    [Test]
    public void Count_of_a_corrupt_file_fails_naming_the_file_and_offset()
    {
        string file = Path.Combine(Sparktf.Fixtures, "corrupt", "data_flipped_rec1.tfrecord");

        var result = InProcess.Run("count", file);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Stderr, Does.Contain(file).And.Contain("byte offset 52").And.Contain("--skip-corrupt"));
        Assert.That(result.Stdout, Is.Empty);
    }

    [Test]
    public void Count_with_skip_corrupt_keeps_records_before_the_damage_and_reports_it()
    {
        var result = InProcess.Run("count", "--skip-corrupt", Path.Combine(Sparktf.Fixtures, "corrupt", "data_flipped_rec1.tfrecord"));

        Assert.That(result.ExitCode, Is.Zero);
        Assert.That(result.Stdout.Trim(), Is.EqualTo("1"));
        Assert.That(result.Stderr, Does.Contain("skipped 90 bytes"));
    }

    [Test]
    public void Folders_skip_marker_and_hidden_files()
    {
        File.Copy(Path.Combine(Sparktf.Fixtures, "pwnall", "singles.tfrecords"), Path.Combine(_temp, "part-00000"));
        File.WriteAllText(Path.Combine(_temp, "_SUCCESS"), string.Empty);
        File.WriteAllText(Path.Combine(_temp, ".part-00000.crc"), "not a tfrecord");

        var result = InProcess.Run("count", _temp);

        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        Assert.That(result.Stdout.Trim(), Is.EqualTo("3"));
    }

    [TestCase("none")]
    [TestCase("gzip")]
    [TestCase("zlib")]
    public void Write_then_inspect_round_trips_the_json_form(string compression)
    {
        const string example = "{\"b\":{\"float\":[1.5,\"NaN\",\"-Infinity\",-0,3.4028235E+38]},\"a\":{\"int64\":[1,-9223372036854775808]},\"c\":{\"bytes\":[\"未知\",{\"b64\":\"/wA=\"}]},\"d\":{\"none\":null}}";
        const string sequence = "{\"context\":{\"age\":{\"int64\":[3]}},\"feature_lists\":{\"f\":[{\"int64\":[1]},{\"float\":[]}]}}";

        string examples = WriteAndInspect(example, compression);
        string sequences = WriteAndInspect(sequence, compression);

        Assert.That(examples, Is.EqualTo("{\"a\":{\"int64\":[1,-9223372036854775808]},\"b\":{\"float\":[1.5,\"NaN\",\"-Infinity\",-0,3.4028235E+38]},\"c\":{\"bytes\":[\"未知\",{\"b64\":\"/wA=\"}]},\"d\":{\"none\":null}}\n"));
        Assert.That(sequences, Is.EqualTo(sequence + "\n"));
    }

    private string WriteAndInspect(string line, string compression)
    {
        string input = Path.Combine(_temp, "in.jsonl");
        File.WriteAllText(input, line + "\n");
        string output = Path.Combine(_temp, "out.tfrecord");

        var write = InProcess.Run("write", "--input", input, "--output", output, "--compression", compression);

        Assert.That(write.ExitCode, Is.Zero, write.Stderr);
        using (var reader = TfRecordReader.Open(output))
        {
            Assert.That(reader.Compression.ToString(), Is.EqualTo(compression).IgnoreCase);
        }

        return InProcess.Run("inspect", output).Stdout;
    }

    [Test]
    public void Write_keeps_the_key_order_of_each_input_line()
    {
        string input = Path.Combine(_temp, "in.jsonl");
        File.WriteAllText(input, "{\"z\":{\"int64\":[1]},\"a\":{\"int64\":[2]}}\n");
        string output = Path.Combine(_temp, "out.tfrecord");

        InProcess.Run("write", "-i", input, "-o", output);
        byte[] bytes = File.ReadAllBytes(output);

        int z = bytes.AsSpan().IndexOf("\u0001z"u8);
        int a = bytes.AsSpan().IndexOf("\u0001a"u8);
        Assert.That(z, Is.GreaterThan(0));
        Assert.That(a, Is.GreaterThan(z));
    }

    [Test]
    public void Write_rejects_a_bad_line_naming_file_and_line_and_leaves_no_output()
    {
        string input = Path.Combine(_temp, "in.jsonl");
        File.WriteAllText(input, "{\"a\":{\"int64\":[1]}}\n{\"a\":{\"int64\":[1.5]}}\n");
        string output = Path.Combine(_temp, "out.tfrecord");

        var result = InProcess.Run("write", "-i", input, "-o", output);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Stderr, Does.Contain(input + ":2:").And.Contain("not an int64"));
        Assert.That(Directory.GetFiles(_temp), Is.EquivalentTo(new[] { input }));
    }

    [TestCase("count")]
    [TestCase("inspect", "--limit", "minus-one", "x")]
    [TestCase("write", "--input", "x")]
    [TestCase("write", "-i", "a", "-o", "b", "--compression", "lzma")]
    public void Usage_errors_exit_with_2(params string[] args)
    {
        var result = InProcess.Run(args);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Stderr, Does.Contain("sparktf"));
    }

    [TestCase("inspect")]
    [TestCase("count")]
    [TestCase("write")]
    public void Every_command_has_help(string command)
    {
        var result = InProcess.Run(command, "--help");

        Assert.That(result.ExitCode, Is.Zero);
        Assert.That(result.Stdout, Does.Contain("Usage:").And.Contain(command));
    }

    [Test]
    public void A_missing_path_is_a_failure_naming_it()
    {
        var result = InProcess.Run("count", Path.Combine(_temp, "nope.tfrecord"));

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Stderr, Does.Contain("nope.tfrecord").And.Contain("no such file"));
    }
}
