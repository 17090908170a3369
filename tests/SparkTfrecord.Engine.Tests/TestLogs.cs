using System.Text.Json;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Jobs;
using SparkTfrecord.Tfrecord.Framing;
using SparkTfrecord.Tfrecord.Proto;

namespace SparkTfrecord.Engine.Tests;

/// <summary>
/// Small hand-written click logs as JSON lines in the layout a job config expects: events in <c>dt=YYYY-MM-DD</c>
/// partitions (by their local date unless told otherwise), profile tables in one file each. Times are local text in the
/// zone the test's config declares.
/// </summary>
internal sealed class TestLogs : IDisposable
{
    private readonly List<(string Table, string? Partition, Dictionary<string, object?> Row)> _rows = [];

    public TestLogs()
    {
        Root = Directory.CreateTempSubdirectory("sparktf-logs-").FullName;
    }

    public string Root { get; }

    public string Input => Path.Combine(Root, "in");

    public TestLogs Imp(string request, string user, string item, string time, string device = "pixel", string? partition = null) =>
        Add("impressions", partition ?? time[..10], new() { ["request_id"] = request, ["user_id"] = user, ["item_id"] = item, ["ts"] = time, ["device"] = device });

    public TestLogs Click(string request, string user, string item, string time, string? partition = null) =>
        Add("clicks", partition ?? time[..10], new() { ["request_id"] = request, ["user_id"] = user, ["item_id"] = item, ["ts"] = time });

    public TestLogs User(string user, long age, string gender) =>
        Add("users", null, new() { ["user_id"] = user, ["age"] = age, ["gender"] = gender });

    public TestLogs Item(string item, string category) =>
        Add("items", null, new() { ["item_id"] = item, ["category"] = category });

    /// <summary>A version of a user's profile (a versioned users table, as_of: updated_at).</summary>
    public TestLogs UserVersion(string user, long age, string gender, string updatedAt) =>
        Add("users", null, new() { ["user_id"] = user, ["age"] = age, ["gender"] = gender, ["updated_at"] = updatedAt });

    /// <summary>A version of an item (a versioned items table, as_of: updated_at).</summary>
    public TestLogs ItemVersion(string item, string category, string updatedAt) =>
        Add("items", null, new() { ["item_id"] = item, ["category"] = category, ["updated_at"] = updatedAt });

    public TestLogs Add(string table, string? partition, Dictionary<string, object?> row)
    {
        _rows.Add((table, partition, row));
        return this;
    }

    /// <summary>Writes the files (again), so a test can add rows and rerun.</summary>
    public void Write()
    {
        if (Directory.Exists(Input))
        {
            Directory.Delete(Input, recursive: true);
        }

        foreach (var group in _rows.GroupBy(r => (r.Table, r.Partition)))
        {
            string folder = group.Key.Partition is null ? Path.Combine(Input, group.Key.Table) : Path.Combine(Input, group.Key.Table, "dt=" + group.Key.Partition);
            Directory.CreateDirectory(folder);
            File.WriteAllLines(Path.Combine(folder, "part-0.jsonl"), group.Select(r => JsonSerializer.Serialize(r.Row)));
        }

        // Every table exists even when a test adds no rows to it.
        foreach (string table in new[] { "users", "items" })
        {
            string folder = Path.Combine(Input, table);
            if (!Directory.Exists(folder))
            {
                Directory.CreateDirectory(folder);
                File.WriteAllText(Path.Combine(folder, "part-0.jsonl"), table == "users"
                    ? "{\"user_id\": \"nobody\", \"age\": 1, \"gender\": \"0\"}\n"
                    : "{\"item_id\": \"nothing\", \"category\": \"none\"}\n");
            }
        }
    }

    /// <summary>Runs the samples job and reads back every sample, keyed by request_id/item_id.</summary>
    public JobResult Run(string yaml, string date, string? output = null, long? samplesPerPass = null, Planning.TechnicalColumns? names = null)
    {
        Write();
        string spec = Path.Combine(Root, "spec.yaml");
        File.WriteAllText(spec, yaml);
        var definition = JobDefinition.Load(spec);
        output ??= Path.Combine(Root, "out", date);
        var options = new SamplesJobOptions
        {
            Date = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture),
            Input = Input,
            Output = output,
            Engine = new Engines.DuckDbEngineOptions { Threads = 2, MemoryLimit = "512MB" },
            SamplesPerPass = samplesPerPass ?? SamplesJobOptions.DefaultSamplesPerPass,
            Names = names ?? Planning.TechnicalColumns.Default,
        };
        var summary = SamplesJob.Run(definition, options);
        return new JobResult(summary, ReadSamples(output));
    }

    public static List<Sample> ReadSamples(string output)
    {
        var samples = new List<Sample>();
        foreach (string file in Directory.EnumerateFiles(output, "part-*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            using var reader = TfRecordReader.Open(file);
            while (reader.TryRead(out var payload))
            {
                samples.Add(new Sample(Example.Parser.ParseFrom(payload.ToArray()), Path.GetFileName(file)));
            }
        }

        return samples;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

internal sealed record JobResult(SamplesSummary Summary, List<Sample> Samples)
{
    public Sample this[string request, string item] =>
        Samples.Single(s => s.Str("request_id") == request && s.Str("item_id") == item);

    public long Count(string name) => Summary.Counts.TryGetValue(name, out long v) ? v : 0;
}

internal sealed record Sample(Example Example, string File)
{
    public bool Has(string name) => Example.Features.Feature.ContainsKey(name);

    public string Str(string name) => Example.Features.Feature[name].BytesList.Value.Single().ToStringUtf8();

    public long Int(string name) => Example.Features.Feature[name].Int64List.Value.Single();

    public IReadOnlyList<string> List(string name) =>
        Example.Features.Feature[name].BytesList.Value.Select(b => b.ToStringUtf8()).ToList();
}
