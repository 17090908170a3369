using System.Globalization;
using System.Text.Json;

namespace SparkTfrecord.Jobs.Tests;

/// <summary>What the samples fixtures share: the logs they generate, the command line, and the check of an output.</summary>
internal static class SamplesRuns
{
    public const string Date = "2024-01-15";

    public static string Spec => Path.Combine(Sparktf.RepoRoot, "conf", "din.yaml");

    /// <summary>Generates the fixtures' logs (a run yields about 8,000 samples) into <paramref name="logs"/>, in process.</summary>
    public static void GenerateLogs(string logs)
    {
        var result = InProcess.Run("gen-logs", "--output", logs, "--date", Date, "--impressions-per-day", "8000", "--users", "2000", "--items", "1000", "--seed", "3", "--impression-days", "2");
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
    }

    public static string[] Args(string logs, string output, int shards, params string[] more) =>
        ["samples", "--conf", Spec, "--date", Date, "--input", logs, "--output", output, "--shards", shards.ToString(CultureInfo.InvariantCulture), .. more];

    public static void AssertNoPartialOutput(string output, string what)
    {
        // A reader takes the output folder when it has _SUCCESS; it must then be complete. Hidden folders are not data.
        if (Directory.Exists(output))
        {
            Assert.That(File.Exists(Path.Combine(output, "_SUCCESS")), Is.True, $"{what}: the output folder exists without _SUCCESS");
            AssertComplete(output, shards: null);
        }
    }

    public static void AssertComplete(string output, int? shards)
    {
        Assert.That(File.Exists(Path.Combine(output, "_SUCCESS")), Is.True);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "_manifest.json")));
        var parts = manifest.RootElement.GetProperty("shards").EnumerateArray().ToList();
        if (shards is not null)
        {
            Assert.That(parts, Has.Count.EqualTo(shards));
        }

        Assert.That(Directory.GetFiles(output, "part-*").Select(Path.GetFileName), Is.EquivalentTo(parts.Select(p => p.GetProperty("file").GetString())));
        var count = InProcess.Run("count", output);
        Assert.That(count.ExitCode, Is.Zero, count.Stderr);
        Assert.That(long.Parse(count.Stdout.Trim(), CultureInfo.InvariantCulture), Is.EqualTo(manifest.RootElement.GetProperty("records").GetInt64()));
    }
}

/// <summary>
/// A temporary folder holding the fixtures' logs (see <see cref="SamplesRuns.GenerateLogs"/>), with the outputs of the
/// runs over them: what every samples fixture sets up once and removes at the end.
/// </summary>
internal sealed class LogsFolder : IDisposable
{
    public LogsFolder(string prefix)
    {
        Root = Directory.CreateTempSubdirectory(prefix).FullName;
        Logs = Path.Combine(Root, "logs");
        SamplesRuns.GenerateLogs(Logs);
    }

    public string Root { get; }

    public string Logs { get; }

    /// <summary>The output folder of the run called <paramref name="name"/>, for the fixtures' date.</summary>
    public string Out(string name) => Path.Combine(Root, "out", name, "dt=" + SamplesRuns.Date);

    /// <summary>The samples command line over these logs into <paramref name="output"/>, with 4 shards.</summary>
    public string[] SamplesArgs(string output, params string[] more) => SamplesRuns.Args(Logs, output, 4, more);

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
