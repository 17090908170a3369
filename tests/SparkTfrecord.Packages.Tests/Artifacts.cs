using System.Xml.Linq;

namespace SparkTfrecord.Packages.Tests;

/// <summary>
/// Where the tests find what .ci/run builds before the test command (docs/contributing.md#packages), and the versions
/// they expect, read from the repository's build files rather than from the built assemblies.
/// </summary>
internal static class Artifacts
{
    /// <summary>The command that builds the packages, named in the message of a test that misses them.</summary>
    public const string PackCommand =
        "dotnet pack lib/SparkTfrecord.Tfrecord && dotnet pack jobs/SparkTfrecord.Jobs (as .ci/run does)";

    /// <summary>The command that publishes the single-file sparktf, named in the message of a test that misses it.</summary>
    public const string SingleFileCommand =
        "dotnet publish jobs/SparkTfrecord.Jobs -r linux-x64 --self-contained -p:PublishSingleFile=true -o artifacts/single-file (as .ci/run does)";

    public static string PackagesFolder => Repo.In("artifacts", "packages");

    public static string SingleFile => Repo.In("artifacts", "single-file", "sparktf");

    /// <summary>The version every package carries: the Version property of Directory.Build.props.</summary>
    public static string Version => s_version.Value;

    private static readonly Lazy<string> s_version = new(() =>
        XDocument.Load(Repo.In("Directory.Build.props")).Descendants("Version").Single().Value);

    /// <summary>The version Directory.Packages.props pins for <paramref name="packageId"/>.</summary>
    public static string PinnedVersion(string packageId) =>
        XDocument.Load(Repo.In("Directory.Packages.props")).Descendants("PackageVersion")
            .Single(p => (string?)p.Attribute("Include") == packageId).Attribute("Version")!.Value;

    /// <summary>The path of the package <paramref name="packageId"/> at <see cref="Version"/>; a missing prerequisite when it was not packed.</summary>
    public static string RequirePackage(string packageId)
    {
        string path = Path.Combine(PackagesFolder, $"{packageId}.{Version}.nupkg");
        return File.Exists(path) ? path : throw Prerequisite.Missing($"{path} is missing: build it with '{PackCommand}'.");
    }

    /// <summary>The single-file sparktf; a missing prerequisite when it was not published.</summary>
    public static string RequireSingleFile() =>
        File.Exists(SingleFile) ? SingleFile : throw Prerequisite.Missing($"{SingleFile} is missing: build it with '{SingleFileCommand}'.");
}
