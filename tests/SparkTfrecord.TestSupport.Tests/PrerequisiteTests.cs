namespace SparkTfrecord.TestSupport.Tests;

/// <summary>A missing prerequisite skips the test on a developer's machine and fails it on CI.</summary>
[TestFixture]
[Category("Fast")]
public sealed class PrerequisiteTests
{
    [Test]
    public void A_missing_prerequisite_fails_on_ci()
    {
        Assert.That(() => Prerequisite.Missing("protoc is missing", onCi: true),
            Throws.TypeOf<AssertionException>().With.Message.Contains("missing prerequisite on CI: protoc is missing"));
    }

    [Test]
    public void A_missing_prerequisite_is_skipped_elsewhere_saying_ci_would_fail()
    {
        Assert.That(() => Prerequisite.Missing("protoc is missing", onCi: false),
            Throws.TypeOf<IgnoreException>().With.Message.Contains("protoc is missing (skipped here; with CI=true this fails)"));
    }

    [Test]
    public void A_program_not_on_path_is_a_missing_prerequisite_naming_its_install_command()
    {
        Assert.That(() => Prerequisite.RequireProgram("sparktf-no-such-program", "apt-get install -y nothing"),
            Throws.InstanceOf<ResultStateException>().With.Message.Contains("sparktf-no-such-program is missing: install it with 'apt-get install -y nothing'"));
    }

    [Test]
    public void A_program_found_gives_its_full_path()
    {
        string path = Prerequisite.RequireProgram("sh", "apt-get install -y dash");

        Assert.That(Path.IsPathFullyQualified(path) && File.Exists(path), Is.True, path);
    }
}
