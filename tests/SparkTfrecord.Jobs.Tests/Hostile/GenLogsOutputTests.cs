namespace SparkTfrecord.Jobs.Tests.Hostile;

/// <summary>
/// gen-logs writes part-00000 files into partition folders and would replace a user's files of the same names: it
/// writes only into a missing or empty folder, or one it wrote before, unless --force.
/// </summary>
[TestFixture]
[Category("Process")]
[NonParallelizable]
public sealed class GenLogsOutputTests
{
    private static string[] GenLogs(string output, params string[] more) =>
        ["gen-logs", "--output", output, "--date", "2024-01-15", "--days", "2", "--impressions-per-day", "50", "--users", "20", "--items", "10", .. more];

    [Test]
    public void A_folder_of_real_logs_is_refused_and_nothing_in_it_is_replaced()
    {
        using var box = Sandbox.Create("genlogs-real");
        box.Write("logs/impressions/dt=2024-01-15/part-00000.parquet", "the user's real impressions");
        var before = box.Snapshot();

        var result = box.Run(null, GenLogs("logs"));

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Stderr);
        Assert.That(result.Stderr, Does.Contain("is not empty and was not written by gen-logs").And.Contain("--force"));
        Assert.That(result.Stderr, Does.Not.Contain("   at "), "a stack trace reached the user");
        box.AssertUntouchedOutside(before);
        box.AssertNoLeftovers();
    }

    [Test]
    public void A_rerun_into_its_own_output_and_force_into_another_folder_are_accepted()
    {
        using var box = Sandbox.Create("genlogs-rerun");
        Assert.That(box.Run(null, GenLogs("logs")).ExitCode, Is.Zero);
        var first = File.ReadAllBytes(box.Path("logs", "impressions", "dt=2024-01-15", "part-00000.parquet"));

        var rerun = box.Run(null, GenLogs("logs"));
        box.Write("other/notes.txt", "kept");
        var forced = box.Run(null, GenLogs("other", "--force"));

        Assert.That(rerun.ExitCode, Is.Zero, rerun.Stderr);
        Assert.That(File.ReadAllBytes(box.Path("logs", "impressions", "dt=2024-01-15", "part-00000.parquet")), Is.EqualTo(first), "the same options give the same files");
        Assert.That(forced.ExitCode, Is.Zero, forced.Stderr);
        Assert.That(File.ReadAllText(box.Path("other", "notes.txt")), Is.EqualTo("kept"), "--force replaces only files of the same names");
        Assert.That(File.Exists(box.Path("other", "clicks", "dt=2024-01-15", "part-00000.parquet")), Is.True);
    }
}
