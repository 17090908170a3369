using System.Security.Cryptography;

namespace SparkTfrecord.Spark.Tests;

/// <summary>
/// jars/fetch.sh and jars/verify.sh against a fake Maven repository (a local folder and a file:// URL holding dummy
/// jars at the real coordinates): downloads, SHA-1 check, SHA-256 pinning in the lock, and verification on later use.
/// </summary>
[TestFixture]
[Category("Process")]
public sealed class JarsScriptsTests
{
    private static readonly string s_fetch = Processes.InRepo("jars", "fetch.sh");
    private static readonly string s_verify = Processes.InRepo("jars", "verify.sh");
    private TempFolder _temp = null!;
    private string _repo = null!;
    private string _lib = null!;
    private string _lock = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempFolder("sparktf-jars-");
        _repo = _temp["repo"];
        _lib = _temp["lib"];
        _lock = _temp["connectors.lock"];
        Publish("com.linkedin.sparktfrecord", "spark-tfrecord_2.12", "0.7.0", "linkedin 2.12 jar", sha1: true);
        Publish("com.linkedin.sparktfrecord", "spark-tfrecord_2.13", "0.7.0", "linkedin 2.13 jar", sha1: false);
        Publish("org.tensorflow", "spark-tensorflow-connector_2.11", "1.15.0", "tensorflow jar", sha1: true);
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Fetch_downloads_the_selected_jars_and_pins_their_sha256_in_the_lock()
    {
        var result = Fetch("--connector", "linkedin", "--spark", "3.5");

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        Assert.Multiple(() =>
        {
            Assert.That(Directory.GetFiles(_lib).Select(Path.GetFileName), Is.EquivalentTo(new[] { "spark-tfrecord_2.12-0.7.0.jar", "spark-tfrecord_2.13-0.7.0.jar" }));
            Assert.That(LockEntries(), Is.EqualTo(new[]
            {
                $"{Sha256("linkedin 2.12 jar")}  spark-tfrecord_2.12-0.7.0.jar  com.linkedin.sparktfrecord:spark-tfrecord_2.12:0.7.0",
                $"{Sha256("linkedin 2.13 jar")}  spark-tfrecord_2.13-0.7.0.jar  com.linkedin.sparktfrecord:spark-tfrecord_2.13:0.7.0",
            }));
            Assert.That(Directory.GetDirectories(_lib), Is.Empty, "the work folder is left behind");
        });
    }

    [Test]
    public void Fetch_without_filters_takes_every_jar_of_the_table_from_a_file_url_repository()
    {
        var jars = TableRows().Where(r => r[6] != "none").Select(r => (Group: r[3], Artifact: r[4], Version: r[5])).Distinct().ToList();
        foreach (var (group, artifact, version) in jars)
        {
            Publish(group, artifact, version, artifact + " " + version, sha1: true);
        }

        var result = Fetch("--repo", "file://" + _repo);

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        Assert.That(LockEntries().Select(e => e.Split("  ")[1]),
            Is.EqualTo(jars.Select(j => $"{j.Artifact}-{j.Version}.jar").Order(StringComparer.Ordinal)));
        Assert.That(jars, Has.Count.GreaterThanOrEqualTo(7));
    }

    [Test]
    public void Fetch_adds_to_an_existing_lock_and_keeps_its_entries_sorted()
    {
        Assert.That(Fetch("--connector", "tensorflow").ExitCode, Is.Zero);
        Assert.That(Fetch("--spark", "3.5", "--scala", "2.12").ExitCode, Is.Zero);

        Assert.That(LockEntries().Select(e => e.Split("  ")[1]), Is.EqualTo(new[] { "spark-tensorflow-connector_2.11-1.15.0.jar", "spark-tfrecord_2.12-0.7.0.jar" }));
    }

    [Test]
    public void Verify_accepts_fetched_jars_and_prints_their_paths_for_spark_submit_jars()
    {
        Assert.That(Fetch("--spark", "3.5").ExitCode, Is.Zero);

        var all = Verify();
        var named = Verify("--print-jars", "spark-tfrecord_2.13-0.7.0.jar", Path.Combine(_lib, "spark-tfrecord_2.12-0.7.0.jar"));

        Assert.Multiple(() =>
        {
            Assert.That(all.ExitCode, Is.Zero, all.Output);
            Assert.That(all.Stdout, Is.Empty);
            Assert.That(named.ExitCode, Is.Zero, named.Output);
            Assert.That(named.Stdout, Is.EqualTo(Path.Combine(_lib, "spark-tfrecord_2.13-0.7.0.jar") + "," + Path.Combine(_lib, "spark-tfrecord_2.12-0.7.0.jar") + "\n"));
        });
    }

    [Test]
    public void Verify_fails_on_a_jar_changed_after_it_was_pinned()
    {
        Assert.That(Fetch("--spark", "3.5", "--scala", "2.12").ExitCode, Is.Zero);
        File.WriteAllText(Path.Combine(_lib, "spark-tfrecord_2.12-0.7.0.jar"), "tampered");

        var result = Verify("--print-jars");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.Output);
            Assert.That(result.Stdout, Is.Empty);
            Assert.That(result.Stderr, Does.Contain($"checksum mismatch for {_lib}/spark-tfrecord_2.12-0.7.0.jar: SHA-256 {Sha256("tampered")}, connectors.lock pins {Sha256("linkedin 2.12 jar")}"));
        });
    }

    [Test]
    public void Verify_fails_on_a_jar_that_the_lock_does_not_pin()
    {
        Assert.That(Fetch("--spark", "3.5", "--scala", "2.12").ExitCode, Is.Zero);
        File.WriteAllText(Path.Combine(_lib, "other-1.0.jar"), "x");

        var result = Verify();

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Output);
        Assert.That(result.Stderr, Does.Contain("other-1.0.jar is not pinned in " + _lock));
    }

    [Test]
    public void Verify_fails_on_a_named_jar_that_is_missing_and_on_an_empty_lib()
    {
        Assert.That(Fetch("--spark", "3.5", "--scala", "2.12").ExitCode, Is.Zero);

        var missing = Verify("spark-tfrecord_2.13-0.7.0.jar");
        File.Delete(Path.Combine(_lib, "spark-tfrecord_2.12-0.7.0.jar"));
        var empty = Verify();

        Assert.Multiple(() =>
        {
            Assert.That(missing.ExitCode, Is.EqualTo(1), missing.Output);
            Assert.That(missing.Stderr, Does.Contain(_lib + "/spark-tfrecord_2.13-0.7.0.jar is missing"));
            Assert.That(empty.ExitCode, Is.EqualTo(1), empty.Output);
            Assert.That(empty.Stderr, Does.Contain("no jars in " + _lib));
        });
    }

    [Test]
    public void Verify_fails_without_a_lock_file()
    {
        Directory.CreateDirectory(_lib);
        File.WriteAllText(Path.Combine(_lib, "a.jar"), "x");

        var result = Verify();

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Output);
        Assert.That(result.Stderr, Does.Contain("lock file " + _lock + " not found"));
    }

    [Test]
    public void Fetch_refuses_a_jar_whose_checksum_differs_from_the_pinned_one_and_keeps_the_old_jar_and_lock()
    {
        Assert.That(Fetch("--spark", "3.5", "--scala", "2.12").ExitCode, Is.Zero);
        string lockBefore = File.ReadAllText(_lock);
        Publish("com.linkedin.sparktfrecord", "spark-tfrecord_2.12", "0.7.0", "republished jar", sha1: true);

        var result = Fetch("--spark", "3.5", "--scala", "2.12");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.Output);
            Assert.That(result.Stderr, Does.Contain($"spark-tfrecord_2.12-0.7.0.jar has SHA-256 {Sha256("republished jar")} but connectors.lock pins {Sha256("linkedin 2.12 jar")}; refusing it"));
            Assert.That(File.ReadAllText(_lock), Is.EqualTo(lockBefore));
            Assert.That(File.ReadAllText(Path.Combine(_lib, "spark-tfrecord_2.12-0.7.0.jar")), Is.EqualTo("linkedin 2.12 jar"));
        });
    }

    [Test]
    public void Fetch_update_lock_accepts_a_deliberate_change()
    {
        Assert.That(Fetch("--spark", "3.5", "--scala", "2.12").ExitCode, Is.Zero);
        Publish("com.linkedin.sparktfrecord", "spark-tfrecord_2.12", "0.7.0", "republished jar", sha1: true);

        var result = Fetch("--spark", "3.5", "--scala", "2.12", "--update-lock");

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        Assert.That(LockEntries(), Has.One.StartsWith(Sha256("republished jar") + "  spark-tfrecord_2.12-0.7.0.jar"));
        Assert.That(Verify().ExitCode, Is.Zero);
    }

    [Test]
    public void Fetch_rejects_a_download_that_does_not_match_the_repositorys_sha1()
    {
        string folder = Path.Combine(_repo, "org", "tensorflow", "spark-tensorflow-connector_2.11", "1.15.0");
        File.WriteAllText(Path.Combine(folder, "spark-tensorflow-connector_2.11-1.15.0.jar.sha1"), new string('0', 40) + "\n");

        var result = Fetch("--connector", "tensorflow");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.Output);
            Assert.That(result.Stderr, Does.Contain("spark-tensorflow-connector_2.11-1.15.0.jar does not match the repository's SHA-1"));
            Assert.That(File.Exists(Path.Combine(_lib, "spark-tensorflow-connector_2.11-1.15.0.jar")), Is.False);
            Assert.That(LockEntries(), Is.Empty);
        });
    }

    [Test]
    public void Fetch_names_the_url_it_could_not_download()
    {
        var result = Fetch("--spark", "3.4", "--scala", "2.13");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Output);
        Assert.That(result.Stderr, Does.Contain($"cannot download {_repo}/com/linkedin/sparktfrecord/spark-tfrecord_2.13/0.6.1/spark-tfrecord_2.13-0.6.1.jar"));
    }

    [Test]
    public void Fetch_points_to_the_native_writer_where_no_connector_is_published_and_rejects_unknown_versions()
    {
        var spark4 = Fetch("--spark", "4.0");
        var unknown = Fetch("--connector", "tensorflow", "--spark", "3.5");
        var usage = Fetch("--bogus");

        Assert.Multiple(() =>
        {
            Assert.That(spark4.ExitCode, Is.EqualTo(1), spark4.Output);
            Assert.That(spark4.Stderr, Does.Contain("no connector jar is published for that selection (linkedin spark 4.0 scala 2.13; use --writer native)"));
            Assert.That(unknown.ExitCode, Is.EqualTo(1), unknown.Output);
            Assert.That(unknown.Stderr, Does.Contain("no row of"));
            Assert.That(usage.ExitCode, Is.EqualTo(2), usage.Output);
        });
    }

    [TestCase("linkedin", "3.5", "2.12", "com.linkedin.sparktfrecord", "spark-tfrecord_2.12", "0.7.0")]
    [TestCase("linkedin", "3.5", "2.13", "com.linkedin.sparktfrecord", "spark-tfrecord_2.13", "0.7.0")]
    [TestCase("linkedin", "3.4", "2.12", "com.linkedin.sparktfrecord", "spark-tfrecord_2.12", "0.6.1")]
    [TestCase("tensorflow", "2.4", "2.11", "org.tensorflow", "spark-tensorflow-connector_2.11", "1.15.0")]
    public void The_connector_table_gives_the_coordinates_of_each_spark_and_scala_version(
        string connector, string spark, string scala, string group, string artifact, string version)
    {
        var rows = TableRows();

        Assert.That(rows, Has.All.Length.EqualTo(7));
        Assert.That(rows.Where(r => r[0] == connector && r[1] == spark && r[2] == scala).Select(r => (r[3], r[4], r[5])),
            Is.EqualTo(new[] { (group, artifact, version) }));
    }

    [Test]
    public void The_committed_lock_is_well_formed_and_the_jars_folder_is_ignored_by_git()
    {
        var entries = File.ReadAllLines(Processes.InRepo("jars", "connectors.lock")).Where(l => !l.StartsWith('#') && l.Length > 0);

        Assert.That(entries, Has.All.Match(@"^[0-9a-f]{64}  \S+\.jar  [\w.-]+:[\w.-]+:[\w.-]+$"));
        Assert.That(File.ReadAllLines(Processes.InRepo("jars", ".gitignore")), Does.Contain("lib/"));
    }

    private static List<string[]> TableRows() =>
        File.ReadAllLines(Processes.InRepo("jars", "connectors.tsv"))
            .Where(l => !l.StartsWith('#') && l.Length > 0 && !l.StartsWith("connector\t", StringComparison.Ordinal))
            .Select(l => l.Split('\t'))
            .ToList();

    private ProcessResult Fetch(params string[] arguments) =>
        Processes.Run(s_fetch, ["--repo", _repo, "--lib", _lib, "--lock", _lock, .. arguments]);

    private ProcessResult Verify(params string[] arguments) =>
        Processes.Run(s_verify, ["--lib", _lib, "--lock", _lock, .. arguments]);

    private string[] LockEntries() =>
        File.Exists(_lock) ? File.ReadAllLines(_lock).Where(l => !l.StartsWith('#')).ToArray() : [];

    private void Publish(string group, string artifact, string version, string content, bool sha1)
    {
        string folder = Path.Combine([_repo, .. group.Split('.'), artifact, version]);
        Directory.CreateDirectory(folder);
        string jar = Path.Combine(folder, $"{artifact}-{version}.jar");
        File.WriteAllText(jar, content);
        if (sha1)
        {
            File.WriteAllText(jar + ".sha1", Convert.ToHexStringLower(SHA1.HashData(File.ReadAllBytes(jar))));
        }
        else
        {
            File.Delete(jar + ".sha1");
        }
    }

    private static string Sha256(string content) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(content)));
}
