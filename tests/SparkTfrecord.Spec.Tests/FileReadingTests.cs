using SparkTfrecord.Spec.Inference;
using SparkTfrecord.Spec.Validation;
using SparkTfrecord.Tfrecord;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Spec.Tests;

/// <summary>DatasetValidator.AddFile and SchemaInference.AddFile against the fixtures shared/fixtures/README.md describes.</summary>
[TestFixture]
[Category("Fast")]
public sealed class FileReadingTests
{
    private static string Penguin(string name) => Path.Combine(SharedFixtures.TfrecordFolder, "tfx-penguin", name);

    private static string Train => Penguin("penguin_data_Split-train_data_tfrecord-00000-of-00001.gz");

    private static string Eval => Penguin("penguin_data_Split-eval_data_tfrecord-00000-of-00001.gz");

    [Test]
    public void The_validator_reads_every_record_of_each_file_against_the_tfdv_schema()
    {
        var validator = new DatasetValidator(ValidationRules.LoadTfdvSchema(Penguin("penguin_schema_schema.pbtxt")));

        var train = validator.AddFile(Train);
        var eval = validator.AddFile(Eval);
        var report = validator.GetReport();

        Assert.That((train.Records, eval.Records, train.Skipped, eval.Skipped), Is.EqualTo((234L, 100L, (TfRecordSkip?)null, (TfRecordSkip?)null)));
        Assert.That(report.Records, Is.EqualTo(334));
        Assert.That(report.Files, Is.EqualTo(new[] { Train, Eval }));
        Assert.That(report.IsClean, Is.True);
    }

    [Test]
    public void The_validator_reports_what_a_skipping_reader_dropped()
    {
        var validator = new DatasetValidator(ValidationRules.LoadTfdvSchema(Penguin("penguin_schema_schema.pbtxt")));
        string damaged = Path.Combine(SharedFixtures.TfrecordFolder, "corrupt", "data_flipped_rec1.tfrecord");

        var read = validator.AddFile(damaged, new TfRecordReaderOptions { SkipCorrupt = true });

        Assert.That(read.Records, Is.EqualTo(1));
        Assert.That(read.Skipped?.Error.Kind, Is.EqualTo(TfRecordErrorKind.CorruptData));
        Assert.That(() => new DatasetValidator(ValidationRules.LoadTfdvSchema(Penguin("penguin_schema_schema.pbtxt"))).AddFile(damaged), Throws.TypeOf<TfRecordFormatException>());
    }

    [Test]
    public void Schema_inference_stops_at_the_limit_over_all_files_yet_opens_each_file()
    {
        var inference = new SchemaInference();

        inference.AddFile(Train, maxRecords: 300);
        inference.AddFile(Eval, maxRecords: 300);

        Assert.That(inference.RecordCount, Is.EqualTo(300));
        Assert.That(() => inference.AddFile(Path.Combine(SharedFixtures.TfrecordFolder, "missing.tfrecord"), maxRecords: 300), Throws.InstanceOf<IOException>());
        Assert.That(inference.ToPrintSchema(), Does.Contain(" |-- species: long (nullable = true)"));
    }
}
