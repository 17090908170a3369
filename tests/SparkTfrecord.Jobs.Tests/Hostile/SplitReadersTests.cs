using System.Globalization;
using System.Text.Json;

namespace SparkTfrecord.Jobs.Tests.Hostile;

/// <summary>
/// count, validate and inspect read a split output (train/ and eval/ below the output) whole, and a folder with no
/// TFRecord file, or files with no record, is an error unless --allow-empty: an empty output never reads as clean.
/// </summary>
[TestFixture]
[Category("Process")]
[NonParallelizable]
public sealed class SplitReadersTests
{
    private const string Date = "2024-01-15";
    private Sandbox _box = null!;
    private string _output = null!;
    private long _written;
    private long _eval;

    private static string Spec => Path.Combine(Sparktf.RepoRoot, "conf", "din.yaml");

    [OneTimeSetUp]
    public void WriteASplitOutput()
    {
        _box = Sandbox.Create("split");
        var gen = _box.Run(null, "gen-logs", "--output", _box.Path("logs"), "--date", Date, "--impressions-per-day", "2000", "--users", "500", "--items", "300", "--seed", "3", "--impression-days", "2");
        Assert.That(gen.ExitCode, Is.Zero, gen.Stderr);
        string spec = File.ReadAllText(Spec);
        const string anchor = "  quarantine: {max_bad_fraction: 0.01}\n";
        Assert.That(spec, Does.Contain(anchor));
        _box.Write("split.yaml", spec.Replace(anchor, anchor + "  sampling: {eval_fraction: 0.2, key: [request_id, item_id]}\n", StringComparison.Ordinal));
        _box.Write("empty-ok.yaml", spec.Replace(anchor, anchor + "  checks: {min_samples: 0}\n", StringComparison.Ordinal));
        _output = _box.Path("out");
        var run = _box.Run(null, "samples", "--conf", _box.Path("split.yaml"), "--date", Date, "--input", _box.Path("logs"), "--output", _output, "--shards", "2", "--summary", _box.Path("summary.json"));
        Assert.That(run.ExitCode, Is.Zero, run.Stderr);
        using var summary = JsonDocument.Parse(File.ReadAllText(_box.Path("summary.json")));
        _written = summary.RootElement.GetProperty("samples_written").GetInt64();
        _eval = summary.RootElement.GetProperty("eval").GetInt64();
        Assert.That(_eval, Is.InRange(_written / 10, _written * 3 / 10), "about a fifth of the samples are in eval");
        Assert.That(Directory.GetFiles(_output).Select(Path.GetFileName), Is.EquivalentTo(new[] { "_SUCCESS", "_manifest.json" }), "the parts are only in train/ and eval/");
    }

    [OneTimeTearDown]
    public void Remove() => _box.Dispose();

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);

    [Test]
    public void Count_of_a_split_output_is_the_summarys_samples_written_and_per_split_its_eval()
    {
        var before = _box.Snapshot();

        var total = _box.Run(null, "count", _output);
        var perSplit = _box.Run(null, "count", "--per-split", _output);
        var eval = _box.Run(null, "count", Path.Combine(_output, "eval"));

        Assert.Multiple(() =>
        {
            Assert.That(total.ExitCode, Is.Zero, total.Stderr);
            Assert.That(total.Stdout, Is.EqualTo(N(_written) + "\n"));
            Assert.That(perSplit.ExitCode, Is.Zero, perSplit.Stderr);
            Assert.That(perSplit.Stdout, Is.EqualTo($"{N(_eval)}\t{Path.Combine(_output, "eval")}\n{N(_written - _eval)}\t{Path.Combine(_output, "train")}\n"));
            Assert.That(eval.Stdout.Trim(), Is.EqualTo(N(_eval)));
        });
        _box.AssertUntouchedOutside(before);
        _box.AssertNoLeftovers();
    }

    [Test]
    public void Validate_and_inspect_read_every_record_of_a_split_output()
    {
        var before = _box.Snapshot();

        var validate = _box.Run(null, "validate", "--spec", _box.Path("split.yaml"), _output);
        var inspect = _box.Run(null, "inspect", _output);

        Assert.Multiple(() =>
        {
            Assert.That(validate.ExitCode, Is.Zero, validate.Stderr);
            Assert.That(validate.Stdout, Does.Contain($"validated {N(_written)} records in 4 file(s)").And.Contain("result: clean"));
            Assert.That(inspect.ExitCode, Is.Zero, inspect.Stderr);
            var lines = inspect.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(lines, Has.Length.EqualTo(_written));
            Assert.That(lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("user_id").GetProperty("bytes").GetArrayLength()), Is.All.EqualTo(1));
        });
        _box.AssertUntouchedOutside(before);
        _box.AssertNoLeftovers();
    }

    [TestCase("count")]
    [TestCase("validate", "--spec")]
    [TestCase("inspect")]
    public void An_empty_folder_is_an_error_unless_allow_empty(params string[] command)
    {
        string empty = _box.Path("empty-" + command[0]);
        Directory.CreateDirectory(empty);
        File.WriteAllText(Path.Combine(empty, "_SUCCESS"), "");
        var before = _box.Snapshot();
        string[] args = command.Length > 1 ? [command[0], command[1], Spec] : [command[0]];

        var refused = _box.Run(null, [.. args, empty]);
        var allowed = _box.Run(null, [.. args, "--allow-empty", empty]);

        Assert.Multiple(() =>
        {
            Assert.That(refused.ExitCode, Is.EqualTo(1), refused.Stderr);
            Assert.That(refused.Stderr, Does.Contain(empty).And.Contain("no TFRecord file").And.Contain("train/ and eval/").And.Contain("--allow-empty"));
            Assert.That(refused.Stdout, Is.Empty);
            Assert.That(allowed.ExitCode, Is.Zero, allowed.Stderr);
        });
        if (command[0] == "count")
        {
            Assert.That(allowed.Stdout, Is.EqualTo("0\n"));
        }

        _box.AssertUntouchedOutside(before);
        _box.AssertNoLeftovers();
    }

    [TestCase("count")]
    [TestCase("validate", "--spec")]
    [TestCase("inspect")]
    public void An_output_with_no_record_is_an_error_unless_allow_empty(params string[] command)
    {
        // An empty day committed on purpose (checks: {min_samples: 0}): part files with no record.
        string output = _box.Path("empty-day-" + command[0]);
        var run = _box.Run(null, "samples", "--conf", _box.Path("empty-ok.yaml"), "--date", "2024-01-13", "--input", _box.Path("logs"), "--output", output, "--shards", "2");
        Assert.That(run.ExitCode, Is.Zero, run.Stderr);
        Assert.That(Directory.GetFiles(output, "part-*"), Has.Length.EqualTo(2));
        var before = _box.Snapshot();
        string[] args = command.Length > 1 ? [command[0], command[1], Spec] : [command[0]];

        var refused = _box.Run(null, [.. args, output]);
        var allowed = _box.Run(null, [.. args, "--allow-empty", output]);

        Assert.Multiple(() =>
        {
            Assert.That(refused.ExitCode, Is.EqualTo(1), refused.Stderr);
            Assert.That(refused.Stderr, Does.Contain(output).And.Contain("no record in 2 TFRecord files").And.Contain("--allow-empty"));
            Assert.That(refused.Stdout, Is.Empty);
            Assert.That(allowed.ExitCode, Is.Zero, allowed.Stderr);
        });
        if (command[0] == "count")
        {
            Assert.That(allowed.Stdout, Is.EqualTo("0\n"));
        }

        _box.AssertUntouchedOutside(before);
        _box.AssertNoLeftovers();
    }
}
