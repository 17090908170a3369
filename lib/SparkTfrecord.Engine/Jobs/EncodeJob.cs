using System.Diagnostics;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Engines;
using SparkTfrecord.Engine.Output;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Engine.Sql;
using SparkTfrecord.Tfrecord.Example;
using SparkTfrecord.Tfrecord.Files;
using SparkTfrecord.Engine.Hashing;
using SparkTfrecord.Spec;

namespace SparkTfrecord.Engine.Jobs;

/// <summary>
/// <c>sparktf encode</c>: Parquet samples with the spec's feature columns (as the Spark engine's native writer leaves
/// them, or any Parquet with those columns) to TFRecord shards, with the embedded job's writer and commit protocol:
/// each record's shard is the project hash modulo the shards (<see cref="Sharding"/>; the hash is the Parquet's hash
/// column, see <see cref="TechnicalColumns.Hash"/>, or computed from the spec's shard key when it has none), records
/// within a shard in the embedded engine's order, <c>train/</c> and <c>eval/</c>
/// when the spec splits. DuckDB reads and orders the Parquet (spilling when it does not fit in memory).
/// </summary>
public static class EncodeJob
{
    /// <summary>Encodes.</summary>
    /// <param name="definition">The spec (features, and the job's output and sampling settings).</param>
    /// <param name="options">Options.</param>
    /// <param name="cancellation">Stops the run; the output is left as it was.</param>
    /// <returns>The summary.</returns>
    /// <exception cref="InputDataException">No Parquet, a missing column, an unreadable file.</exception>
    /// <exception cref="Output.OutputRefusedException">The output is refused, locked, or exists with no-clobber.</exception>
    /// <exception cref="JobFailedException">The Parquet does not hold the number of rows Spark reported.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static EncodeSummary Run(JobDefinition definition, EncodeJobOptions options, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        definition = options.Overrides.Apply(definition);
        var output = definition.Job.Output;
        var files = ParquetFiles(options.Inputs);
        string outputPath = options.Committer?.Output ?? Path.GetFullPath(options.Output);

        var owned = options.Committer is null
            ? OutputCommitter.Begin(outputPath, new OutputCommitOptions { NoClobber = options.NoClobber, Force = options.Force, InputPaths = options.Inputs, OnStep = options.OnCommitStep })
            : null;
        try
        {
            var committer = options.Committer ?? owned!;
            using var engine = new DuckDbEngine(options.Engine);
            using var registration = cancellation.Register(engine.Cancel);
            string query = Query(definition, engine, files, out bool split);
            var shards = Write(engine, query, definition, committer.WorkDirectory, output, split, options.Progress, cancellation, out long records, out long positives);
            if (options.ExpectedRecords is { } expected && expected != records)
            {
                throw new JobFailedException(JobFailure.CountMismatch, $"the Parquet samples hold {records} rows but Spark reported {expected}: not committing {outputPath}.");
            }

            committer.Step("parts-written");
            var counts = new Dictionary<string, long>(options.Counts ?? new Dictionary<string, long>(), StringComparer.Ordinal)
            {
                [RunCounts.Written] = records,
                [RunCounts.Positives] = positives,
            };
            string manifest = Path.Combine(committer.WorkDirectory, "_manifest.json");
            string engineName = $"{options.EngineName} (duckdb {engine.Version})";
            if (options.Plan is { } plan)
            {
                Manifest.Write(manifest, plan, engineName, shards, counts, options.Quarantine);
            }
            else
            {
                WriteManifest(manifest, definition, output, engineName, shards, counts, files);
            }

            committer.Step("manifest-written");
            cancellation.ThrowIfCancellationRequested();
            committer.Commit();
            return new EncodeSummary(outputPath, records, positives, shards, clock.Elapsed.TotalSeconds);
        }
        finally
        {
            owned?.Dispose();
        }
    }

    /// <summary>
    /// The query that reads the Parquet as the writer needs it: the features cast to their kinds' types in spec order,
    /// then the shard hash and the split (named as <see cref="TechnicalColumns.Default"/> names them, as in the Parquet
    /// the Spark engine writes), ordered as the embedded engine orders its output.
    /// </summary>
    /// <param name="definition">The spec.</param>
    /// <param name="engine">An engine to look at the files' columns.</param>
    /// <param name="files">The Parquet files.</param>
    /// <param name="split">Whether the output has train/ and eval/.</param>
    /// <returns>The query.</returns>
    /// <exception cref="InputDataException">A feature column is missing, or the spec splits and there is no split column.</exception>
    internal static string Query(JobDefinition definition, DuckDbEngine engine, IReadOnlyList<string> files, out bool split)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(files);
        var d = DuckDbDialect.Instance;
        var names = TechnicalColumns.Default;
        string relation = $"read_parquet([{string.Join(", ", files.Select(d.String))}], union_by_name = true)";
        var columns = new List<string>();
        engine.Query($"DESCRIBE SELECT * FROM {relation}", r =>
        {
            while (r.Read())
            {
                columns.Add(r.GetString(0));
            }
        });
        var job = definition.Job;
        var select = new List<string>();
        foreach (var f in definition.Features)
        {
            if (!columns.Contains(f.Name))
            {
                throw new InputDataException(InputProblem.MissingColumn,
                    $"the Parquet at {files[0]} (and {files.Count - 1} more files) has no column '{f.Name}', a feature of {definition.File}; its columns are {string.Join(", ", columns)}.", files[0]);
            }

            select.Add($"{d.TryCast(d.Identifier(f.Name), d.Type(f.Kind, f.IsList))} AS {d.Identifier(f.Name)}");
        }

        // The shard hash: as the plan computed it, or the project hash of the spec's shard key, or of the scalar features.
        string hash;
        if (columns.Contains(names.Hash))
        {
            hash = $"CAST({names.Hash} AS BIGINT)";
        }
        else
        {
            var key = job.Output.ShardKey.Count > 0 && job.Output.ShardKey.All(columns.Contains)
                ? job.Output.ShardKey
                : definition.Features.Where(f => !f.IsList).Select(f => f.Name).ToList();
            hash = d.Hash60(string.Join($" || {d.Separator} || ", key.Select(k => $"coalesce(CAST({d.Identifier(k)} AS VARCHAR), '')")));
        }

        split = job.Sampling.HasEval;
        if (split && !columns.Contains(names.Split))
        {
            throw new InputDataException(InputProblem.MissingColumn,
                $"{definition.File} splits train from eval (sampling.eval_fraction or sampling.split), but the Parquet at {files[0]} has no {names.Split} column saying which sample goes where.", files[0]);
        }

        select.Add($"{hash} AS {names.Hash}");
        select.Add(split ? $"CAST({names.Split} AS VARCHAR) AS {names.Split}" : $"'{SplitShardWriters.Train}' AS {names.Split}");

        // The embedded engine's order: hash, key, time, key columns, then the scalar features.
        var order = new List<string> { names.Hash };
        order.AddRange(new[] { names.ShardKey, names.Time }.Where(columns.Contains).Select(d.Identifier));
        order.AddRange(columns.Where(names.IsKey).Select(d.Identifier));
        order.AddRange(definition.Features.Where(f => !f.IsList).Select(f => "src." + d.Identifier(f.Name)));
        return $"SELECT {string.Join(", ", select)} FROM {relation} src ORDER BY {string.Join(", ", order.Select(SqlDialect.Ascending))}";
    }

    /// <summary>The Parquet files of the inputs, sorted.</summary>
    /// <param name="inputs">Files, folders or globs.</param>
    /// <returns>The files.</returns>
    /// <exception cref="InputDataException">No file found.</exception>
    internal static IReadOnlyList<string> ParquetFiles(IReadOnlyList<string> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var files = new List<string>();
        foreach (string input in inputs)
        {
            if (File.Exists(input))
            {
                files.Add(Path.GetFullPath(input));
            }
            else if (Directory.Exists(input))
            {
                files.AddRange(Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories)
                    .Where(f => Path.GetRelativePath(input, f).Split(Path.DirectorySeparatorChar).All(TfRecordPaths.IsDataFileName))
                    .Select(Path.GetFullPath));
            }
            else
            {
                try
                {
                    files.AddRange(TfRecordPaths.Expand([input]).Select(Path.GetFullPath));
                }
                catch (FileNotFoundException e)
                {
                    throw new InputDataException(InputProblem.NoFiles, $"{input}: no such file or folder of Parquet samples.", input, e);
                }
            }
        }

        if (files.Count == 0)
        {
            throw new InputDataException(InputProblem.NoFiles, $"no Parquet files in {string.Join(", ", inputs)} (names starting with '_' or '.' are not data).");
        }

        return files.Distinct().Order(StringComparer.Ordinal).ToList();
    }

    private static List<ManifestShard> Write(
        DuckDbEngine engine, string query, JobDefinition definition, string work, OutputConfig output, bool split, IJobProgress progress,
        CancellationToken cancellation, out long records, out long positives)
    {
        var features = definition.Features;
        var label = definition.Job.LabelFeature is { } lf ? features.FirstOrDefault(f => f.Name == lf && f.Kind == FeatureDtype.Int64 && !f.IsList) : null;
        // SequenceExamples when the spec has sequence features (issue 14), as the samples job writes them.
        var encoder = new SampleRecordEncoder(features);
        var lengths = new int[features.Count];
        using var writers = new SplitShardWriters(work, split, output);
        long n = 0;
        long p = 0;
        progress.Start("encode", null);
        engine.Query(query, r =>
        {
            var at = OutputOrdinals.Find(r, features, TechnicalColumns.Default);
            var featureAt = at.Features;
            int labelAt = label is null ? -1 : featureAt[features.ToList().IndexOf(label)];
            while (r.Read())
            {
                var record = encoder.Encode(r, featureAt, lengths);
                if (labelAt >= 0 && !r.IsDBNull(labelAt) && r.GetInt64(labelAt) == 1)
                {
                    p++;
                }

                writers.Write(r, at, record);
                if ((++n & 0xFFF) == 0)
                {
                    cancellation.ThrowIfCancellationRequested();
                    progress.Report(n);
                }
            }
        });
        var parts = writers.Close();

        progress.Report(n);
        progress.Stop();
        records = n;
        positives = p;
        return parts;
    }

    private static void WriteManifest(string path, JobDefinition definition, OutputConfig output, string engine, IReadOnlyList<ManifestShard> shards,
        IReadOnlyDictionary<string, long> counts, IReadOnlyList<string> files) =>
        Manifest.Write(path, new ManifestContent
        {
            SpecFile = Path.GetFileName(definition.File),
            SpecHash = definition.SpecHash,
            Engine = engine,
            Writer = "native",
            Compression = output.Compression,
            Shards = shards,
            Features = definition.Features,
            Inputs = [new ManifestInput("parquet", null, files)],
            Counts = counts,
        });
}
