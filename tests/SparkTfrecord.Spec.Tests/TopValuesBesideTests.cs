using System.Text;
using SparkTfrecord.Spec.Statistics;
using SparkTfrecord.Spec.Validation;
using SparkTfrecord.Tfrecord;
using SparkTfrecord.Tfrecord.Example;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Spec.Tests;

/// <summary>
/// With statistics, <see cref="DatasetValidator.AddFile"/> counts the string features' top values and distinct counts on
/// a second thread (<see cref="TopValuesFeed"/>). Its statistics must be those of counting on the validator's own thread,
/// value for value (the top values' summary depends on the order the values come in): the same datasets are validated
/// both ways and their saved statistics and text report compared whole, for Examples and SequenceExamples, with
/// vocabularies (small and large), values outside them, empty values, missing features and more distinct values than
/// the summary keeps; after a damaged record; and with records added one by one after a file.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class TopValuesBesideTests
{
    private const string ExampleSpec = """
        spec: 1
        name: beside
        features:
          - {name: label, dtype: int64, role: label}
          - {name: user, dtype: string, role: user}
          - {name: gender, dtype: string, role: user, domain: ["f", "m", "x"]}
          - {name: city, dtype: string, role: user, domain: [c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11]}
          - {name: h, dtype: string, shape: var, role: history}
        """;

    private const string SequenceSpec = """
        spec: 1
        name: beside_seq
        features:
          - {name: label, dtype: int64, role: label}
          - {name: user, dtype: string, role: user}
          - {name: clicks, dtype: string, shape: seq, role: history}
          - {name: kinds, dtype: string, shape: seq, role: history, domain: [a, b, c]}
        """;

    private string _temp = null!;

    [SetUp]
    public void SetUp() => _temp = Directory.CreateTempSubdirectory("sparktf-beside-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_temp, recursive: true);

    [Test]
    public void Examples_counted_on_a_second_thread_have_the_statistics_of_counting_on_one()
    {
        string[] files = [.. Enumerable.Range(0, 3).Select(f => WriteExamples($"part-{f}.tfrecord", seed: f, records: 4000))];
        AssertSameStatistics(ExampleSpec, files, "\"h-0\"", "the history's top values are in the statistics compared");
    }

    [Test]
    public void Sequence_examples_counted_on_a_second_thread_have_the_statistics_of_counting_on_one()
    {
        string[] files = [.. Enumerable.Range(0, 2).Select(f => WriteSequences($"part-{f}.tfrecord", seed: f, records: 3000))];
        AssertSameStatistics(SequenceSpec, files, "\"s-0\"", "the feature list's top values are in the statistics compared");
    }

    [Test]
    public void Records_before_a_damaged_one_are_counted_as_on_one_thread()
    {
        string good = WriteExamples("part-0.tfrecord", seed: 1, records: 3000);
        string damaged = WriteExamples("part-1.tfrecord", seed: 2, records: 3000);
        byte[] bytes = File.ReadAllBytes(damaged);
        File.WriteAllBytes(damaged, bytes[..(bytes.Length / 2)]); // cut inside a record

        string Run(bool beside)
        {
            var validator = NewValidator(ExampleSpec, beside);
            validator.AddFile(good);
            Assert.Throws<TfRecordFormatException>(() => validator.AddFile(damaged));
            return Json(validator.GetReport());
        }

        Assert.That(Run(beside: true), Is.EqualTo(Run(beside: false)));
    }

    [Test]
    public void Records_added_one_by_one_after_a_file_are_counted_in_order()
    {
        string file = WriteExamples("part-0.tfrecord", seed: 3, records: 3000);
        string more = WriteExamples("part-1.tfrecord", seed: 4, records: 3000);

        string Run(bool beside)
        {
            var validator = NewValidator(ExampleSpec, beside);
            validator.AddFile(file);
            using TfRecordReader reader = TfRecordReader.Open(more);
            validator.BeginFile(more);
            while (reader.TryRead(out ReadOnlySpan<byte> payload))
            {
                validator.Add(payload);
            }

            return Json(validator.GetReport());
        }

        Assert.That(Run(beside: true), Is.EqualTo(Run(beside: false)));
    }

    // The files' statistics counted on a second thread and on one are equal, and hold `kept` (so the values compared
    // were counted at all).
    private static void AssertSameStatistics(string spec, string[] files, string kept, string what)
    {
        string beside = Statistics(spec, files, beside: true);
        string alone = Statistics(spec, files, beside: false);

        Assert.That(beside, Is.EqualTo(alone));
        Assert.That(beside, Does.Contain(kept), what);
    }

    private static string Statistics(string spec, string[] files, bool beside)
    {
        var validator = NewValidator(spec, beside);
        foreach (string file in files)
        {
            validator.AddFile(file);
        }

        return Json(validator.GetReport());
    }

    private static DatasetValidator NewValidator(string spec, bool beside) =>
        new(ValidationRules.FromSpec(SpecLoader.Parse(spec)), statistics: true) { TopValuesBeside = beside };

    private static string Json(ValidationReport report)
    {
        using var stream = new MemoryStream();
        StatisticsJson.Write(stream, DatasetStatistics.Of(report, "data", null, DateTimeOffset.UnixEpoch));
        var text = new StringWriter();
        report.WriteText(text);
        return Encoding.UTF8.GetString(stream.ToArray()) + text;
    }

    // A Zipf-like draw from 20,000 names (more than the top values keep, so the order they come in matters).
    private static string Draw(Random random, string prefix)
    {
        int rank = (int)Math.Min(19_999, Math.Floor(Math.Pow(20_000, random.NextDouble())) - 1);
        return $"{prefix}-{rank}" + new string('x', rank % 7);
    }

    private string WriteExamples(string name, int seed, int records)
    {
        string path = Path.Combine(_temp, name);
        var random = new Random(seed);
        var encoder = new ExampleEncoder();
        using TfRecordWriter writer = TfRecordWriter.Create(path);
        for (int i = 0; i < records; i++)
        {
            encoder.Clear();
            encoder.AddInt64(new FeatureKey("label"), random.Next(2));
            if (i % 50 != 7)
            {
                encoder.AddString(new FeatureKey("user"), i % 97 == 0 ? "" : Draw(random, "u"));
            }

            encoder.AddString(new FeatureKey("gender"), i % 301 == 0 ? "unknown" : ((string[])["f", "m", "x"])[random.Next(3)]);
            encoder.AddString(new FeatureKey("city"), i % 211 == 0 ? "nowhere" : $"c{random.Next(12)}");
            encoder.AddStringList(new FeatureKey("h"), [.. Enumerable.Range(0, random.Next(60)).Select(_ => Draw(random, "h"))]);

            writer.WriteFramed(encoder.GetRecord());
        }

        return path;
    }

    private string WriteSequences(string name, int seed, int records)
    {
        string path = Path.Combine(_temp, name);
        var random = new Random(seed);
        var encoder = new SequenceExampleEncoder();
        using TfRecordWriter writer = TfRecordWriter.Create(path);
        for (int i = 0; i < records; i++)
        {
            encoder.Clear();
            encoder.AddInt64List(new FeatureKey("label"), [random.Next(2)]);
            encoder.AddStringList(new FeatureKey("user"), [Draw(random, "u")]);
            encoder.BeginFeatureList(new FeatureKey("clicks"));
            int frames = random.Next(12);
            for (int f = 0; f < frames; f++)
            {
                encoder.AddStringFrame([.. Enumerable.Range(0, 1 + random.Next(3)).Select(_ => Draw(random, "s"))]);
            }

            encoder.EndFeatureList();
            encoder.BeginFeatureList(new FeatureKey("kinds"));
            for (int f = 0; f < frames; f++)
            {
                encoder.AddStringFrame([i % 53 == 0 ? "z" : ((string[])["a", "b", "c"])[random.Next(3)]]);
            }

            encoder.EndFeatureList();
            writer.WriteFramed(encoder.GetRecord());
        }

        return path;
    }
}
