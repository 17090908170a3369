// The encode benchmark: how much encoding adds to reading the same Parquet with the same reader, measured in one run.
//
//   dotnet run -c Release --project tests/SparkTfrecord.Encode.Benchmarks -- [--impressions N] [--rounds R] [--work DIR]
//
// 1. Generates click logs (sparktf gen-logs' generator, fixed seed) and runs the embedded plan once in DuckDB to make the
//    Parquet that the Spark engine's native writer leaves (the features plus __h, __split and the order columns).
// 2. Measures, R rounds interleaved, median reported:
//    read    - the query sparktf encode runs (DuckDB over the Parquet, ordered as the embedded engine orders its
//              output), every value fetched into the .NET objects the encoder takes, nothing encoded;
//    encode  - sparktf encode itself (EncodeJob.Run: the same query, Example encoding, framing, 16 shards with
//              compression none, _manifest.json, commit);
//    parquet.net - Parquet.Net reading every column of the same file (no ordering), to compare the readers.
// 3. Prints the ratio encode / read, and exits 1 when it is above 1.5.
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Parquet;
using Parquet.Schema;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Engines;
using SparkTfrecord.Engine.Generation;
using SparkTfrecord.Engine.Jobs;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Engine.Spark;
using SparkTfrecord.Engine.Sql;
using SparkTfrecord.TestSupport;
using SparkTfrecord.Tfrecord.Framing;

int impressions = 200_000;
int rounds = 3;
string? work = null;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--impressions": impressions = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--work": work = args[++i]; break;
        default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
    }
}

work ??= Directory.CreateTempSubdirectory("sparktf-encode-bench-").FullName;
string repo = Repo.Root;

var definition = JobDefinition.Load(Path.Combine(repo, "conf", "din.yaml"));
var date = new DateOnly(2024, 5, 1);
string logs = Path.Combine(work, "logs");
string parquet = Path.Combine(work, "samples.parquet");
if (!File.Exists(parquet))
{
    var clock = Stopwatch.StartNew();
    LogGenerator.Generate(new LogGeneratorOptions
    {
        Output = logs, Date = date, Days = 16, ImpressionsPerDay = impressions, Users = Math.Max(1000, impressions / 10), Items = Math.Max(500, impressions / 20), Seed = 1,
    });
    var plan = JobPlan.Create(definition, date, logs);
    var sql = PlanRenderer.Render(plan, DuckDbDialect.Instance);
    using var engine = new DuckDbEngine();
    foreach (var s in sql.Statements)
    {
        engine.Execute(s.Sql);
    }

    string columns = string.Join(", ", plan.Columns.Sortable.Select(DuckDbDialect.Instance.Identifier));
    // What Spark's native writer leaves: the samples with their histories and order columns, in no particular order.
    string output = sql.SortableOutputQuery;
    engine.Execute($"COPY (SELECT {columns} FROM ({output}) q ORDER BY md5({plan.Names.ShardKey} || CAST({plan.Names.Time} AS VARCHAR))) TO '{parquet}' (FORMAT parquet)");
    Console.WriteLine($"prepared {parquet} in {clock.Elapsed.TotalSeconds:F1} s");
}

long rows = 0;
double Read()
{
    var clock = Stopwatch.StartNew();
    using var engine = new DuckDbEngine();
    string query = EncodeJob.Query(definition, engine, [parquet], out _);
    var features = definition.Features;
    long n = 0;
    long sink = 0;
    engine.Query(query, r =>
    {
        while (r.Read())
        {
            for (int i = 0; i < features.Count; i++)
            {
                if (r.IsDBNull(i))
                {
                    continue;
                }

                var f = features[i];
                sink += (f.Kind, f.IsList) switch
                {
                    (SparkTfrecord.Spec.FeatureDtype.Int64, false) => r.GetInt64(i),
                    (SparkTfrecord.Spec.FeatureDtype.Float, false) => (long)r.GetFloat(i),
                    (SparkTfrecord.Spec.FeatureDtype.String, false) => r.GetString(i).Length,
                    (SparkTfrecord.Spec.FeatureDtype.Int64, true) => r.GetFieldValue<List<long>>(i).Count,
                    (SparkTfrecord.Spec.FeatureDtype.Float, true) => r.GetFieldValue<List<float>>(i).Count,
                    _ => r.GetFieldValue<List<string>>(i).Count,
                };
            }

            sink += r.GetInt64(features.Count) & 1;
            sink += r.GetString(features.Count + 1).Length;
            n++;
        }
    });
    rows = n;
    GC.KeepAlive(sink);
    return clock.Elapsed.TotalSeconds;
}

double Encode(int round)
{
    var clock = Stopwatch.StartNew();
    var summary = EncodeJob.Run(definition, new EncodeJobOptions
    {
        Inputs = [parquet], Output = Path.Combine(work, $"out-{round}"), Overrides = new JobOverrides(Shards: 16, Compression: TfRecordCompression.None),
    });
    if (summary.Records != rows && rows != 0)
    {
        throw new InvalidOperationException($"encode wrote {summary.Records} records, the read saw {rows}");
    }

    return clock.Elapsed.TotalSeconds;
}

double ParquetNet()
{
    var clock = Stopwatch.StartNew();
    using var stream = File.OpenRead(parquet);
    var reader = ParquetReader.CreateAsync(stream).GetAwaiter().GetResult();
    long values = 0;
    for (int g = 0; g < reader.RowGroupCount; g++)
    {
        using var group = reader.OpenRowGroupReader(g);
        foreach (DataField field in reader.Schema.GetDataFields())
        {
            var column = group.ReadRawColumnDataBaseAsync(field).GetAwaiter().GetResult();
            values++;
            (column as IDisposable)?.Dispose();
        }
    }

    reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
    GC.KeepAlive(values);
    return clock.Elapsed.TotalSeconds;
}

var reads = new List<double>();
var encodes = new List<double>();
var parquetNet = new List<double>();
Read(); // warm-up (DuckDB's first query, JIT)
for (int r = 0; r < rounds; r++)
{
    reads.Add(Read());
    encodes.Add(Encode(r));
    parquetNet.Add(ParquetNet());
    Directory.Delete(Path.Combine(work, $"out-{r}"), recursive: true);
}

static double Median(List<double> x) => x.Order().ElementAt(x.Count / 2);
double ratio = Median(encodes) / Median(reads);
Console.WriteLine($"{rows} samples ({new FileInfo(parquet).Length / 1e6:F1} MB Parquet), {rounds} rounds, median seconds, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}:");
Console.WriteLine($"  read (DuckDB, encode's query, values fetched): {Median(reads):F3} s  [{string.Join(", ", reads.Select(x => x.ToString("F3", CultureInfo.InvariantCulture)))}]");
Console.WriteLine($"  encode (sparktf encode, 16 shards, none):     {Median(encodes):F3} s  [{string.Join(", ", encodes.Select(x => x.ToString("F3", CultureInfo.InvariantCulture)))}]");
Console.WriteLine($"  Parquet.Net, every column, no ordering:       {Median(parquetNet):F3} s");
Console.WriteLine($"  encode / read = {ratio:F2} (at most 1.5 asked){(ratio <= 1.5 ? "" : "  ABOVE THE LIMIT")}");
return ratio <= 1.5 ? 0 : 1;
