using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SparkTfrecord.Tfrecord.Example;
using SparkTfrecord.Tfrecord.Framing;
using SparkTfrecord.Tfrecord.Tests.Support;

namespace SparkTfrecord.Tfrecord.Tests.CrossLanguage;

/// <summary>
/// Files our writer makes are read by an independent reader: tests/python/read_tfrecord.py, which checks both CRCs
/// with the crc32c module and parses payloads with Google's Python protobuf runtime (Debian's python3-protobuf and
/// python3-crc32c, run with /usr/bin/python3). Its JSON must give exactly the contents we wrote.
/// </summary>
[TestFixture]
[Category("External")]
public sealed class PythonReaderTests
{
    private const string Python = Prerequisite.DebianPython;
    private const string InstallHint = "apt-get install python3 python3-protobuf python3-crc32c";

    private string _dir = null!;

    [OneTimeSetUp]
    public void CheckPython() => Prerequisite.RequireDebianPython(InstallHint, "google.protobuf", "crc32c");

    [SetUp]
    public void CreateDirectory()
    {
        _dir = Path.Combine(Path.GetTempPath(), "sparktfrecord-python-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Python_reads_random_examples_our_writer_wrote([Values] TfRecordCompression compression)
    {
        var generator = new ExampleGenerator(600 + (int)compression) { QuietNaNsOnly = true };
        var models = new List<ExampleModel> { EdgeValues() };
        models.AddRange(Enumerable.Range(0, 300).Select(_ => generator.NextExample()));
        string path = Path.Combine(_dir, "examples.tfrecord");
        var encoder = new ExampleEncoder();
        using (var writer = TfRecordWriter.Create(path, new TfRecordWriterOptions { Compression = compression, BufferSize = 4096 }))
        {
            foreach (ExampleModel model in models)
            {
                encoder.Clear();
                ModelCodec.AddTo(encoder, model, generator.Random);
                writer.WriteFramed(encoder.GetRecord());
            }
        }

        JsonElement records = ReadWithPython(path, compression, "example");

        Assert.That(records.GetArrayLength(), Is.EqualTo(models.Count));
        for (int i = 0; i < models.Count; i++)
        {
            Assert.That(Features(records[i].GetProperty("features")), Is.EqualTo(Sorted(models[i].Expected())), $"record {i}: {models[i]}");
        }
    }

    [Test]
    public void Python_reads_random_sequence_examples_our_writer_wrote([Values] TfRecordCompression compression)
    {
        var generator = new ExampleGenerator(700 + (int)compression) { QuietNaNsOnly = true };
        var models = Enumerable.Range(0, 100).Select(_ => generator.NextSequenceExample()).ToList();
        string path = Path.Combine(_dir, "sequences.tfrecord");
        var encoder = new SequenceExampleEncoder();
        using (var writer = TfRecordWriter.Create(path, new TfRecordWriterOptions { Compression = compression }))
        {
            foreach (SequenceExampleModel model in models)
            {
                encoder.Clear();
                ModelCodec.AddTo(encoder, model);
                writer.Write(encoder.GetPayload());
            }
        }

        JsonElement records = ReadWithPython(path, compression, "sequence");

        Assert.That(records.GetArrayLength(), Is.EqualTo(models.Count));
        for (int i = 0; i < models.Count; i++)
        {
            var lines = Features(records[i].GetProperty("context")).Select(l => "context " + l).ToList();
            foreach (JsonProperty list in records[i].GetProperty("feature_lists").EnumerateObject())
            {
                lines.AddRange(Describe.List(list.Name, list.Value.EnumerateArray().Select(Feature)));
            }

            Assert.That(Sorted(lines), Is.EqualTo(Sorted(models[i].Expected())), $"record {i}");
        }
    }

    [TestCase("pwnall/singles.tfrecords", TfRecordCompression.None)]
    [TestCase("synthetic/singles_two_members.tfrecords.gz", TfRecordCompression.Gzip)]
    [TestCase("synthetic/singles.tfrecords.zlib", TfRecordCompression.Zlib)]
    [TestCase("synthetic/edge_values.tfrecord", TfRecordCompression.None)]
    [TestCase("synthetic/duplicate_key.tfrecord", TfRecordCompression.None)]
    [TestCase("synthetic/empty_key_csharp_style.tfrecord", TfRecordCompression.None)]
    [TestCase("tfx-penguin/penguin_data_Split-eval_data_tfrecord-00000-of-00001.gz", TfRecordCompression.Gzip)]
    public void Python_and_our_reader_agree_on_the_fixtures(string file, TfRecordCompression compression)
    {
        string path = SharedFixtures.Tfrecord(file);

        JsonElement records = ReadWithPython(path, compression, "example");

        var ours = Records.DecodeExamples(Records.ReadFile(path));
        Assert.That(records.EnumerateArray().Select(r => Features(r.GetProperty("features"))), Is.EqualTo(ours.Select(Sorted)));
    }

    [Test]
    public void Python_reader_rejects_a_bad_data_crc()
    {
        var (exit, _, stderr) = Run(Script, SharedFixtures.Tfrecord("corrupt/data_flipped_rec1.tfrecord"));

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(stderr, Does.Contain("corrupted record at 52"));
    }

    private static string Script => Path.Combine(Repo.Root, "tests", "python", "read_tfrecord.py");

    private static ExampleModel EdgeValues() => new(
    [
        new("", FeatureModel.Of(1L)),
        new("empty_bytes", FeatureModel.Of(Array.Empty<byte[]>())),
        new("empty_float", FeatureModel.Of(Array.Empty<float>())),
        new("empty_int64", FeatureModel.Of(Array.Empty<long>())),
        new("floats", FeatureModel.OfFloatBits(0x7fc00000, 0xffc00000, 0x7fc12345, 0x7f800000, 0xff800000, 0x80000000, 0x00000001)),
        new("ints", FeatureModel.Of(long.MinValue, long.MaxValue, -1L, 0L)),
        new("not_utf8", FeatureModel.Of([0xff, 0xfe], [], [0xc0, 0x80])),
        new("no_kind", FeatureModel.None),
        new("名前 😀", FeatureModel.OfStrings("ünïcödé", "")),
    ]);

    private JsonElement ReadWithPython(string path, TfRecordCompression compression, string type)
    {
        var (exit, stdout, stderr) = Run(Script, path, "--compression", compression.ToString().ToLowerInvariant(), "--type", type);
        if (exit == 3)
        {
            throw Prerequisite.Missing($"{stderr.Trim()} (install with: {InstallHint})");
        }

        Assert.That(exit, Is.Zero, $"read_tfrecord.py failed: {stderr}");
        return JsonDocument.Parse(stdout).RootElement;
    }

    private static List<string> Features(JsonElement features) =>
        Sorted(features.EnumerateObject().Select(f => Describe.Named(f.Name, Feature(f.Value))));

    private static string Feature(JsonElement feature)
    {
        var values = feature.GetProperty("values").EnumerateArray();
        return feature.GetProperty("kind").GetString() switch
        {
            "int64" => Describe.Int64s(values.Select(v => v.GetInt64())),
            "float" => Describe.FloatBits(values.Select(v => BitConverter.ToUInt32(Convert.FromHexString(v.GetString()!)))),
            "bytes" => Describe.BytesHex(values.Select(v => v.GetString()!)),
            "none" => Describe.NoKind,
            var kind => throw new InvalidDataException($"unknown kind {kind}"),
        };
    }

    private static List<string> Sorted(IEnumerable<string> lines) => [.. lines.Order(StringComparer.Ordinal)];

    private static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        using var process = Process.Start(Prerequisite.DebianPythonStart(args))!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill();
            Assert.Fail($"{Python} {string.Join(' ', args)} did not finish within 60 s");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
