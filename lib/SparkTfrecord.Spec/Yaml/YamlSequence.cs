namespace SparkTfrecord.Spec.Yaml;

/// <summary>A YAML sequence (a list): its items in the file's order.</summary>
internal sealed class YamlSequence : YamlNode
{
    private readonly List<YamlNode> _items = [];

    internal YamlSequence(SourceLocation location, string? tag)
        : base(location, tag)
    {
    }

    /// <summary>The items, in the file's order.</summary>
    public IReadOnlyList<YamlNode> Items => _items;

    internal void Add(YamlNode item) => _items.Add(item);
}
