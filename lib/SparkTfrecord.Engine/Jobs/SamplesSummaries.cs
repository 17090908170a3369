using System.Text;
using SparkTfrecord.Engine.Output;
using SparkTfrecord.Engine.Planning;

namespace SparkTfrecord.Engine.Jobs;

/// <summary>Where a samples run's JSON summaries go, for both engines: one object, or an array for a range of dates.</summary>
public static class SamplesSummaries
{
    /// <summary>
    /// Writes the summaries (JSON objects without their last newline) to <paramref name="file"/>, else
    /// <paramref name="stdout"/>; nothing when there are none (a dry run). A failed run's summaries
    /// (<paramref name="failed"/>, the last with status failed) go to the file only: standard output carries a summary
    /// only when every day was committed. The file is written beside and moved into place, so a reader never sees half.
    /// </summary>
    /// <param name="summaries">The summaries, in the order of the days.</param>
    /// <param name="file">The <c>--summary</c> file, or null.</param>
    /// <param name="stdout">Standard output.</param>
    /// <param name="failed">Whether the run failed.</param>
    public static void Write(IReadOnlyList<string> summaries, string? file, TextWriter stdout, bool failed = false)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        ArgumentNullException.ThrowIfNull(stdout);
        if (summaries.Count == 0 || (failed && file is null))
        {
            return;
        }

        string json = summaries.Count == 1 ? summaries[0] + "\n" : "[\n" + string.Join(",\n", summaries) + "\n]\n";
        if (file is null)
        {
            stdout.Write(json);
            return;
        }

        string full = Path.GetFullPath(file);
        string temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        File.WriteAllText(temp, json, new UTF8Encoding(false));
        File.Move(temp, full, overwrite: true);
    }

    /// <summary>
    /// Refuses a summary file that cannot be written, before any work: a missing folder, or a file that cannot be opened
    /// for writing. An existing summary stays as it is until the run writes its own.
    /// </summary>
    /// <param name="file">The <c>--summary</c> file (not a folder: the command line refuses that as a usage error).</param>
    /// <exception cref="OutputRefusedException">The file cannot be written (<see cref="OutputRefusal.SummaryNotWritable"/>);
    /// the message says why and that nothing was run.</exception>
    public static void CheckWritable(string file)
    {
        string full = Path.GetFullPath(file);
        string folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
        {
            throw new OutputRefusedException(OutputRefusal.SummaryNotWritable, full,
                $"--summary {file}: the folder {folder} does not exist, so the summary could not be written; create it or choose another file. Nothing was run.");
        }

        bool existed = File.Exists(full);
        try
        {
            // Opened for writing without truncating it, so an existing summary stays until this run writes its own.
            using (File.Open(full, existed ? FileMode.Open : FileMode.CreateNew, FileAccess.Write))
            {
            }

            if (!existed)
            {
                File.Delete(full);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputRefusedException(OutputRefusal.SummaryNotWritable, full, $"--summary {file} cannot be written ({e.Message}); choose a file you can write. Nothing was run.", e);
        }
    }

    /// <summary>The summary of a run that failed before its first day started (a config error): the first day's, with
    /// no counts.</summary>
    /// <param name="date">The first day.</param>
    /// <param name="output">The output template (a local path, or a URI for the Spark engine).</param>
    /// <param name="engine">The engine's name.</param>
    /// <param name="error">What failed.</param>
    /// <returns>The JSON object, without its last newline.</returns>
    public static string FailedBeforeStart(DateOnly date, string output, string engine, string error)
    {
        ArgumentNullException.ThrowIfNull(output);
        string path = PathTemplate.ExpandOne(output, date);
        return SamplesSummary.Failed(date, output.Contains("://", StringComparison.Ordinal) ? path : Path.GetFullPath(path), engine, error, null, 0).ToJson().TrimEnd();
    }
}
