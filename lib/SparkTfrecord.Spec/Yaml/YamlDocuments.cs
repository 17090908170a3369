using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace SparkTfrecord.Spec.Yaml;

/// <summary>
/// Reads YAML text into <see cref="YamlNode"/> trees, one per document. YamlDotNet is used here only, as the tokenizer
/// and event parser; the tree is built from its events without recursion, so a deeply nested file cannot overflow the
/// stack, and nesting deeper than <see cref="MaxDepth"/> is refused at the first node too deep.
/// </summary>
internal static partial class YamlDocuments
{
    /// <summary>The deepest nesting of mappings and lists read (a spec needs about 5 levels).</summary>
    public const int MaxDepth = 64;

    /// <summary>Parses every document of <paramref name="text"/>.</summary>
    /// <param name="text">The YAML text.</param>
    /// <param name="file">The file's name, for the nodes' locations and the messages.</param>
    /// <returns>The documents' root nodes (none for an empty file or one holding only comments).</returns>
    /// <exception cref="SpecException">A YAML syntax error, a duplicate key, an alias without its anchor, or nesting too deep.</exception>
    public static IReadOnlyList<YamlNode> Parse(string text, string file)
    {
        var builder = new Builder(file);
        try
        {
            return builder.Build(new Parser(new StringReader(text)));
        }
        catch (YamlException e)
        {
            throw SyntaxError(file, e.Start.Line, e.Start.Column, YamlMarkPrefix().Replace(e.Message, "").TrimEnd('.'), e);
        }
        catch (InvalidOperationException e) when (e.TargetSite?.DeclaringType?.Namespace?.StartsWith("YamlDotNet", StringComparison.Ordinal) == true)
        {
            // YamlDotNet's scanner gives up on some malformed text (an unclosed '{' followed by more lines) with a bare
            // InvalidOperationException rather than a YamlException: it is still the user's YAML, reported where reading
            // stopped.
            throw SyntaxError(file, builder.LastRead.Line, builder.LastRead.Column,
                "the YAML could not be read past here (often a '{' or '[' that is not closed on its line, or a quote that is not closed)", e);
        }
    }

    private static SpecException SyntaxError(string file, long line, long column, string what, Exception? inner = null)
    {
        string hint = what.Contains("duplicate key", StringComparison.OrdinalIgnoreCase)
            ? "Each key may appear once in a mapping; remove or rename the repeated one."
            : "Fix the YAML syntax (indentation, quotes, ':' followed by a space).";
        return new SpecException(file, line, column, $"YAML syntax error: {what}", hint, inner);
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex YamlMarkPrefix();

    /// <summary>Builds the trees from the parser's events with an explicit stack of the open mappings and lists.</summary>
    private sealed class Builder(string file)
    {
        private readonly List<YamlNode> _documents = [];
        private readonly Stack<Open> _open = new();
        private readonly Dictionary<string, YamlNode> _anchors = new(StringComparer.Ordinal);

        /// <summary>Where the last event read ends: where a reader that gave up without a position stopped.</summary>
        public Mark LastRead { get; private set; } = Mark.Empty;

        public List<YamlNode> Build(IParser parser)
        {
            while (parser.MoveNext())
            {
                LastRead = parser.Current!.End;
                switch (parser.Current)
                {
                    case DocumentStart:
                        _anchors.Clear();
                        break;
                    case Scalar scalar:
                        Place(Register(scalar, new YamlScalar(At(scalar.Start), TagOf(scalar), scalar.Value, StyleOf(scalar.Style))), scalar.Start);
                        break;
                    case AnchorAlias alias:
                        Place(_anchors.TryGetValue(alias.Value.Value, out YamlNode? target)
                            ? target
                            : throw SyntaxError(file, alias.Start.Line, alias.Start.Column, $"the alias '*{alias.Value.Value}' names no anchor defined before it"), alias.Start);
                        break;
                    case MappingStart start:
                        Nest(start, new YamlMapping(At(start.Start), TagOf(start)));
                        break;
                    case SequenceStart start:
                        Nest(start, new YamlSequence(At(start.Start), TagOf(start)));
                        break;
                    case MappingEnd or SequenceEnd:
                        Open closed = _open.Pop();
                        Place(closed.Node, closed.Start);
                        break;
                }
            }

            return _documents;
        }

        private void Nest(NodeEvent start, YamlNode node)
        {
            if (_open.Count + 1 > MaxDepth)
            {
                throw new SpecException(file, start.Start.Line, start.Start.Column,
                    $"the YAML nests mappings and lists more than {MaxDepth} deep", "A spec needs a handful of levels; remove the extra nesting.");
            }

            // Registered before its children, as YamlDotNet's own model does: an alias inside the node names the node.
            _open.Push(new Open(Register(start, node), start.Start));
        }

        private YamlNode Register(NodeEvent e, YamlNode node)
        {
            if (!e.Anchor.IsEmpty)
            {
                _anchors[e.Anchor.Value] = node;
            }

            return node;
        }

        /// <summary>Puts a complete node where it belongs: a document's root, a list's item, a mapping's key or value.</summary>
        private void Place(YamlNode node, Mark start)
        {
            if (_open.Count == 0)
            {
                _documents.Add(node);
                return;
            }

            Open parent = _open.Peek();
            switch (parent.Node)
            {
                case YamlSequence seq:
                    seq.Add(node);
                    break;
                case YamlMapping map when parent.PendingKey is null:
                    if (node is YamlScalar key && !parent.ScalarKeys.Add((key.Tag, key.Value)))
                    {
                        throw SyntaxError(file, start.Line, start.Column, $"Duplicate key {key.Value}");
                    }

                    parent.PendingKey = node;
                    break;
                case YamlMapping map:
                    map.Add(parent.PendingKey, node);
                    parent.PendingKey = null;
                    break;
            }
        }

        private SourceLocation At(Mark mark) => new(file, mark.Line, mark.Column);

        private static string? TagOf(NodeEvent e) => e.Tag.IsEmpty || e.Tag.IsNonSpecific ? null : e.Tag.Value;

        private static YamlScalarStyle StyleOf(ScalarStyle style) => style switch
        {
            ScalarStyle.SingleQuoted => YamlScalarStyle.SingleQuoted,
            ScalarStyle.DoubleQuoted => YamlScalarStyle.DoubleQuoted,
            ScalarStyle.Literal => YamlScalarStyle.Literal,
            ScalarStyle.Folded => YamlScalarStyle.Folded,
            _ => YamlScalarStyle.Plain,
        };

        private sealed class Open(YamlNode node, Mark start)
        {
            public YamlNode Node { get; } = node;

            public Mark Start { get; } = start;

            public YamlNode? PendingKey { get; set; }

            /// <summary>The mapping's scalar keys so far (tag and text: <c>a</c> and <c>'a'</c> are one key), to refuse a repeated one.</summary>
            public HashSet<(string? Tag, string Value)> ScalarKeys => _scalarKeys ??= [];

            private HashSet<(string? Tag, string Value)>? _scalarKeys;
        }
    }
}
