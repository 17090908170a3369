using System.Text.Json;
using SparkTfrecord.Tfrecord.Example;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Packages.Tests;

/// <summary>
/// What a user does first with an installed sparktf, as the README says: <c>--version</c>, then a tiny
/// <c>gen-logs</c> and a <c>samples</c> run whose output is read back with the format library.
/// </summary>
internal static class SparktfSmoke
{
    private const string Date = "2024-01-15";
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);

    /// <summary>The version sparktf prints: Directory.Build.props' Version, then "+" and the commit when built in git.</summary>
    public static void AssertVersion(string sparktf, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var run = ChildProcess.Run(sparktf, ["--version"], workingDirectory, s_timeout, environment);
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        string printed = run.Stdout.Trim();
        Assert.That(printed == Artifacts.Version || printed.StartsWith(Artifacts.Version + "+", StringComparison.Ordinal), Is.True,
            $"sparktf --version printed '{printed}', expected {Artifacts.Version} (Directory.Build.props)");
    }

    /// <summary>
    /// Generates a few hundred impressions into <paramref name="folder"/>, runs the samples job of conf/din.yaml over
    /// them into two shards, and checks the output: _SUCCESS, a manifest listing exactly the part files, and part files
    /// that the format library reads with the records and positives the manifest and the summary state.
    /// </summary>
    public static void AssertSamplesRun(string sparktf, string folder, IReadOnlyDictionary<string, string?>? environment = null)
    {
        string logs = Path.Combine(folder, "logs");
        string output = Path.Combine(folder, "samples", "dt=" + Date);
        var gen = ChildProcess.Run(sparktf,
            ["gen-logs", "--output", logs, "--date", Date, "--impressions-per-day", "200", "--users", "50", "--items", "40", "--seed", "3", "--impression-days", "1"],
            folder, s_timeout, environment);
        Assert.That(gen.ExitCode, Is.Zero, gen.ToString());

        var samples = ChildProcess.Run(sparktf,
            ["samples", "--conf", Repo.Conf("din.yaml"), "--date", Date, "--input", logs, "--output", output, "--shards", "2"],
            folder, s_timeout, environment);
        Assert.That(samples.ExitCode, Is.Zero, samples.ToString());
        using var summary = JsonDocument.Parse(samples.Stdout);
        long written = summary.RootElement.GetProperty("samples_written").GetInt64();
        Assert.That(written, Is.Positive, "the tiny logs should still give samples");

        Assert.That(File.Exists(Path.Combine(output, "_SUCCESS")), Is.True, "no _SUCCESS in " + output);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "_manifest.json")));
        var shards = manifest.RootElement.GetProperty("shards").EnumerateArray()
            .Select(s => (File: s.GetProperty("file").GetString()!, Records: s.GetProperty("records").GetInt64()))
            .ToList();
        Assert.That(Directory.GetFiles(output, "part-*").Select(Path.GetFileName), Is.EquivalentTo(shards.Select(s => s.File)));
        Assert.That(shards, Has.Count.EqualTo(2));

        var decoder = new ExampleDecoder();
        long total = 0, positives = 0;
        foreach (var shard in shards)
        {
            long records = 0;
            using var reader = TfRecordReader.Open(Path.Combine(output, shard.File));
            while (reader.TryRead(out var payload))
            {
                records++;
                Assert.That(decoder.DecodeExample(payload).TryGetFeature("label", out var feature), Is.True, $"{shard.File} record {records} has no label");
                foreach (long value in feature.GetInt64s())
                {
                    positives += value;
                }
            }

            Assert.That(records, Is.EqualTo(shard.Records), shard.File + ": records read against the manifest");
            total += records;
        }

        Assert.That(total, Is.EqualTo(written), "records read against the summary's samples_written");
        Assert.That(total, Is.EqualTo(manifest.RootElement.GetProperty("records").GetInt64()));
        Assert.That(positives, Is.EqualTo(manifest.RootElement.GetProperty("positives").GetInt64()), "labels read against the manifest's positives");
    }
}
