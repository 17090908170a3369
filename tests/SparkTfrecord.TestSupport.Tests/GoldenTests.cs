namespace SparkTfrecord.TestSupport.Tests;

/// <summary>A golden file's check, and its update mode, which writes the file and fails the run that wrote it.</summary>
[TestFixture]
[Category("Fast")]
public sealed class GoldenTests
{
    private string _folder = "";

    [SetUp]
    public void SetUp() => _folder = Directory.CreateTempSubdirectory("sparktf-golden-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    private string File(string name) => Path.Combine(_folder, "golden", name);

    private void Write(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
    }

    [Test]
    public void An_update_that_changes_a_golden_file_writes_it_and_fails_naming_the_file()
    {
        string path = File("din.delta.sql");
        Write(path, "SELECT 1;\n");

        var failure = Assert.Throws<AssertionException>(() => Golden.Check(path, "SELECT 2;\n", "the rendering of din", updating: true));

        Assert.That(System.IO.File.ReadAllText(path), Is.EqualTo("SELECT 2;\n"));
        Assert.That(failure.Message, Does.Contain("golden file written: " + path));
        Assert.That(failure.Message, Does.Contain("rerun without SPARKTF_UPDATE_GOLDEN"));
    }

    [Test]
    public void An_update_that_creates_a_missing_golden_file_writes_it_and_fails()
    {
        string path = File("new.sql");

        var failure = Assert.Throws<AssertionException>(() => Golden.Check(path, "SELECT 3;\n", "the rendering of new", updating: true));

        Assert.That(System.IO.File.ReadAllText(path), Is.EqualTo("SELECT 3;\n"));
        Assert.That(failure.Message, Does.Contain("golden file written: " + path));
    }

    [Test]
    public void An_update_run_passes_a_golden_file_it_did_not_need_to_change_and_leaves_it_alone()
    {
        string path = File("same.sql");
        Write(path, "SELECT 4;\n");
        var written = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        System.IO.File.SetLastWriteTimeUtc(path, written);

        Assert.DoesNotThrow(() => Golden.Check(path, "SELECT 4;\n", "the rendering of same", updating: true));

        Assert.That(System.IO.File.GetLastWriteTimeUtc(path), Is.EqualTo(written));
    }

    [Test]
    public void A_check_that_differs_fails_with_the_update_command_and_leaves_the_file_alone()
    {
        string path = File("din.delta.sql");
        Write(path, "SELECT 1;\n");

        var failure = Assert.Throws<AssertionException>(() => Golden.Check(path, "SELECT 2;\n", "the rendering of din", updating: false));

        Assert.That(System.IO.File.ReadAllText(path), Is.EqualTo("SELECT 1;\n"));
        Assert.That(failure.Message, Does.Contain("the rendering of din differs from its golden file " + path));
        Assert.That(failure.Message, Does.Contain("SPARKTF_UPDATE_GOLDEN=1 dotnet test tests/SparkTfrecord.TestSupport.Tests --filter FullyQualifiedName~SparkTfrecord.TestSupport.Tests.GoldenTests"));
    }

    [Test]
    public void A_check_of_a_missing_golden_file_fails_without_writing_it()
    {
        string path = File("missing.sql");

        var failure = Assert.Throws<AssertionException>(() => Golden.Check(path, "SELECT 5;\n", "the rendering of missing", updating: false));

        Assert.That(System.IO.File.Exists(path), Is.False);
        Assert.That(failure.Message, Does.Contain(path + " is missing"));
    }

    [Test]
    public void A_check_of_an_equal_golden_file_passes()
    {
        string path = File("equal.sql");
        Write(path, "SELECT 6;\n");

        Assert.DoesNotThrow(() => Golden.Check(path, "SELECT 6;\n", "the rendering of equal", updating: false));
    }
}
