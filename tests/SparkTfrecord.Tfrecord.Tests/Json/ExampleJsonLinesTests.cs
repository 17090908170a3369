using System.Text;
using SparkTfrecord.Tfrecord.Files;
using SparkTfrecord.Tfrecord.Framing;
using SparkTfrecord.Tfrecord.Json;
using SparkTfrecord.Tfrecord.Tests.Support;

namespace SparkTfrecord.Tfrecord.Tests.Json;

/// <summary>The JSON lines of fixtures whose contents shared/fixtures/README.md gives.</summary>
[TestFixture]
[Category("Fast")]
public sealed class ExampleJsonLinesTests
{
    [Test]
    public void Prints_one_object_per_record_with_sorted_keys()
    {
        // pwnall/data.tfrecord: 1 Example, answer int64 42, pi float 3.14, name bytes "ABC".
        Assert.That(Print([SharedFixtures.Tfrecord("pwnall/data.tfrecord")]),
            Is.EqualTo("{\"answer\":{\"int64\":[42]},\"name\":{\"bytes\":[\"ABC\"]},\"pi\":{\"float\":[3.14]}}\n"));
    }

    [Test]
    public void The_limit_counts_records_across_files_and_later_files_are_not_opened()
    {
        // ecosystem/part-m-00000: 5 Examples, feature data; singles: 3 Examples. A missing file after the limit is never opened.
        var files = new[] { SharedFixtures.Tfrecord("ecosystem/part-m-00000"), SharedFixtures.Tfrecord("pwnall/singles.tfrecords"), "/nonexistent/part-0" };
        var read = new List<TfRecordFileSummary>();

        string text = Print(files, new ExampleJsonLinesOptions { Limit = 7 }, read.Add);

        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(7));
        Assert.That(lines.Take(5), Has.All.StartWith("{\"data\":{\"int64\":["));
        Assert.That(lines[5], Does.StartWith("{\"int_feature\":{\"int64\":[42]}"));
        Assert.That(read.Select(r => r.Path), Is.EqualTo(files.Take(2)));
    }

    [Test]
    public void A_file_of_sequence_examples_is_detected_and_printed_with_context_and_feature_lists()
    {
        string text = Print([SharedFixtures.Tfrecord("synthetic/sequence_example.tfrecord")]);

        Assert.That(text, Does.StartWith("{\"context\":{\"age\":{\"float\":[19]},\"locale\":{\"bytes\":[\"pt_BR\"]}},\"feature_lists\":{\"empty_list\":[],"));
    }

    [Test]
    public void Forcing_sequence_examples_on_a_file_of_examples_is_refused_naming_the_file()
    {
        // An Example's features map is field 1, as a SequenceExample's context is, so both parse; without a feature_lists
        // field in any of the first records the file holds Examples (issue 14: inspect --seq says so, printing nothing).
        string file = SharedFixtures.Tfrecord("pwnall/data.tfrecord");
        using var output = new MemoryStream();

        var e = Assert.Throws<TfRecordFormatException>(() => new ExampleJsonLines(output, new ExampleJsonLinesOptions { ForceSequence = true }).Write([file]))!;

        Assert.That(e.Message, Does.StartWith($"{file}: record at byte offset 0: "));
        Assert.That(e.Message, Does.EndWith("the file holds tf.train.Examples, not tf.train.SequenceExamples. Read it without --seq."));
        Assert.That(output.Length, Is.Zero);
    }

    [Test]
    public void Forcing_sequence_examples_prints_a_sequence_example_file()
    {
        string text = Print([SharedFixtures.Tfrecord("synthetic/sequence_example.tfrecord")], new ExampleJsonLinesOptions { ForceSequence = true });

        Assert.That(text, Does.StartWith("{\"context\":{\"age\":{\"float\":[19]},\"locale\":{\"bytes\":[\"pt_BR\"]}},\"feature_lists\":{\"empty_list\":[],"));
    }

    [Test]
    public void Bytes_values_longer_than_the_shown_length_are_shortened()
    {
        // singles.tfrecords' third record: byte_feature "@ABCD".
        string text = Print([SharedFixtures.Tfrecord("pwnall/singles.tfrecords")], new ExampleJsonLinesOptions { MaxBytesShown = 2 });

        Assert.That(text.Split('\n')[2], Is.EqualTo("{\"byte_feature\":{\"bytes\":[{\"length\":5,\"head\":\"@A\"}]}}"));
    }

    [Test]
    public void A_damaged_payload_names_the_file_and_the_records_offset()
    {
        // A framed record (valid CRCs) whose payload is not a protobuf message.
        string file = Path.Combine(Path.GetTempPath(), $"sparktf-jsonlines-{Guid.NewGuid():N}.tfrecord");
        try
        {
            using (var writer = TfRecordWriter.Create(file))
            {
                writer.Write([0xff, 0xff, 0xff]); // a tag whose varint never ends
            }

            Assert.That(() => Print([file]), Throws.TypeOf<TfRecordFormatException>().With.Message.Contain(file).And.Message.Contain("record at byte offset 0"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string Print(IEnumerable<string> files, ExampleJsonLinesOptions? options = null, Action<TfRecordFileSummary>? read = null)
    {
        using var output = new MemoryStream();
        new ExampleJsonLines(output, options).Write(files, null, read);
        return Encoding.UTF8.GetString(output.ToArray());
    }
}
