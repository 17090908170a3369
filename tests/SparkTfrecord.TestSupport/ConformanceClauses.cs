namespace SparkTfrecord.TestSupport;

/// <summary>
/// The clauses of the engine contract (docs/engine-semantics.md) and the conformance case folders that check them, as
/// tests/conformance/clauses.txt lists them: the one place the clause ids are spelled, read by the conformance runner
/// and by the test of the document.
/// </summary>
public static class ConformanceClauses
{
    private static readonly Lazy<IReadOnlyList<(string Id, string Says)>> s_clauses = new(Read);

    /// <summary>The folder of the conformance cases: tests/conformance.</summary>
    public static string Folder => Repo.In("tests", "conformance");

    /// <summary>The clause ids, in the list's order.</summary>
    public static IReadOnlyList<string> Ids => [.. s_clauses.Value.Select(c => c.Id)];

    /// <summary>What a clause says, in one line.</summary>
    /// <param name="id">A clause id.</param>
    /// <returns>Its line.</returns>
    public static string Says(string id) => s_clauses.Value.Single(c => c.Id == id).Says;

    /// <summary>The names of the case folders under tests/conformance, in ordinal order.</summary>
    public static IReadOnlyList<string> CaseFolders() =>
        [.. Directory.GetDirectories(Folder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    /// <summary>
    /// The clause a case folder's name belongs to: the longest clause id that is the name or is followed in it by
    /// <c>-</c> and a variant; null when no clause fits.
    /// </summary>
    /// <param name="folder">The case folder's name.</param>
    /// <returns>The clause id, or null.</returns>
    public static string? ClauseOfFolder(string folder) =>
        Ids.Where(id => folder == id || folder.StartsWith(id + "-", StringComparison.Ordinal)).MaxBy(id => id.Length);

    private static List<(string Id, string Says)> Read()
    {
        var clauses = new List<(string Id, string Says)>();
        string file = Path.Combine(Folder, "clauses.txt");
        foreach (string line in File.ReadLines(file).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space < 0)
            {
                throw new InvalidDataException($"{file}: '{line}' has a clause id but no sentence after it");
            }

            clauses.Add((line[..space], line[(space + 1)..].Trim()));
        }

        var twice = clauses.GroupBy(c => c.Id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (twice.Count > 0)
        {
            throw new InvalidDataException($"{file}: clause ids listed twice: {string.Join(", ", twice)}");
        }

        return clauses;
    }
}
