namespace SparkTfrecord.Engine.Generation;

/// <summary>
/// The folder <see cref="LogGenerator"/> writes into. It writes <c>part-00000</c> files into partition folders below
/// it, replacing files of the same names: a folder of real logs given by mistake would lose them. So logs are written
/// only into a missing or empty folder, or one written before by the generator (it leaves <see cref="Marker"/> there),
/// unless the caller is told to force it.
/// </summary>
public static class LogOutputFolder
{
    /// <summary>The file left in the output folder, so a rerun may write there again.</summary>
    public const string Marker = "_sparktf_gen_logs";

    /// <summary>Whether logs may be written into <paramref name="folder"/>.</summary>
    /// <param name="folder">The output folder.</param>
    /// <returns>What the folder is.</returns>
    public static LogOutputState Check(string folder)
    {
        string full = Path.GetFullPath(folder);
        if (File.Exists(full))
        {
            return LogOutputState.File;
        }

        return Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any() && !File.Exists(Path.Combine(full, Marker))
            ? LogOutputState.Foreign
            : LogOutputState.Writable;
    }

    /// <summary>Creates <paramref name="folder"/> if needed and marks it as the generator's.</summary>
    /// <param name="folder">The output folder.</param>
    /// <exception cref="IOException">The folder cannot be created or written.</exception>
    public static void Claim(string folder)
    {
        string full = Path.GetFullPath(folder);
        Directory.CreateDirectory(full);
        File.WriteAllText(Path.Combine(full, Marker), "");
    }
}
