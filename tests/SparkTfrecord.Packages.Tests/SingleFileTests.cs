namespace SparkTfrecord.Packages.Tests;

/// <summary>
/// The self-contained single-file sparktf (no .NET installed needed; DuckDB's native library is inside and extracted
/// on first run), as .ci/run publishes it into artifacts/single-file.
/// </summary>
[TestFixture]
[Category("Process")]
public sealed class SingleFileTests
{
    private string _folder = "";
    private string _sparktf = "";

    // A fresh extraction folder, so the run proves the bundle carries its native library, not a leftover extraction.
    private Dictionary<string, string?> _environment = [];

    [OneTimeSetUp]
    public void FindSingleFile()
    {
        _sparktf = Artifacts.RequireSingleFile();
        _folder = Directory.CreateTempSubdirectory("sparktf-single-").FullName;
        _environment = new() { ["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = Path.Combine(_folder, "extract") };
    }

    [OneTimeTearDown]
    public void RemoveFolder()
    {
        if (_folder.Length > 0)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Test]
    public void Single_file_is_the_only_file_published()
    {
        // The assemblies, DuckDB's native library and the runtime are inside; nothing is left beside it.
        Assert.That(Directory.GetFileSystemEntries(Path.GetDirectoryName(_sparktf)!).Select(Path.GetFileName), Is.EqualTo(new[] { "sparktf" }));
    }

    [Test]
    public void Single_file_prints_the_version_of_Directory_Build_props() =>
        SparktfSmoke.AssertVersion(_sparktf, _folder, _environment);

    [Test]
    public void Single_file_runs_a_samples_job_whose_output_reads_back() =>
        SparktfSmoke.AssertSamplesRun(_sparktf, _folder, _environment);
}
