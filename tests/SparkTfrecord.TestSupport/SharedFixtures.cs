namespace SparkTfrecord.TestSupport;

/// <summary>
/// The shared fixtures: <c>../shared/fixtures</c> beside the repository (TFRecord files written by TensorFlow, Hadoop's
/// writer and others, their damaged copies, TFX schemas). A missing fixture fails the test: no test may pass without
/// the data it checks.
/// </summary>
public static class SharedFixtures
{
    /// <summary>The shared fixtures folder; fails the test when it is missing.</summary>
    public static string Folder
    {
        get
        {
            string path = Path.GetFullPath(Path.Combine(Repo.Root, "..", "shared", "fixtures"));
            if (!Directory.Exists(path))
            {
                Assert.Fail($"The shared fixtures are missing at {path}: the tests expect ../shared/fixtures beside the repository.");
            }

            return path;
        }
    }

    /// <summary>The folder <c>fixtures/tfrecord/</c>.</summary>
    public static string TfrecordFolder => Path.Combine(Folder, "tfrecord");

    /// <summary>The full path of a file under <c>fixtures/tfrecord/</c>; fails the test when it is missing.</summary>
    public static string Tfrecord(string relative)
    {
        string path = Path.Combine(TfrecordFolder, relative);
        if (!File.Exists(path))
        {
            Assert.Fail($"Fixture {path} is missing: the tests expect the shared fixtures at ../shared/fixtures beside the repository.");
        }

        return path;
    }

    /// <summary>The bytes of a file under <c>fixtures/tfrecord/</c>.</summary>
    public static byte[] Read(string relative) => File.ReadAllBytes(Tfrecord(relative));
}
