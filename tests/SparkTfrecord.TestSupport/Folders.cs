namespace SparkTfrecord.TestSupport;

/// <summary>Folder helpers the suites share.</summary>
public static class Folders
{
    /// <summary>Copies a folder with everything below it (empty folders too) to <paramref name="to"/>, which it creates.</summary>
    /// <param name="from">The folder to copy (generated logs, a fixture).</param>
    /// <param name="to">Where the copy goes.</param>
    public static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        }

        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }
}
