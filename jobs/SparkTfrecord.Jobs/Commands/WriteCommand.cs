using System.CommandLine;
using SparkTfrecord.Engine.Output;
using SparkTfrecord.Tfrecord.Files;
using SparkTfrecord.Tfrecord.Framing;
using SparkTfrecord.Tfrecord.Json;

namespace SparkTfrecord.Jobs.Commands;

/// <summary><c>sparktf write --input FILE.jsonl --output FILE [--compression C]</c>: the inverse of inspect.</summary>
internal static class WriteCommand
{
    public static Command Create(CliContext context)
    {
        var input = new Option<string>("--input", "-i") { Description = "JSON lines in the form 'inspect' prints ('-' for stdin).", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "The TFRecord file to write; replaced atomically when it is missing, empty or a TFRecord file; any other file is refused (see --force).", Required = true };
        var compression = CommonOptions.Compression("none, gzip or zlib (default none).");
        var force = new Option<bool>("--force")
        {
            Description = "Replace an output file that is not a TFRecord file. Never overrides the cases that are always wrong: the input file itself, a folder or a link.",
        };
        var seq = new Option<bool>("--seq") { Description = "Write every line as a tf.train.SequenceExample." };
        var index = new Option<bool>("--index")
        {
            Description = "Also write the file's index, <output>.idx beside it (one '<offset> <length>' line per record, as DALI's and PyTorch's tfrecord2idx write it); " +
                          "an existing index there is replaced, any other file only with --force. Uncompressed output only.",
        };
        var command = new Command("write", "Write a TFRecord file from JSON lines in the form 'inspect' prints; feature keys are written in each line's order.")
        {
            input, output, compression, seq, index, force,
        };
        command.SetAction(result =>
        {
            string inputPath = result.GetValue(input)!;
            string outputPath = result.GetValue(output)!;

            // Before anything is read: a wrong --output must not cost the user a file. A folder is a usage mistake
            // (write's output is one file), told apart before the guard's rules for files.
            string fullOutput = Path.GetFullPath(outputPath);
            if (Path.GetDirectoryName(fullOutput) is null || Directory.Exists(fullOutput) || Path.EndsInDirectorySeparator(outputPath))
            {
                throw new UsageException($"--output {outputPath} is a folder: name the TFRecord file to write, for example {Path.Combine(outputPath, "part-00000.tfrecord")}.");
            }

            OutputGuard.CheckFile(outputPath, new OutputGuardOptions { Force = result.GetValue(force), InputPaths = inputPath == "-" ? [] : [inputPath] });
            string? indexPath = null;
            if (result.GetValue(index))
            {
                if (result.GetValue(compression) != TfRecordCompression.None)
                {
                    throw new UsageException(
                        $"--index needs an uncompressed file, not --compression {result.GetValue(compression).ToString().ToLowerInvariant()}: an index lists byte offsets in the uncompressed file, " +
                        "and both readers of index files (NVIDIA DALI, the PyTorch tfrecord package) read indexed files uncompressed. Add --compression none, or leave out --index.");
                }

                indexPath = TfRecordIndex.BesideFile(outputPath);
                OutputGuard.CheckIndexFile(indexPath, result.GetValue(force));
            }

            long count = Run(context, inputPath, outputPath, result.GetValue(compression), result.GetValue(seq), indexPath);
            context.Err.WriteLine($"sparktf: wrote {count} records to {outputPath}{(indexPath is null ? "" : $" and its index to {indexPath}")}");
            if (indexPath is null && File.Exists(TfRecordIndex.BesideFile(outputPath)))
            {
                context.Err.WriteLine($"sparktf: note: {TfRecordIndex.BesideFile(outputPath)} was made for the file this one replaced and no longer matches it: run 'sparktf index {outputPath}' or remove it.");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static long Run(CliContext context, string inputPath, string outputPath, TfRecordCompression compression, bool forceSequence, string? indexPath)
    {
        // Write beside the target and rename at the end, so a failure never leaves a half-written file under the name.
        string fullOutput = Path.GetFullPath(outputPath);
        string temp = AtomicFile.TemporaryPathBeside(fullOutput);
        string? indexTemp = indexPath is null ? null : AtomicFile.TemporaryPathBeside(Path.GetFullPath(indexPath));
        var reader = new ExampleJsonReader();
        long count;
        try
        {
            using (TextReader lines = inputPath == "-" ? context.In : new StreamReader(inputPath))
            using (TfRecordWriter writer = TfRecordWriter.Create(temp, new TfRecordWriterOptions { Compression = compression }))
            using (TfRecordIndexWriter? index = indexTemp is null ? null : TfRecordIndexWriter.Create(indexTemp))
            {
                long lineNumber = 0;
                while (lines.ReadLine() is { } line)
                {
                    lineNumber++;
                    if (string.IsNullOrWhiteSpace(line))
                    {
                        continue;
                    }

                    ReadOnlySpan<byte> record;
                    try
                    {
                        record = reader.Encode(line, forceSequence);
                    }
                    catch (Exception e) when (e is FormatException or OverflowException or ArgumentException or InvalidOperationException)
                    {
                        throw new FormatException($"{inputPath}:{lineNumber}: {e.Message}. Nothing was written; fix the line and run again.", e);
                    }

                    writer.WriteFramed(record);
                    index?.Add(record.Length);
                }

                count = writer.RecordCount;
            }

            if (indexTemp is not null)
            {
                // The old index goes first: between the two renames a reader finds the new file with no index (and
                // fails saying so), never the new file with the old file's offsets.
                File.Delete(Path.GetFullPath(indexPath!));
                File.Move(temp, fullOutput, overwrite: true);
                File.Move(indexTemp, Path.GetFullPath(indexPath!), overwrite: true);
            }
            else
            {
                File.Move(temp, fullOutput, overwrite: true);
            }

            return count;
        }
        finally
        {
            File.Delete(temp);
            if (indexTemp is not null)
            {
                File.Delete(indexTemp);
            }
        }
    }
}
