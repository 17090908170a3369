namespace SparkTfrecord.Packages.Tests;

/// <summary>
/// The format library's public API is tracked in lib/SparkTfrecord.Tfrecord/PublicAPI.*.txt: a copy of the project
/// (with the repository's build files) that gains a public type and loses a listed member without updating the files
/// must fail to build, naming both (RS0016, RS0017). One build of a small project, so the Process tier.
/// </summary>
[TestFixture]
[Category("Process")]
public sealed class PublicApiTrackingTests
{
    private const string Project = "SparkTfrecord.Tfrecord";
    private const string AddedType = "SparkTfrecord.Tfrecord.ApiAddedWithoutTracking";
    private const string RemovedMember = "SparkTfrecord.Tfrecord.Framing.TfRecordReader.MemberThatNoLongerExists() -> void";

    private string _folder = "";

    [SetUp]
    public void CopyProject()
    {
        _folder = Directory.CreateTempSubdirectory("sparktf-publicapi-").FullName;
        foreach (string file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json" })
        {
            File.Copy(Repo.In(file), Path.Combine(_folder, file));
        }

        // The same relative place, so Directory.Build.props treats it as a library exactly as in the repository.
        CopySources(Repo.In("lib", Project), Path.Combine(_folder, "lib", Project));
    }

    [TearDown]
    public void RemoveCopy()
    {
        if (_folder.Length > 0)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Test]
    public void Adding_or_removing_a_public_member_without_updating_PublicAPI_fails_the_build()
    {
        string project = Path.Combine(_folder, "lib", Project);
        File.WriteAllText(Path.Combine(project, "ApiAddedWithoutTracking.cs"), """
            namespace SparkTfrecord.Tfrecord;

            /// <summary>A public type that PublicAPI.Unshipped.txt does not list.</summary>
            public sealed class ApiAddedWithoutTracking
            {
            }
            """);
        File.AppendAllText(Path.Combine(project, "PublicAPI.Unshipped.txt"), RemovedMember + "\n");

        // Not a CI build: the copy is no git repository, which CI's deterministic source paths would refuse before
        // the analyzer ran. No build servers are left running after the test.
        var build = ChildProcess.Run("dotnet",
            ["build", Path.Combine(project, Project + ".csproj"), "--disable-build-servers", "-p:ContinuousIntegrationBuild=false", "-clp:NoSummary"],
            _folder, TimeSpan.FromMinutes(5),
            new Dictionary<string, string?> { ["CI"] = null, ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" });

        Assert.That(build.ExitCode, Is.Not.Zero, build.ToString());
        var errors = build.Stdout.Split('\n').Where(line => line.Contains("error RS", StringComparison.Ordinal)).ToList();
        Assert.That(errors, Has.Some.Contains("error RS0016").And.Contains($"'{AddedType}'"), build.ToString());
        Assert.That(errors, Has.Some.Contains("error RS0017").And.Contains($"'{RemovedMember}'"), build.ToString());
    }

    private static void CopySources(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (string folder in Directory.GetDirectories(from))
        {
            string name = Path.GetFileName(folder);
            if (name is not ("bin" or "obj"))
            {
                CopySources(folder, Path.Combine(to, name));
            }
        }
    }
}
