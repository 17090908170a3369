using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SparkTfrecord.Jobs.Tests;

/// <summary>
/// What a newcomer meets first (issue 9's newcomer items), in process: the plain progress lines, the help's spelling of
/// choices, plan's options (<see cref="NewcomerTests"/> has the README's quick start and the Spark dry run).
/// </summary>
[TestFixture]
[Category("Fast")]
[NonParallelizable]
public sealed partial class NewcomerFastTests
{
    private const string Date = "2024-01-15";
    private string _root = null!;
    private string _logs = null!;

    private static string Spec => Path.Combine(Sparktf.RepoRoot, "conf", "din.yaml");

    [OneTimeSetUp]
    public void GenerateLogs()
    {
        // Enough samples (about 19,000) for the plain progress to print lines within the write stage.
        _root = Directory.CreateTempSubdirectory("sparktf-newcomer-fast-").FullName;
        _logs = Path.Combine(_root, "logs");
        NewcomerTests.GenerateRunDayLogs(_logs);
    }

    [OneTimeTearDown]
    public void RemoveLogs() => Directory.Delete(_root, recursive: true);

    [Test]
    public void Plain_progress_lines_give_the_fraction_done()
    {
        // stderr is not a terminal here, so samples prints its plain lines: "write: DONE/TOTAL (P%)".
        var run = InProcess.Run("samples", "--conf", Spec, "--date", Date, "--input", _logs, "--output", Path.Combine(_root, "out", "dt=" + Date), "--shards", "2", "--compression", "none");
        Assert.That(run.ExitCode, Is.Zero, run.Stderr);

        var lines = ProgressLine().Matches(run.Stderr).ToList();
        Assert.That(lines, Is.Not.Empty, "the write stage of about 19,000 samples prints progress lines:\n" + run.Stderr);
        long written = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("samples_written").GetInt64();
        foreach (Match line in lines)
        {
            long done = long.Parse(line.Groups["done"].Value, CultureInfo.InvariantCulture);
            long total = long.Parse(line.Groups["total"].Value, CultureInfo.InvariantCulture);
            Assert.That(total, Is.EqualTo(written), line.Value);
            Assert.That(int.Parse(line.Groups["percent"].Value, CultureInfo.InvariantCulture), Is.EqualTo((int)(100 * done / total)), line.Value);
        }
    }

    [Test]
    public void Help_spells_every_choice_as_it_is_typed()
    {
        var root = InProcess.Run("--help");
        Assert.That(root.ExitCode, Is.Zero);
        string list = root.Stdout[root.Stdout.IndexOf("Commands:", StringComparison.Ordinal)..];
        var commands = Regex.Matches(list, @"^  ([a-z][a-z-]*)\b", RegexOptions.Multiline).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.That(commands, Does.Contain("samples").And.Contain("write").And.Contain("encode"));

        foreach (string command in commands)
        {
            var help = InProcess.Run(command, "--help");
            Assert.That(help.ExitCode, Is.Zero, command);
            foreach (string line in help.Stdout.Split('\n'))
            {
                // A list of choices is spelled as typed (lower case), and so is its default: one of the choices.
                if (Regex.Match(line, @"<([^<>\s]*\|[^<>\s]*)>") is { Success: true } choices)
                {
                    Assert.That(choices.Value, Is.EqualTo(choices.Value.ToLowerInvariant()), $"{command} --help: {line}");
                    if (Regex.Match(line, @"\[default: ([^\]]*)\]") is { Success: true } choice)
                    {
                        Assert.That(choices.Groups[1].Value.Split('|'), Does.Contain(choice.Groups[1].Value), $"{command} --help: {line}");
                    }
                }
            }

            if (Regex.IsMatch(help.Stdout, @"^\s+--compression\b", RegexOptions.Multiline))
            {
                Assert.That(help.Stdout, Does.Match(@"--compression <none\|gzip\|zlib> "), command);
            }
        }
    }

    [Test]
    public void Plan_offers_only_the_options_it_reads()
    {
        var help = InProcess.Run("plan", "--help");
        var offered = Regex.Matches(help.Stdout, @"(?<=^  |, )--[a-z-]+", RegexOptions.Multiline).Select(m => m.Value).ToHashSet();

        // The options that change plan's SQL or script (or whether it is accepted); the run-time ones are samples' alone.
        Assert.That(offered, Is.EquivalentTo(new[]
        {
            "--conf", "--spec", "--date", "--input", "--output", "--shards", "--compression", "--engine", "--max-bad-fraction",
            "--max-records-per-shard", "--target-shard-bytes", // a sized layout decides whether a Spark connector's plan is accepted
            "--master", "--deploy-mode", "--writer", "--connector", "--spark-version", "--help",
        }));
        foreach (string[] ignored in new string[][] { ["--no-clobber"], ["--summary", "s.json"], ["--audit"], ["--threads", "1"], ["--memory-limit", "2GB"], ["--spill-dir", "x"], ["--state", "x"], ["--spark-home", "x"], ["--spark-conf", "a=b"], ["--dry-run"] })
        {
            var run = InProcess.Run(["plan", "--conf", Spec, "--date", Date, .. ignored]);
            Assert.That(run.ExitCode, Is.EqualTo(2), ignored[0]);
            Assert.That(run.Stderr, Does.Contain(ignored[0]), ignored[0]);
        }

        var samples = InProcess.Run("samples", "--help");
        Assert.That(samples.Stdout, Does.Contain("--no-clobber").And.Contain("--threads").And.Contain("--dry-run").And.Contain("--spark-conf"));
    }

    [GeneratedRegex(@"sparktf: \d{4}-\d\d-\d\d write: (?<done>\d+)/(?<total>\d+) \((?<percent>\d+)%\)")]
    private static partial Regex ProgressLine();
}
