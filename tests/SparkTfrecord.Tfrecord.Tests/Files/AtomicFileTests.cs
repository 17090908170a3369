using System.Text;
using SparkTfrecord.Tfrecord.Files;

namespace SparkTfrecord.Tfrecord.Tests.Files;

[TestFixture]
[Category("Fast")]
public sealed class AtomicFileTests
{
    private string _temp = null!;

    [SetUp]
    public void SetUp() => _temp = Directory.CreateTempSubdirectory("sparktf-atomic-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_temp, recursive: true);

    [Test]
    public void Writes_utf8_text_without_a_byte_order_mark_replacing_the_target()
    {
        string target = Path.Combine(_temp, "out.json");
        File.WriteAllText(target, "old content, longer than the new one");

        AtomicFile.WriteAllText(target, "未知\n");

        Assert.That(File.ReadAllBytes(target), Is.EqualTo(Encoding.UTF8.GetBytes("未知\n")));
        Assert.That(Directory.GetFiles(_temp), Is.EqualTo(new[] { target }), "no temporary file is left");
    }

    [Test]
    public void A_failed_write_leaves_the_target_as_it_was_and_no_temporary_file()
    {
        string target = Path.Combine(_temp, "report.json");
        File.WriteAllText(target, "previous");

        Assert.That(() => AtomicFile.Write(target, stream =>
        {
            stream.Write("half"u8);
            throw new IOException("disk full");
        }), Throws.TypeOf<IOException>().With.Message.EqualTo("disk full"));

        Assert.That(File.ReadAllText(target), Is.EqualTo("previous"));
        Assert.That(Directory.GetFiles(_temp), Is.EqualTo(new[] { target }));
    }

    [Test]
    public void The_target_is_absent_until_the_content_is_complete()
    {
        string target = Path.Combine(_temp, "new.txt");
        bool existedWhileWriting = true;

        AtomicFile.Write(target, stream =>
        {
            stream.Write("x"u8);
            existedWhileWriting = File.Exists(target);
        });

        Assert.That(existedWhileWriting, Is.False);
        Assert.That(File.ReadAllText(target), Is.EqualTo("x"));
    }

    [Test]
    public void The_temporary_file_is_hidden_beside_the_target_so_folder_listings_skip_it()
    {
        string temp = AtomicFile.TemporaryPathBeside(Path.Combine(_temp, "part-00000"));

        Assert.That(Path.GetDirectoryName(temp), Is.EqualTo(_temp));
        Assert.That(TfRecordPaths.IsDataFileName(Path.GetFileName(temp)), Is.False);
    }
}
