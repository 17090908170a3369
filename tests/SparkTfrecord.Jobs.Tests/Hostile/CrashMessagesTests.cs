using System.Text;
using SparkTfrecord.Tfrecord.Example;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Jobs.Tests.Hostile;

/// <summary>The format commands on files that once crashed them, run in process (no process boundary is under test):
/// each ends with one clear message and its exit code, no user file changed and nothing left behind.</summary>
[TestFixture]
[Category("Fast")]
internal sealed class CrashMessagesTests
{
    private static string Spec => Path.Combine(Sparktf.RepoRoot, "conf", "din.yaml");

    [TestCase("/")]
    [TestCase(".")]
    [TestCase("folder/")]
    public void Write_to_a_folder_says_to_name_a_file(string output)
    {
        using var sandbox = Sandbox.Create("write-folder");
        sandbox.Write("in.jsonl", "{\"a\": {\"int64\": [1]}}\n");
        Directory.CreateDirectory(sandbox.Path("folder"));
        var before = sandbox.Snapshot();

        var result = InProcess.Run("write", "--input", sandbox.Path("in.jsonl"), "--output", sandbox.Path(output));

        CrashTests.AssertMessage(result, 2, "is a folder", "name the TFRecord file");
        sandbox.AssertUntouchedOutside(before);
        sandbox.AssertNoLeftovers();
    }

    [Test]
    public void Inspect_of_a_record_too_long_to_print_says_so_before_printing_and_max_bytes_shown_shows_it()
    {
        // One bytes value just over the 64 MiB that inspect prints whole; the file is valid TFRecord.
        using var sandbox = Sandbox.Create("inspect-huge");
        int length = (64 << 20) + 1;
        string file = sandbox.Path("huge.tfrecord");
        byte[] blob = new byte[length];
        Array.Fill(blob, (byte)'x');
        "head"u8.CopyTo(blob);
        var encoder = new ExampleEncoder();
        encoder.AddBytes(new FeatureKey("blob"), blob);
        encoder.AddInt64(new FeatureKey("id"), 7);
        using (var writer = TfRecordWriter.Create(file))
        {
            writer.WriteFramed(encoder.GetRecord());
        }

        var before = sandbox.Snapshot();

        var refused = InProcess.Run("inspect", file);
        var shown = InProcess.Run("inspect", file, "--max-bytes-shown", "10");

        CrashTests.AssertMessage(refused, 1, "huge.tfrecord", "byte offset 0", $"{length} bytes", "'blob'", "--max-bytes-shown");
        Assert.That(refused.StdoutBytes, Is.Empty, "no half line on stdout");
        Assert.That(shown.ExitCode, Is.Zero, shown.Stderr);
        Assert.That(shown.Stdout, Is.EqualTo($"{{\"blob\":{{\"bytes\":[{{\"length\":{length},\"head\":\"headxxxxxx\"}}]}},\"id\":{{\"int64\":[7]}}}}\n"));
        sandbox.AssertUntouchedOutside(before);
        sandbox.AssertNoLeftovers();
    }

    [Test]
    public void A_shortened_value_is_refused_by_write_so_it_is_never_taken_for_the_whole()
    {
        using var sandbox = Sandbox.Create("inspect-short");
        sandbox.Write("in.jsonl", "{\"s\": {\"bytes\": [\"a long text value\"]}}\n");
        Assert.That(InProcess.Run("write", "--input", sandbox.Path("in.jsonl"), "--output", sandbox.Path("a.tfrecord")).ExitCode, Is.Zero);
        var shown = InProcess.Run("inspect", sandbox.Path("a.tfrecord"), "--max-bytes-shown", "4");
        Assert.That(shown.Stdout, Is.EqualTo("{\"s\":{\"bytes\":[{\"length\":17,\"head\":\"a lo\"}]}}\n"));
        sandbox.Write("short.jsonl", shown.Stdout);

        var back = InProcess.Run("write", "--input", sandbox.Path("short.jsonl"), "--output", sandbox.Path("b.tfrecord"));

        CrashTests.AssertMessage(back, 1, "short.jsonl:1");
        Assert.That(File.Exists(sandbox.Path("b.tfrecord")), Is.False);
    }

    [TestCase("inspect")]
    [TestCase("count")]
    [TestCase("validate")]
    public void Record_too_large_names_the_option_that_raises_the_cap_and_the_option_works(string command)
    {
        using var sandbox = Sandbox.Create("record-cap");
        var encoder = new ExampleEncoder();
        encoder.AddBytes(new FeatureKey("blob"), Encoding.ASCII.GetBytes(new string('y', 5000)));
        using (var writer = TfRecordWriter.Create(sandbox.Path("a.tfrecord")))
        {
            writer.WriteFramed(encoder.GetRecord());
        }

        string[] extra = command == "validate" ? ["--spec", Spec] : [];
        var before = sandbox.Snapshot();

        var capped = InProcess.Run([command, sandbox.Path("a.tfrecord"), "--max-record-bytes", "1000", .. extra]);
        var raised = InProcess.Run([command, sandbox.Path("a.tfrecord"), "--max-record-bytes", "10000", .. extra]);

        CrashTests.AssertMessage(capped, 1, "record too large", "byte offset 0", "above the cap of 1000 bytes", "--max-record-bytes");
        Assert.That(raised.Stderr, Does.Not.Contain("record too large"), "a raised cap reads the record");
        if (command != "validate")
        {
            Assert.That(raised.ExitCode, Is.Zero, raised.Stderr);
        }

        sandbox.AssertUntouchedOutside(before);
        sandbox.AssertNoLeftovers();
    }
}
