using SparkTfrecord.Engine.Output;

namespace SparkTfrecord.Engine.Spark;

/// <summary>
/// The bad rows a Spark script wrote to <c>_quarantine/</c> below its target (<see cref="SparkScript.QuarantineTarget"/>),
/// as the launcher puts them into a local output: the same <c>_quarantine/rows.jsonl</c> the embedded engine writes (Spark's
/// <c>part-*.json</c> files joined in name order, which is the order Spark wrote them), and nothing when no row was bad,
/// as with the embedded engine (Spark writes the folder, with <c>_SUCCESS</c>, even for no rows).
/// </summary>
internal static class SparkQuarantine
{
    /// <summary>
    /// Moves the quarantine Spark wrote in <paramref name="sparkFolder"/> into <paramref name="workDirectory"/> as
    /// <c>_quarantine/rows.jsonl</c> (Spark's folder is removed), after checking that Spark's committer finished it and
    /// that it holds one line per bad row counted; with no bad rows, removes Spark's folder.
    /// </summary>
    /// <param name="sparkFolder">The folder Spark wrote (in the work folder, or in the native writer's Parquet folder).</param>
    /// <param name="workDirectory">The output's work folder.</param>
    /// <param name="badRows">The bad rows Spark counted (the sum of its <c>quarantined.SOURCE</c> counts).</param>
    /// <param name="quarantine">The manifest's entry, or null when there were no bad rows.</param>
    /// <returns>Null, or why the quarantine cannot be committed (a sentence).</returns>
    public static string? CommitLocal(string sparkFolder, string workDirectory, long badRows, out ManifestQuarantine? quarantine)
    {
        quarantine = null;
        if (badRows == 0)
        {
            if (Directory.Exists(sparkFolder))
            {
                Directory.Delete(sparkFolder, recursive: true);
            }

            return null;
        }

        if (!File.Exists(Path.Combine(sparkFolder, "_SUCCESS")))
        {
            return $"Spark counted {badRows} bad input rows but {sparkFolder}/_SUCCESS is missing: Spark's committer did not finish the quarantine.";
        }

        // Spark's JSON writer ends every record with a line end (JsonOutputWriter.write: gen.writeLineEnding()).
        var parts = Directory.EnumerateFiles(sparkFolder, "part-*").Order(StringComparer.Ordinal).ToList();
        string joined = Path.Combine(workDirectory, $".{QuarantineFiles.Folder}.{QuarantineFiles.RowsFile}.tmp");
        long lines = 0;
        using (var into = File.Create(joined))
        {
            foreach (string part in parts)
            {
                byte[] bytes = File.ReadAllBytes(part);
                into.Write(bytes);
                lines += bytes.Count(b => b == (byte)'\n');
                if (bytes.Length > 0 && bytes[^1] != (byte)'\n')
                {
                    into.WriteByte((byte)'\n');
                    lines++;
                }
            }
        }

        if (lines != badRows)
        {
            File.Delete(joined);
            return $"Spark's quarantine {sparkFolder} holds {lines} rows, but Spark counted {badRows} bad input rows: the two disagree.";
        }

        Directory.Delete(sparkFolder, recursive: true);
        string folder = Path.Combine(workDirectory, QuarantineFiles.Folder);
        Directory.CreateDirectory(folder);
        File.Move(joined, Path.Combine(folder, QuarantineFiles.RowsFile));
        quarantine = ManifestQuarantine.Rows;
        return null;
    }
}
