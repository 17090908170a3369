namespace SparkTfrecord.Spec.Validation;

/// <summary>
/// Finds a declared feature by its UTF-8 name. Writers emit features in the same order in every record, so the feature
/// after the last one found is tried first; <see cref="Restart"/> at each record.
/// </summary>
internal struct FeatureFinder(ExpectedFeature[] expected)
{
    private readonly ExpectedFeature[] _expected = expected;
    private int _next;

    /// <summary>Starts a record: its first feature is guessed to be the first declared.</summary>
    public void Restart() => _next = 0;

    /// <summary>The index of the declared feature of that name (a context feature or a feature list), or -1.</summary>
    public int Find(ReadOnlySpan<byte> name, bool inSequence)
    {
        ExpectedFeature[] expected = _expected;
        int guess = _next;
        if ((uint)guess < (uint)expected.Length)
        {
            ExpectedFeature e = expected[guess];
            if (e.InSequence == inSequence && name.SequenceEqual(e.Utf8Name))
            {
                _next = guess + 1;
                return guess;
            }
        }

        for (int i = 0; i < expected.Length; i++)
        {
            byte[] candidate = expected[i].Utf8Name;
            if (candidate.Length == name.Length && name.SequenceEqual(candidate) && expected[i].InSequence == inSequence)
            {
                _next = i + 1;
                return i;
            }
        }

        return -1;
    }
}
