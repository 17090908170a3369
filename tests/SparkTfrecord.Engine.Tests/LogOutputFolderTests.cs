using System.Text.Json;
using SparkTfrecord.Engine.Generation;

namespace SparkTfrecord.Engine.Tests;

[TestFixture]
[Category("Fast")]
public sealed class LogOutputFolderTests
{
    private string _temp = null!;

    [SetUp]
    public void SetUp() => _temp = Directory.CreateTempSubdirectory("sparktf-log-output-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_temp, recursive: true);

    [Test]
    public void A_missing_or_empty_folder_is_writable_and_claiming_it_makes_a_rerun_writable()
    {
        string missing = Path.Combine(_temp, "logs");
        Assert.That(LogOutputFolder.Check(missing), Is.EqualTo(LogOutputState.Writable));
        Assert.That(LogOutputFolder.Check(_temp), Is.EqualTo(LogOutputState.Writable));

        LogOutputFolder.Claim(missing);
        File.WriteAllText(Path.Combine(missing, "part-00000.parquet"), "x");

        Assert.That(File.Exists(Path.Combine(missing, LogOutputFolder.Marker)), Is.True);
        Assert.That(LogOutputFolder.Check(missing), Is.EqualTo(LogOutputState.Writable));
    }

    [Test]
    public void A_folder_of_other_files_is_foreign_and_a_file_is_not_a_folder()
    {
        string file = Path.Combine(_temp, "events.csv");
        File.WriteAllText(file, "a,b\n");

        Assert.That(LogOutputFolder.Check(_temp), Is.EqualTo(LogOutputState.Foreign));
        Assert.That(LogOutputFolder.Check(file), Is.EqualTo(LogOutputState.File));
    }

    [Test]
    public void The_summary_is_one_json_object_with_the_counts_and_the_full_output_path()
    {
        string relative = Path.GetRelativePath(Environment.CurrentDirectory, _temp);

        using var json = JsonDocument.Parse(new GeneratedLogs(10, 2, 3, 4).SummaryJson(relative));

        Assert.That(json.RootElement.GetProperty("impressions").GetInt64(), Is.EqualTo(10));
        Assert.That(json.RootElement.GetProperty("clicks").GetInt64(), Is.EqualTo(2));
        Assert.That(json.RootElement.GetProperty("users").GetInt64(), Is.EqualTo(3));
        Assert.That(json.RootElement.GetProperty("items").GetInt64(), Is.EqualTo(4));
        Assert.That(json.RootElement.GetProperty("output").GetString(), Is.EqualTo(_temp));
    }
}
