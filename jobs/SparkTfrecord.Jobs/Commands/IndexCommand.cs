using System.CommandLine;
using SparkTfrecord.Engine.Output;
using SparkTfrecord.Tfrecord.Files;

namespace SparkTfrecord.Jobs.Commands;

/// <summary>
/// <c>sparktf index PATH... [--force]</c>: index files for existing uncompressed TFRecord files, in the format DALI's and
/// PyTorch's TFRecord readers take (<see cref="TfRecordIndex"/>): a file's beside it, a folder's shards' in their
/// folders' <c>_index/</c>. Every record's CRCs are checked on the way; each index is put in place atomically.
/// </summary>
internal static class IndexCommand
{
    public static Command Create(CliContext context)
    {
        var paths = new Argument<string[]>("PATH")
        {
            Description = "TFRecord files (the index goes beside each, <file>.idx), folders (every TFRecord file in them and their subfolders, " +
                          "names starting with '_' or '.' and .idx files skipped; each index goes to _index/<file name>.idx in the file's folder) or glob patterns (as files).",
            Arity = ArgumentArity.OneOrMore,
        };
        var force = new Option<bool>("--force") { Description = "Replace a file in an index file's place that is not an index (an existing index is always replaced)." };
        var maxRecordBytes = CommonOptions.MaxRecordBytes();
        var command = new Command("index", "Write the index files DALI and the PyTorch tfrecord reader need for existing uncompressed TFRecord files (one '<offset> <length>' line per record), checking every record's CRCs.")
        {
            paths, force, maxRecordBytes,
        };
        command.SetAction(result =>
        {
            var targets = TfRecordIndex.Targets(result.GetValue(paths)!);
            if (targets.Count == 0)
            {
                throw new FileNotFoundException($"no TFRecord file in {string.Join(", ", result.GetValue(paths)!)} (names starting with '_' or '.', and .idx files, are skipped): nothing to index.");
            }

            // Everything refusable is refused before the first index is written.
            foreach (var target in targets)
            {
                TfRecordIndex.CheckUncompressed(target.DataFile);
                OutputGuard.CheckIndexFile(target.IndexFile, result.GetValue(force));
            }

            var reading = CommonOptions.ReaderOptions(skipCorrupt: false, result.GetValue(maxRecordBytes));
            long totalBytes = targets.Sum(t => new FileInfo(t.DataFile).Length);
            var lines = ProgressDisplay.Show(context, "index", progress =>
            {
                progress.Start($"{targets.Count} file(s), {totalBytes} bytes", totalBytes);
                var written = new List<string>(targets.Count);
                long before = 0;
                foreach (var target in targets)
                {
                    long records = TfRecordIndex.Build(target.DataFile, target.IndexFile, done => progress.Report(before + done), reading);
                    before += new FileInfo(target.DataFile).Length;
                    written.Add($"{records}\t{target.DataFile}\t{target.IndexFile}");
                }

                progress.Stop();
                return written;
            });
            foreach (string line in lines)
            {
                context.Out.WriteLine(line);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
