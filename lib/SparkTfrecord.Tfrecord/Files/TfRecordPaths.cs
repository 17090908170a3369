using System.Text.RegularExpressions;

namespace SparkTfrecord.Tfrecord.Files;

/// <summary>Turns command-line paths (files, folders, globs) into the data files they mean.</summary>
public static class TfRecordPaths
{
    /// <summary>
    /// Expands each path: a file is itself; a folder is every data file in it and in its subfolders (so a split
    /// output's <c>train/</c> and <c>eval/</c> are read); a path with <c>*</c>, <c>?</c> or <c>[...]</c> in its last
    /// segments is a glob. Names that begin with <c>_</c> or <c>.</c> are not data (as Spark treats <c>_SUCCESS</c>,
    /// <c>_manifest.json</c>, <c>_audit/</c> and <c>.crc</c> files) and are skipped, files and folders alike, in folders
    /// and globs. Results keep the order of the arguments; each folder's or glob's files are sorted by ordinal path.
    /// A folder with no data file expands to nothing (callers that need records check for that).
    /// </summary>
    /// <param name="paths">The paths as given.</param>
    /// <returns>The data files.</returns>
    /// <exception cref="FileNotFoundException">A path names nothing, or a glob matches nothing.</exception>
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = new List<string>();
        foreach (string path in paths)
        {
            if (File.Exists(path))
            {
                files.Add(path);
            }
            else if (Directory.Exists(path))
            {
                files.AddRange(DataFilesIn(path));
            }
            else if (path.IndexOfAny(['*', '?', '[']) >= 0)
            {
                List<string> matched = Glob(path);
                if (matched.Count == 0)
                {
                    throw new FileNotFoundException($"{path}: the pattern matches no data file (names starting with '_' or '.' are not data).", path);
                }

                files.AddRange(matched);
            }
            else
            {
                throw new FileNotFoundException($"{path}: no such file or folder.", path);
            }
        }

        return files;
    }

    /// <summary>True for a name that is data, not a marker or hidden file (it does not begin with <c>_</c> or <c>.</c>).</summary>
    /// <param name="fileName">A file name without folder.</param>
    /// <returns>Whether the file holds data.</returns>
    public static bool IsDataFileName(string fileName) =>
        fileName.Length > 0 && fileName[0] != '_' && fileName[0] != '.';

    // Every data file below the folder whose path has no marker or hidden name in it.
    private static IEnumerable<string> DataFilesIn(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetRelativePath(folder, f).Split(Path.DirectorySeparatorChar).All(IsDataFileName))
            .Order(StringComparer.Ordinal);

    private static List<string> Glob(string pattern)
    {
        string full = pattern.Replace('\\', '/');
        bool rooted = full.StartsWith('/');
        string[] segments = full.Split('/', StringSplitOptions.RemoveEmptyEntries);
        IEnumerable<string> current = [rooted ? "/" : "."];
        for (int i = 0; i < segments.Length; i++)
        {
            string segment = segments[i];
            bool last = i == segments.Length - 1;
            if (segment.IndexOfAny(['*', '?', '[']) < 0)
            {
                current = current.Select(c => Path.Combine(c, segment)).Where(p => last ? File.Exists(p) || Directory.Exists(p) : Directory.Exists(p));
                continue;
            }

            var regex = new Regex("^" + SegmentToRegex(segment) + "$", RegexOptions.CultureInvariant);
            current = current.SelectMany(c => (last ? Directory.EnumerateFileSystemEntries(c) : Directory.EnumerateDirectories(c))
                .Where(p => IsDataFileName(Path.GetFileName(p)) && regex.IsMatch(Path.GetFileName(p)))
                .Order(StringComparer.Ordinal));
        }

        var result = new List<string>();
        foreach (string match in current)
        {
            string path = rooted || !match.StartsWith("./", StringComparison.Ordinal) ? match : match[2..];
            if (Directory.Exists(path))
            {
                result.AddRange(DataFilesIn(path));
            }
            else
            {
                result.Add(path);
            }
        }

        return result;
    }

    private static string SegmentToRegex(string segment)
    {
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < segment.Length; i++)
        {
            char c = segment[i];
            switch (c)
            {
                case '*':
                    sb.Append("[^/]*");
                    break;
                case '?':
                    sb.Append("[^/]");
                    break;
                case '[':
                    int close = segment.IndexOf(']', i + 1);
                    if (close < 0)
                    {
                        sb.Append(@"\[");
                        break;
                    }

                    string set = segment[(i + 1)..close];
                    sb.Append('[').Append(set.StartsWith('!') ? "^" + Regex.Escape(set[1..]) : Regex.Escape(set)).Append(']');
                    i = close;
                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return sb.ToString();
    }
}
