using SparkTfrecord.Spec.Loading;
using SparkTfrecord.Spec.Yaml;

namespace SparkTfrecord.Spec;

/// <summary>
/// Loads a YAML feature spec and checks everything in it: unknown keys, wrong types, duplicate or invalid names,
/// defaults of the wrong dtype, a missing label, values that YAML 1.1 and 1.2 read differently. Reads the file through
/// the library's own YAML layer (<see cref="YamlDocuments"/>): nothing in the file constructs a .NET type.
/// </summary>
public static class SpecLoader
{
    /// <summary>
    /// The largest spec file read, in bytes (4 MiB). A spec is a few kilobytes, or a few hundred with long domain
    /// lists; the YAML tree takes about 70 times the file's size in memory (3.6 GB for a 50 MB file), so a larger file is
    /// refused before it is read.
    /// </summary>
    public const long MaxBytes = 4L * 1024 * 1024;

    /// <summary>The deepest nesting of mappings and lists read (a spec needs about 5 levels).</summary>
    public const int MaxDepth = YamlDocuments.MaxDepth;

    /// <summary>Reads and checks the spec file at <paramref name="path"/>.</summary>
    /// <param name="path">The YAML file; the path is used as given in every message.</param>
    /// <returns>The loaded spec.</returns>
    /// <exception cref="SpecException">The file is not a valid spec; the message names the line and column.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static FeatureSpec Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string text;
        try
        {
            using var stream = File.OpenRead(path);
            if (stream.CanSeek)
            {
                CheckSize(path, stream.Length);
            }

            using var reader = new StreamReader(stream, detectEncodingFromByteOrderMarks: true);
            text = reader.ReadToEnd();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"{path}: the spec file does not exist.", path, e);
        }

        return Parse(text, path);
    }

    /// <summary>Checks spec text.</summary>
    /// <param name="yaml">The YAML text.</param>
    /// <param name="file">The name used in messages.</param>
    /// <returns>The loaded spec.</returns>
    /// <exception cref="SpecException">The text is not a valid spec; the message names the line and column.</exception>
    public static FeatureSpec Parse(string yaml, string file = "<spec>")
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(file);
        CheckSize(file, System.Text.Encoding.UTF8.GetByteCount(yaml));
        IReadOnlyList<YamlNode> documents = YamlDocuments.Parse(yaml, file);
        if (documents.Count != 1)
        {
            throw new SpecException(file, 1, 1, documents.Count == 0 ? "the file is empty" : "the file holds several YAML documents",
                "A spec is one YAML mapping starting with 'spec: 1'.");
        }

        return new SpecReader(file).Read(documents[0]);
    }

    private static void CheckSize(string file, long bytes)
    {
        if (bytes > MaxBytes)
        {
            throw new SpecException(file, 1, 1, $"the file is {bytes} bytes, more than the {MaxBytes} bytes (4 MiB) a spec may have",
                "A spec declares features and the job's settings; keep data (long value lists, logs) out of it.");
        }
    }
}
