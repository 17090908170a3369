using System.CommandLine;
using System.Text;
using System.Text.Json;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Jobs;
using SparkTfrecord.Engine.Output;
using SparkTfrecord.Tfrecord.Files;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Jobs.Commands;

/// <summary>
/// <c>sparktf encode</c>: Parquet samples with the spec's feature columns to TFRecord shards with the native writer and
/// the commit protocol (what <c>samples --engine spark --writer native</c> runs after Spark; usable on its own).
/// </summary>
internal static class EncodeCommand
{
    public static Command Create(CliContext context)
    {
        var spec = CommonOptions.Spec();
        var input = new Option<string[]>("--input", "-i") { Description = "Parquet files, folders or globs with a column per feature (and optionally __h, __split and the order columns the Spark engine writes).", Required = true, Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output", "-o") { Description = "The output folder (the leaf of one run); replaced atomically when it is missing, empty or an earlier output of sparktf; any other folder is refused (see --force).", Required = true };
        var layout = new ShardLayoutOptions("the spec's job");
        var compression = CommonOptions.JobCompression("none, gzip or zlib (default: the spec's job output.compression).");
        var noClobber = new Option<bool>("--no-clobber") { Description = "Fail instead of replacing an existing output." };
        var force = new Option<bool>("--force") { Description = JobOptions.ForceDescription };
        var summary = new Option<string>("--summary") { Description = "Write the JSON summary to this file instead of stdout." };
        var index = CommonOptions.ShardIndex();
        var command = new Command("encode", "Turn Parquet samples with the spec's columns into TFRecord shards (native writer, _manifest.json, _SUCCESS, atomic replace).")
        {
            spec, input, output, compression, noClobber, force, summary, index,
        };
        layout.AddTo(command);
        command.SetAction((result, cancellation) =>
        {
            JobDefinition definition = JobDefinition.Load(result.GetValue(spec)!);
            if (result.GetValue(summary) is { } target)
            {
                OutputGuard.CheckSummary(target, result.GetValue(input)!.Select(i => (i, "the input")).Append((result.GetValue(output)!, "the output")));
            }

            EncodeSummary done;
            try
            {
                done = EncodeJob.Run(definition, new EncodeJobOptions
                {
                    Inputs = result.GetValue(input)!,
                    Output = result.GetValue(output)!,
                    Overrides = layout.Apply(new JobOverrides(null, result.GetValue(compression)) { Index = result.GetValue(index) }, result),
                    NoClobber = result.GetValue(noClobber),
                    Force = result.GetValue(force),
                }, cancellation);
            }
            catch (Exception e) when (e is OperationCanceledException || cancellation.IsCancellationRequested)
            {
                // Whatever the signal interrupted (DuckDB's query, a file being written) ends here.
                throw new CommandStoppedException("temporary files removed, the output is as it was", e);
            }
            catch (DuckDB.NET.Data.DuckDBException e)
            {
                bool outOfMemory = SparkTfrecord.Engine.Engines.DuckDbEngine.IsOutOfMemory(e);
                throw new JobFailedException(outOfMemory ? JobFailure.OutOfMemory : JobFailure.EngineError, outOfMemory
                    ? $"encode: out of memory reading the Parquet input ({e.Message.Split('\n')[0]}): encode fewer or smaller files at a time, or run it where more memory is free."
                    : e.Message, inner: e);
            }

            string json = SummaryJson(done);
            if (result.GetValue(summary) is { } file)
            {
                AtomicFile.WriteAllText(file, json);
            }
            else
            {
                context.Out.Write(json);
            }

            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    /// <summary>The summary: version 1, output, records, positives, shards (file, records, bytes), seconds.</summary>
    public static string SummaryJson(EncodeSummary s)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("version", 1);
            w.WriteString("output", s.Output);
            w.WriteNumber("records", s.Records);
            w.WriteNumber("positives", s.Positives);
            w.WriteStartArray("shards");
            foreach (var shard in s.Shards)
            {
                w.WriteStartObject();
                w.WriteString("file", shard.File);
                w.WriteNumber("records", shard.Records.GetValueOrDefault());
                w.WriteNumber("bytes", shard.Bytes);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteNumber("seconds", Math.Round(s.Seconds, 3));
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
