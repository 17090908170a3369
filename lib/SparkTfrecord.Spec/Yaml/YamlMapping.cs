namespace SparkTfrecord.Spec.Yaml;

/// <summary>A YAML mapping: its entries in the file's order (no two scalar keys alike).</summary>
internal sealed class YamlMapping : YamlNode
{
    private readonly List<KeyValuePair<YamlNode, YamlNode>> _entries = [];

    internal YamlMapping(SourceLocation location, string? tag)
        : base(location, tag)
    {
    }

    /// <summary>The entries, in the file's order.</summary>
    public IReadOnlyList<KeyValuePair<YamlNode, YamlNode>> Entries => _entries;

    /// <summary>The value of the scalar key <paramref name="key"/>, or null when the mapping has no such key.</summary>
    /// <param name="key">The key's text (quoted or not).</param>
    /// <returns>The value node.</returns>
    public YamlNode? Get(string key)
    {
        foreach (KeyValuePair<YamlNode, YamlNode> entry in _entries)
        {
            if (entry.Key is YamlScalar scalar && scalar.Value == key)
            {
                return entry.Value;
            }
        }

        return null;
    }

    /// <summary>
    /// Refuses a key that is not a plain word or not one of <paramref name="known"/>, suggesting the nearest known
    /// key ("did you mean").
    /// </summary>
    /// <param name="known">The keys allowed here.</param>
    /// <param name="where">Where the mapping is, for the message ("in feature 'age'").</param>
    /// <exception cref="SpecException">A key is unknown or not a scalar.</exception>
    public void CheckKeys(IReadOnlyList<string> known, string where)
    {
        foreach (KeyValuePair<YamlNode, YamlNode> entry in _entries)
        {
            if (entry.Key is not YamlScalar key)
            {
                throw entry.Key.Fail($"a key {where} is {entry.Key.Describe()}", "Keys are plain words.");
            }

            if (!known.Contains(key.Value, StringComparer.Ordinal))
            {
                throw key.Fail($"unknown key '{key.Value}' {where}", Suggestions.DidYouMean(key.Value, known, $"Known keys: {string.Join(", ", known)}."));
            }
        }
    }

    internal void Add(YamlNode key, YamlNode value) => _entries.Add(new(key, value));
}
