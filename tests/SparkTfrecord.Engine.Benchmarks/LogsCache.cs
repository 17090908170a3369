using System.Globalization;
using SparkTfrecord.Engine.Generation;

/// <summary>
/// The benchmarks' generated logs are kept in the work folder between runs (the 10M-impression logs take minutes to
/// make), each folder with a <c>_DONE</c> marker whose first line is the key of what made it: the generator's options
/// and version (<see cref="LogGenerator.Version"/>). A folder is reused only when its key is the one asked for; one made
/// with other options (another <c>--impressions</c>, say) or by another version of the generator is made again, where
/// it used to be measured as if it were the logs asked for.
/// </summary>
internal static class LogsCache
{
    private const string Marker = "_DONE";

    /// <summary>The key of logs made by <see cref="LogGenerator"/> with <paramref name="options"/> (their folder aside).</summary>
    public static string Key(LogGeneratorOptions options) =>
        $"LogGenerator v{LogGenerator.Version}: " + string.Join(", ", typeof(LogGeneratorOptions).GetProperties()
            .Where(p => p.Name != nameof(LogGeneratorOptions.Output))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name}={p.GetValue(options)}")));

    /// <summary>
    /// True when <paramref name="folder"/> holds complete logs of <paramref name="key"/> (their description is printed);
    /// otherwise the folder is removed (it is a cache), and the caller makes the logs and calls <see cref="Done"/>.
    /// </summary>
    public static bool TryReuse(string folder, string key)
    {
        string marker = Path.Combine(folder, Marker);
        if (File.Exists(marker))
        {
            string[] lines = File.ReadAllLines(marker);
            if (lines.Length > 0 && lines[0] == key)
            {
                Console.Error.WriteLine(string.Join(" ", lines.Skip(1)).Trim());
                return true;
            }

            Console.Error.WriteLine($"{folder} was made with other options or another generator ({(lines.Length > 0 ? lines[0] : "no key")}): making it again");
        }

        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        return false;
    }

    /// <summary>Marks <paramref name="folder"/> as complete logs of <paramref name="key"/>, described by <paramref name="description"/>.</summary>
    public static void Done(string folder, string key, string description) =>
        File.WriteAllText(Path.Combine(folder, Marker), key + "\n" + description + "\n");
}
