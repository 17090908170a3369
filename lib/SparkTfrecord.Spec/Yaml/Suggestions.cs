namespace SparkTfrecord.Spec.Yaml;

/// <summary>"Did you mean": the known word nearest to a mistyped one, by edit distance ignoring case.</summary>
internal static class Suggestions
{
    /// <summary>
    /// <paramref name="otherwise"/>, preceded by "Did you mean 'x'?" when some option is within a third of the
    /// value's length (at least one edit) of it.
    /// </summary>
    public static string DidYouMean(string value, IEnumerable<string> options, string otherwise)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string option in options)
        {
            int d = Distance(value.ToLowerInvariant(), option.ToLowerInvariant());
            if (d < bestDistance)
            {
                best = option;
                bestDistance = d;
            }
        }

        return best is not null && bestDistance <= Math.Max(1, value.Length / 3) ? $"Did you mean '{best}'? {otherwise}" : otherwise;
    }

    private static int Distance(string a, string b)
    {
        var row = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            row[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            int previous = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int current = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = current;
            }
        }

        return row[b.Length];
    }
}
