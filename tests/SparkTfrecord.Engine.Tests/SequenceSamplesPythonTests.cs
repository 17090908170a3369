using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace SparkTfrecord.Engine.Tests;

/// <summary>
/// The acceptance of issue 14's sequence samples: the samples job's output for tests/spec-cases/sequence/din_seq.yaml,
/// over <see cref="SequenceSamplesTests.SequenceLogs"/>, read by Google's Python protobuf runtime as
/// tf.train.SequenceExample (tests/python/read_tfrecord.py, which shares no code with the C# library and checks both
/// CRCs of every record), with the context and feature lists worked out by hand.
/// </summary>
[TestFixture]
[Category("External")]
[Parallelizable(ParallelScope.None)]
public sealed class SequenceSamplesPythonTests
{
    private const string InstallHint = "apt-get install python3 python3-protobuf python3-crc32c";

    [OneTimeSetUp]
    public void CheckPython() => Prerequisite.RequireDebianPython(InstallHint, "google.protobuf", "crc32c");

    [Test]
    public void Pythons_protobuf_reads_the_samples_as_sequence_examples_with_the_expected_lists()
    {
        using var logs = SequenceSamplesTests.SequenceLogs();
        logs.Run(SequenceSamplesTests.SpecText, SequenceSamplesTests.Day);
        string file = Directory.GetFiles(Path.Combine(logs.Root, "out", SequenceSamplesTests.Day), "part-*").Single();

        var records = ReadWithPython(file).EnumerateArray().ToDictionary(r => Context(r, "request_id"), r => r);

        Assert.That(records.Keys, Is.EquivalentTo(new[] { "r1", "r2", "r3" }));
        var r1 = records["r1"];
        Assert.That(r1.GetProperty("context").EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "label", "request_id", "user_id", "item_id" }));
        Assert.That(Context(r1, "item_id"), Is.EqualTo("B"));
        Assert.That(r1.GetProperty("context").GetProperty("label").GetProperty("values")[0].GetInt64(), Is.EqualTo(1));
        Assert.That(Frames(r1, "clicked_items"), Is.EqualTo(new[] { "bytes C", "bytes A" }));
        Assert.That(Frames(r1, "clicked_age_s"), Is.EqualTo(new[] { "int64 3600", "int64 82800" }));
        Assert.That(Frames(r1, "clicked_categories"), Is.EqualTo(new[] { "bytes unknown", "bytes shoes" }));

        var r2 = records["r2"];
        Assert.That(Frames(r2, "clicked_items"), Is.EqualTo(new[] { "bytes A", "bytes B", "bytes C" }));
        Assert.That(Frames(r2, "clicked_age_s"), Is.EqualTo(new[] { "int64 1800", "int64 3600", "int64 7200" }));
        Assert.That(Frames(r2, "clicked_categories"), Is.EqualTo(new[] { "bytes shoes", "bytes bags", "bytes unknown" }));

        var r3 = records["r3"];
        Assert.That(r3.GetProperty("feature_lists").EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "clicked_items", "clicked_age_s", "clicked_categories" }));
        Assert.That(r3.GetProperty("feature_lists").EnumerateObject().Select(p => p.Value.GetArrayLength()), Is.All.Zero);
    }

    private static string Context(JsonElement record, string name) =>
        Encoding.UTF8.GetString(Convert.FromHexString(record.GetProperty("context").GetProperty(name).GetProperty("values")[0].GetString()!));

    // Each frame as "kind value": one value per frame, so a frame of any other size fails here.
    private static List<string> Frames(JsonElement record, string list) =>
        record.GetProperty("feature_lists").GetProperty(list).EnumerateArray().Select(f =>
        {
            string kind = f.GetProperty("kind").GetString()!;
            JsonElement value = f.GetProperty("values").EnumerateArray().Single();
            return kind + " " + (kind == "bytes" ? Encoding.UTF8.GetString(Convert.FromHexString(value.GetString()!)) : value.GetRawText());
        }).ToList();

    private static JsonElement ReadWithPython(string path)
    {
        string script = Path.Combine(Repo.Root, "tests", "python", "read_tfrecord.py");
        using var process = Process.Start(Prerequisite.DebianPythonStart(script, path, "--compression", "none", "--type", "sequence"))!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill();
            Assert.Fail("read_tfrecord.py did not finish within 60 s");
        }

        Assert.That(process.ExitCode, Is.Zero, $"read_tfrecord.py failed: {stderr.Result}");
        return JsonDocument.Parse(stdout.Result).RootElement;
    }
}
