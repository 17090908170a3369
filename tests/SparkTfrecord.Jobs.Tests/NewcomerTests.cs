using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using SparkTfrecord.Jobs.Tests.Hostile;

namespace SparkTfrecord.Jobs.Tests;

/// <summary>
/// What a newcomer meets first (issue 9's newcomer items), where a process is under test: the README's quick start run
/// as written in a fresh folder, and what a Spark dry run says a launch (a fake spark-submit child) writes.
/// <see cref="NewcomerFastTests"/> has the progress lines, the help's spelling of choices and plan's options.
/// </summary>
[TestFixture]
[Category("Process")]
[NonParallelizable]
public sealed class NewcomerTests
{
    private const string Date = "2024-01-15";
    private string _root = null!;
    private string _logs = null!;

    private static string Spec => Path.Combine(Sparktf.RepoRoot, "conf", "din.yaml");

    private static string FakeSpark => Path.Combine(Sparktf.RepoRoot, "tests", "SparkTfrecord.Spark.Tests", "fake-spark");

    [OneTimeSetUp]
    public void GenerateLogs()
    {
        _root = Directory.CreateTempSubdirectory("sparktf-newcomer-").FullName;
        _logs = Path.Combine(_root, "logs");
        GenerateRunDayLogs(_logs);
    }

    [OneTimeTearDown]
    public void RemoveLogs() => Directory.Delete(_root, recursive: true);

    /// <summary>The newcomer fixtures' logs: a run day with its 16-day look-back, about 19,000 samples.</summary>
    internal static void GenerateRunDayLogs(string logs)
    {
        var result = InProcess.Run("gen-logs", "--output", logs, "--date", "2024-01-16", "--days", "17", "--impressions-per-day", "20000",
            "--users", "2000", "--items", "1000", "--seed", "3", "--impression-days", "2");
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
    }

    [Test]
    public void The_readmes_quick_start_gives_the_run_day_with_its_next_day_partition()
    {
        // The README's gen-logs and samples commands, as written, run in a fresh folder holding what a clone has (conf/).
        var commands = QuickStartCommands();
        Assert.That(commands, Has.Count.GreaterThanOrEqualTo(2));
        Assert.That(commands[0][0], Is.EqualTo("gen-logs"));
        Assert.That(commands[1][0], Is.EqualTo("samples"));
        using var sandbox = Sandbox.Create("readme");
        sandbox.Write(Path.Combine("conf", "din.yaml"), File.ReadAllBytes(Spec));

        foreach (var args in commands.Take(2))
        {
            var run = sandbox.Run(null, [.. args]);
            Assert.That(run.ExitCode, Is.Zero, string.Join(' ', args) + "\n" + run.Stderr);
        }

        var samples = commands[1];
        var day = DateOnly.ParseExact(samples[samples.IndexOf("--date") + 1], "yyyy-MM-dd", CultureInfo.InvariantCulture);
        string logs = sandbox.Path(samples[samples.IndexOf("--input") + 1]);
        string output = sandbox.Path(samples[samples.IndexOf("--output") + 1]);
        string Day(int offset) => "dt=" + day.AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string[] Files(string source, int offset) =>
            Directory.Exists(Path.Combine(logs, source, Day(offset))) ? Directory.GetFiles(Path.Combine(logs, source, Day(offset))) : [];

        // conf/din.yaml reads impressions {date..date+1d} and clicks {date-15d..date+1d}: the README's prose promises
        // the day, its next day and the 15 days of clicks before it, and the job must have read every one of them.
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "_manifest.json")));
        var inputs = manifest.RootElement.GetProperty("inputs");
        string[] ReadFiles(string source) => [.. inputs.GetProperty(source).GetProperty("files").EnumerateArray().Select(f => f.GetString()!)];
        Assert.Multiple(() =>
        {
            Assert.That(Files("impressions", 0), Is.Not.Empty, "impressions of the run day");
            Assert.That(Files("impressions", 1), Is.Not.Empty, "impressions of the next day (late copies)");
            Assert.That(Files("impressions", -1), Is.Empty, "no impressions of the day before: the job does not read them");
            Assert.That(ReadFiles("impressions"), Is.EquivalentTo(Files("impressions", 0).Concat(Files("impressions", 1))));
            for (int offset = -15; offset <= 1; offset++)
            {
                Assert.That(Files("clicks", offset), Is.Not.Empty, $"clicks of {Day(offset)}");
                Assert.That(ReadFiles("clicks"), Is.SupersetOf(Files("clicks", offset)), $"the job read the clicks of {Day(offset)}");
            }

            // The output section's layout: 16 gzip shards, the manifest and _SUCCESS.
            Assert.That(File.Exists(Path.Combine(output, "_SUCCESS")), Is.True);
            Assert.That(Directory.GetFiles(output, "part-*").Select(Path.GetFileName),
                Is.EquivalentTo(Enumerable.Range(0, 16).Select(i => $"part-{i:00000}-of-00016.tfrecord.gz")));
        });
    }

    [TestCase("connector")]
    [TestCase("native")]
    public void A_dry_run_prints_the_command_and_script_a_launch_runs_with_its_work_folder_and_final_path(string writer)
    {
        using var sandbox = Sandbox.Create("dry-run");
        string output = sandbox.Path("out", "dt=" + Date);
        string record = sandbox.Path("calls.jsonl");
        string[] args = ["samples", "--engine", "spark", "--spark-home", FakeSpark, "--spark-version", "3.5", "--writer", writer,
            "--conf", Spec, "--date", Date, "--input", _logs, "--output", output];

        var dry = sandbox.Run(null, [.. args, "--dry-run"]);
        // The launch, with a Spark that fails: the launcher keeps the script it ran, and the record has its command.
        var launch = sandbox.Run(null, new Dictionary<string, string> { ["FAKE_SPARK_RECORD"] = record, ["FAKE_SPARK_EXIT"] = "1" }, args);

        Assert.That(dry.ExitCode, Is.Zero, dry.Stderr);
        Assert.That(launch.ExitCode, Is.EqualTo(1), launch.Stderr);
        string kept = Regex.Match(launch.Stderr, @"The script is kept at (\S+);").Groups[1].Value;
        Assert.That(File.Exists(kept), Is.True, launch.Stderr);
        using var call = JsonDocument.Parse(File.ReadLines(record).First());
        var argv = call.RootElement.GetProperty("argv").EnumerateArray().Select(a => a.GetString()!).ToList();

        // The dry run's command is the launch's, but for the script's temporary folder (its file name is shown).
        var dryLines = dry.Stdout.Split('\n');
        string command = Regex.Match(dryLines[0], @"^/\* command: \S+/bin/spark-sql (.*) \*/$").Groups[1].Value;
        Assert.That(command, Is.EqualTo(string.Join(' ', argv.Select(a => a == kept ? Path.GetFileName(kept) : Quote(a)))));

        // Its script is the one the launch ran, with the part of the work folder's name that the launch chose shown
        // as <pid>-<id>.
        string script = string.Join('\n', dryLines.SkipWhile(l => !l.StartsWith("/* script ", StringComparison.Ordinal)).Skip(1));
        string launched = Regex.Replace(File.ReadAllText(kept), @"\.tmp-\d+-[0-9a-f]{32}", ".tmp-<pid>-<id>");
        Assert.That(script, Is.EqualTo(launched));
        string work = Path.Combine(sandbox.Path("out"), $".dt={Date}.tmp-<pid>-<id>");
        string sparkWrites = writer == "connector" ? "file://" + work : "file://" + sandbox.Path("out", $".dt={Date}.spark-parquet");
        Assert.That(script, Does.Contain($"'{sparkWrites}'"));
        Assert.That(script, Does.Not.Contain($"'file://{output}'"), "Spark never writes the final path of a local output");

        // The output line says where Spark writes, that <pid>-<id> is chosen at launch, and where the folder ends up.
        string outputLine = dryLines.Single(l => l.StartsWith("/* output: ", StringComparison.Ordinal));
        Assert.That(outputLine, Does.Contain(work).And.Contain("chosen at launch").And.Match($"moves (the folder|it) to {Regex.Escape(output)},"));
    }

    /// <summary>The sparktf commands of the README's quick start, as argument lists (the program prefix removed).</summary>
    private static List<List<string>> QuickStartCommands()
    {
        string readme = File.ReadAllText(Path.Combine(Sparktf.RepoRoot, "README.md"));
        int section = readme.IndexOf("## Run the job on one machine", StringComparison.Ordinal);
        Assert.That(section, Is.GreaterThan(0), "README's quick start section");
        int start = readme.IndexOf("```sh\n", section, StringComparison.Ordinal) + "```sh\n".Length;
        string block = readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)].Replace("\\\n", " ", StringComparison.Ordinal);
        const string Program = "dotnet run --project jobs/SparkTfrecord.Jobs --";
        return block.Split(["&&", "\n"], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(c =>
            {
                Assert.That(c, Does.StartWith(Program).And.Not.Contain("'").And.Not.Contain("\""), "a quick-start command runs sparktf without quoting");
                return c[Program.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
            })
            .ToList();
    }

    /// <summary>The launcher's shell quoting (a dry run's command is pasteable).</summary>
    private static string Quote(string s) =>
        s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%$".Contains(c)) ? s : "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
