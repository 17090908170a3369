using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using System.Xml.Linq;

namespace SparkTfrecord.Packages.Tests;

/// <summary>
/// What the packages .ci/run built hold, read from the .nupkg files (zip archives) against the repository's own build
/// files: metadata, the format library's README, XML docs and Source Link; the tool's pointer package and its two
/// platform packages (precompiled for linux-x64, portable for the rest), their entry points and DuckDB's native
/// libraries; and nothing from the tests.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class PackageContentsTests
{
    private const string Library = "SparkTfrecord.Tfrecord";

    // NuGet's own parts of every package, beside the payload.
    private static readonly string[] s_packagingEntries = ["_rels/.rels", "[Content_Types].xml"];

    // Source Link's entry in a portable pdb's custom debug information (the Portable PDB format's specification).
    private static readonly Guid s_sourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    // The program's own assemblies (the packages' other assemblies are NuGet's, precompiled or not as published).
    private static readonly string[] s_ownAssemblies =
        ["sparktf.dll", $"{Library}.dll", "SparkTfrecord.Spec.dll", "SparkTfrecord.Engine.dll"];

    [Test]
    public void Library_package_holds_the_dll_its_xml_docs_and_readme_only()
    {
        using var package = ZipFile.OpenRead(Artifacts.RequirePackage(Library));
        var payload = package.Entries.Select(e => e.FullName)
            .Where(name => !s_packagingEntries.Contains(name) && !name.StartsWith("package/services/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        Assert.That(payload, Is.EqualTo(new[]
        {
            "README.md",
            $"{Library}.nuspec",
            $"lib/net10.0/{Library}.dll",
            $"lib/net10.0/{Library}.xml",
        }.Order(StringComparer.Ordinal)));
    }

    [Test]
    public void Library_nuspec_names_the_readme_the_repository_and_only_Google_Protobuf()
    {
        using var package = ZipFile.OpenRead(Artifacts.RequirePackage(Library));
        XElement metadata = Nuspec(package, Library);
        XNamespace ns = metadata.Name.Namespace;
        Assert.That(metadata.Element(ns + "id")!.Value, Is.EqualTo(Library));
        Assert.That(metadata.Element(ns + "version")!.Value, Is.EqualTo(Artifacts.Version));
        Assert.That(metadata.Element(ns + "description")!.Value, Is.Not.Empty);
        Assert.That(metadata.Element(ns + "readme")!.Value, Is.EqualTo("README.md"));

        XElement repository = metadata.Element(ns + "repository")!;
        Assert.That(repository.Attribute("url")!.Value, Is.EqualTo(RepositoryUrl()));
        Assert.That(repository.Attribute("commit")?.Value, Does.Match("^[0-9a-f]{40}$"), "the commit the package was built from");

        // Grpc.Tools, Source Link, the reproducible-build settings and the API analyzer are build-time only.
        var dependencies = metadata.Descendants(ns + "dependency")
            .Select(d => (string?)d.Attribute("id") + " " + (string?)d.Attribute("version"));
        Assert.That(dependencies, Is.EqualTo(new[] { "Google.Protobuf " + Artifacts.PinnedVersion("Google.Protobuf") }));
    }

    [Test]
    public void Library_readme_is_the_projects_package_readme()
    {
        using var package = ZipFile.OpenRead(Artifacts.RequirePackage(Library));
        using var reader = new StreamReader(package.GetEntry("README.md")!.Open());
        Assert.That(reader.ReadToEnd(), Is.EqualTo(File.ReadAllText(Repo.In("lib", Library, "README.md"))));
    }

    [Test]
    public void Library_xml_docs_document_the_reader()
    {
        using var package = ZipFile.OpenRead(Artifacts.RequirePackage(Library));
        using Stream stream = package.GetEntry($"lib/net10.0/{Library}.xml")!.Open();
        var members = XDocument.Load(stream).Descendants("member").ToDictionary(m => (string)m.Attribute("name")!, m => m.Element("summary")?.Value.Trim() ?? "");
        Assert.That(members, Does.ContainKey("T:SparkTfrecord.Tfrecord.Framing.TfRecordReader"));
        Assert.That(members["T:SparkTfrecord.Tfrecord.Framing.TfRecordReader"], Is.Not.Empty);
    }

    [Test]
    public void Library_dll_embeds_a_pdb_whose_source_link_points_at_the_repository_commit()
    {
        using var package = ZipFile.OpenRead(Artifacts.RequirePackage(Library));
        string commit = Nuspec(package, Library).Elements().Single(e => e.Name.LocalName == "repository").Attribute("commit")!.Value;
        using PEReader pe = ReadAssembly(package, $"lib/net10.0/{Library}.dll");
        DebugDirectoryEntry embedded = pe.ReadDebugDirectory().SingleOrDefault(e => e.Type == DebugDirectoryEntryType.EmbeddedPortablePdb);
        Assert.That(embedded.Type, Is.EqualTo(DebugDirectoryEntryType.EmbeddedPortablePdb), "no embedded pdb in the packed dll");
        using MetadataReaderProvider pdb = pe.ReadEmbeddedPortablePdbDebugDirectoryData(embedded);
        MetadataReader reader = pdb.GetMetadataReader();
        BlobHandle sourceLink = reader.CustomDebugInformation.Select(reader.GetCustomDebugInformation)
            .Where(info => reader.GetGuid(info.Kind) == s_sourceLinkKind).Select(info => info.Value).SingleOrDefault();
        Assert.That(sourceLink.IsNil, Is.False, "the pdb has no Source Link entry");

        using var json = JsonDocument.Parse(reader.GetBlobBytes(sourceLink));
        var urls = json.RootElement.GetProperty("documents").EnumerateObject().Select(p => p.Value.GetString()).ToList();
        // GitHub serves a commit's raw files from raw.githubusercontent.com/OWNER/NAME/COMMIT/PATH.
        string expected = RepositoryUrl().Replace("https://github.com/", "https://raw.githubusercontent.com/", StringComparison.Ordinal) + "/" + commit + "/*";
        Assert.That(urls, Does.Contain(expected));
    }

    [Test]
    public void Tool_package_points_dotnet_tool_install_at_a_precompiled_linux_x64_package_and_a_portable_one()
    {
        using var package = ZipFile.OpenRead(Artifacts.RequirePackage("sparktf"));
        XElement metadata = Nuspec(package, "sparktf");
        XNamespace ns = metadata.Name.Namespace;
        Assert.That(metadata.Element(ns + "version")!.Value, Is.EqualTo(Artifacts.Version));
        Assert.That(metadata.Descendants(ns + "packageType").Select(t => (string?)t.Attribute("name")), Is.EqualTo(new[] { "DotnetTool" }));

        XElement settings = ToolSettings(package, "tools/any/any/DotnetToolSettings.xml");
        Assert.That(settings.Descendants("Command").Select(c => (string?)c.Attribute("Name")), Is.EqualTo(new[] { "sparktf" }));
        var platforms = settings.Descendants("RuntimeIdentifierPackage")
            .Select(p => (string?)p.Attribute("RuntimeIdentifier") + " " + (string?)p.Attribute("Id"));
        Assert.That(platforms, Is.EquivalentTo(new[] { "linux-x64 sparktf.linux-x64", "any sparktf.any" }));
        Assert.That(package.Entries.Where(e => e.FullName.EndsWith(".dll", StringComparison.Ordinal)), Is.Empty, "the pointer package holds no program");
    }

    [Test]
    public void Linux_x64_tool_package_holds_precompiled_assemblies_and_DuckDBs_native_library()
    {
        const string Id = "sparktf.linux-x64";
        using var package = ZipFile.OpenRead(Artifacts.RequirePackage(Id));
        XElement metadata = Nuspec(package, Id);
        XNamespace ns = metadata.Name.Namespace;
        Assert.That(metadata.Descendants(ns + "packageType").Select(t => (string?)t.Attribute("name")), Is.EqualTo(new[] { "DotnetToolRidPackage" }));
        // Started through `dotnet`, not a native launcher: linux-musl-x64 gets this package too.
        XElement command = ToolSettings(package, "tools/net10.0/linux-x64/DotnetToolSettings.xml").Descendants("Command").Single();
        Assert.That((string?)command.Attribute("EntryPoint"), Is.EqualTo("sparktf.dll"));
        Assert.That((string?)command.Attribute("Runner"), Is.EqualTo("dotnet"));

        var names = package.Entries.Select(e => e.FullName).ToList();
        Assert.That(names, Does.Contain("tools/net10.0/linux-x64/libduckdb.so"));
        foreach (string assembly in s_ownAssemblies)
        {
            Assert.That(IsPrecompiled(package, $"tools/net10.0/linux-x64/{assembly}"), Is.True, assembly + " has no ReadyToRun code");
        }
    }

    [Test]
    public void Portable_tool_package_holds_assemblies_compiled_as_they_run_and_DuckDB_for_every_platform()
    {
        const string Id = "sparktf.any";
        using var package = ZipFile.OpenRead(Artifacts.RequirePackage(Id));
        XElement command = ToolSettings(package, "tools/net10.0/any/DotnetToolSettings.xml").Descendants("Command").Single();
        Assert.That((string?)command.Attribute("EntryPoint"), Is.EqualTo("sparktf.dll"));

        var names = package.Entries.Select(e => e.FullName).ToList();
        Assert.That(names, Is.SupersetOf(new[]
        {
            "tools/net10.0/any/runtimes/linux-x64/native/libduckdb.so",
            "tools/net10.0/any/runtimes/linux-arm64/native/libduckdb.so",
            "tools/net10.0/any/runtimes/osx/native/libduckdb.dylib",
            "tools/net10.0/any/runtimes/win-x64/native/duckdb.dll",
        }));
        foreach (string assembly in s_ownAssemblies)
        {
            Assert.That(IsPrecompiled(package, $"tools/net10.0/any/{assembly}"), Is.False, assembly + " is precompiled for one platform");
        }
    }

    [Test]
    public void Tool_packages_hold_no_test_assembly()
    {
        foreach (string id in (string[])["sparktf", "sparktf.linux-x64", "sparktf.any"])
        {
            using var package = ZipFile.OpenRead(Artifacts.RequirePackage(id));
            Assert.That(package.Entries.Select(e => e.FullName).Where(n => n.Contains("Tests", StringComparison.OrdinalIgnoreCase)
                    || n.Contains("FaultHost", StringComparison.Ordinal)
                    || n.Contains("nunit", StringComparison.OrdinalIgnoreCase)
                    || n.Contains("TestSupport", StringComparison.Ordinal)),
                Is.Empty, id);
        }
    }

    // A ReadyToRun image keeps its IL and adds native code, found through the CLI header's managed native header
    // (ECMA-335's "reserved" directory, which crossgen fills with the READYTORUN_HEADER).
    private static bool IsPrecompiled(ZipArchive package, string entry)
    {
        using PEReader pe = ReadAssembly(package, entry);
        return pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0;
    }

    // A zip entry's stream cannot seek, which PEReader needs: the assembly is read into memory first.
    private static PEReader ReadAssembly(ZipArchive package, string entry)
    {
        var dll = new MemoryStream();
        using (Stream stream = package.GetEntry(entry)!.Open())
        {
            stream.CopyTo(dll);
        }

        dll.Position = 0;
        return new PEReader(dll);
    }

    private static XElement ToolSettings(ZipArchive package, string entry)
    {
        ZipArchiveEntry? settings = package.GetEntry(entry);
        Assert.That(settings, Is.Not.Null, entry + " is missing");
        using Stream stream = settings!.Open();
        return XDocument.Load(stream).Root!;
    }

    private static XElement Nuspec(ZipArchive package, string id)
    {
        using Stream stream = package.GetEntry(id + ".nuspec")!.Open();
        return XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    // The placeholder (or the address the maintainers set) in Directory.Build.props.
    private static string RepositoryUrl() =>
        XDocument.Load(Repo.In("Directory.Build.props")).Descendants("SparkTfrecordRepositoryUrl").Single().Value;
}
