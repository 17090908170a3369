using System.CommandLine;
using SparkTfrecord.Engine.Output;
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
        var command = new Command("write", "Write a TFRecord file from JSON lines in the form 'inspect' prints; feature keys are written in each line's order.")
        {
            input, output, compression, seq, force,
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
            long count = Run(context, inputPath, outputPath, result.GetValue(compression), result.GetValue(seq));
            context.Err.WriteLine($"sparktf: wrote {count} records to {outputPath}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static long Run(CliContext context, string inputPath, string outputPath, TfRecordCompression compression, bool forceSequence)
    {
        // Write beside the target and rename at the end, so a failure never leaves a half-written file under the name.
        string fullOutput = Path.GetFullPath(outputPath);
        string temp = Path.Combine(Path.GetDirectoryName(fullOutput)!, $".{Path.GetFileName(fullOutput)}.{Environment.ProcessId}.tmp");
        var reader = new ExampleJsonReader();
        long count;
        try
        {
            using (TextReader lines = inputPath == "-" ? context.In : new StreamReader(inputPath))
            using (TfRecordWriter writer = TfRecordWriter.Create(temp, new TfRecordWriterOptions { Compression = compression }))
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
                }

                count = writer.RecordCount;
            }

            File.Move(temp, fullOutput, overwrite: true);
            return count;
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
