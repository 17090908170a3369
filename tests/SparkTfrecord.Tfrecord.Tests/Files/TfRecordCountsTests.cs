using SparkTfrecord.Tfrecord;
using SparkTfrecord.Tfrecord.Files;
using SparkTfrecord.Tfrecord.Framing;
using SparkTfrecord.Tfrecord.Tests.Support;

namespace SparkTfrecord.Tfrecord.Tests.Files;

/// <summary>Record counts against the fixtures whose record counts shared/fixtures/README.md gives.</summary>
[TestFixture]
[Category("Fast")]
public sealed class TfRecordCountsTests
{
    private const string Train = "tfx-penguin/penguin_data_Split-train_data_tfrecord-00000-of-00001.gz";
    private const string Eval = "tfx-penguin/penguin_data_Split-eval_data_tfrecord-00000-of-00001.gz";
    private string _temp = null!;

    [SetUp]
    public void SetUp() => _temp = Directory.CreateTempSubdirectory("sparktf-counts-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_temp, recursive: true);

    [Test]
    public void Counts_each_file_and_the_total_as_the_readme_gives_them()
    {
        string[] files = [SharedFixtures.Tfrecord(Train), SharedFixtures.Tfrecord(Eval), SharedFixtures.Tfrecord("ecosystem/part-m-00000")];

        var counts = TfRecordCounts.Count(files);

        Assert.That(counts.Files.Select(f => (f.Path, f.Records, f.Skipped)), Is.EqualTo(new[] { (files[0], 234L, (TfRecordSkip?)null), (files[1], 100L, null), (files[2], 5L, null) }));
        Assert.That(counts.Total, Is.EqualTo(339));
    }

    [Test]
    public void Per_folder_counts_add_the_files_of_each_folder_in_the_order_first_seen()
    {
        string train = Copy(Train, "train", "part-00000");
        string eval = Copy(Eval, "eval", "part-00000");
        string secondTrain = Copy("pwnall/singles.tfrecords", "train", "part-00001");

        var counts = TfRecordCounts.Count([train, eval, secondTrain]);

        Assert.That(counts.PerFolder, Is.EqualTo(new[]
        {
            new TfRecordFolderCount(Path.Combine(_temp, "train"), 234 + 3),
            new TfRecordFolderCount(Path.Combine(_temp, "eval"), 100),
        }));
    }

    [Test]
    public void A_damaged_file_throws_unless_skipping_which_keeps_the_records_before_the_damage()
    {
        // data_flipped_rec1: singles.tfrecords (3 records) with a bad data CRC in record 1.
        string file = SharedFixtures.Tfrecord("corrupt/data_flipped_rec1.tfrecord");

        Assert.That(() => TfRecordCounts.Count([file]), Throws.TypeOf<TfRecordFormatException>());
        var skipped = TfRecordCounts.Count([file], new TfRecordReaderOptions { SkipCorrupt = true });

        Assert.That(skipped.Total, Is.EqualTo(1));
        Assert.That(skipped.Files[0].Skipped?.Error.Kind, Is.EqualTo(TfRecordErrorKind.CorruptData));
    }

    [Test]
    public void Each_file_is_reported_before_the_next_is_opened()
    {
        string first = SharedFixtures.Tfrecord("pwnall/singles.tfrecords");
        var reported = new List<string>();

        Assert.That(() => TfRecordCounts.Count([first, Path.Combine(_temp, "missing.tfrecord")], null, f => reported.Add(f.Path)), Throws.InstanceOf<IOException>());
        Assert.That(reported, Is.EqualTo(new[] { first }));
    }

    private string Copy(string fixture, string folder, string name)
    {
        string target = Path.Combine(_temp, folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(SharedFixtures.Tfrecord(fixture), target);
        return target;
    }
}
