using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace SparkTfrecord.Spec.Loading;

/// <summary>
/// YamlDotNet's event parser with a cap on how deeply mappings and lists nest. The parser itself keeps its state on
/// the heap, but the representation model built from its events recurses once per level, so a file nested tens of
/// thousands deep would overflow the stack (a crash no handler can catch). Counting the events first makes that a
/// clear error at the first node too deep.
/// </summary>
internal sealed class DepthLimitedParser(IParser inner, string file) : IParser
{
    private int _depth;

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        if (!inner.MoveNext())
        {
            return false;
        }

        switch (inner.Current)
        {
            case MappingStart or SequenceStart:
                if (++_depth > SpecLoader.MaxDepth)
                {
                    Mark start = inner.Current.Start;
                    throw new SpecException(file, start.Line, start.Column,
                        $"the YAML nests mappings and lists more than {SpecLoader.MaxDepth} deep",
                        "A spec needs a handful of levels; remove the extra nesting.");
                }

                break;
            case MappingEnd or SequenceEnd:
                _depth--;
                break;
        }

        return true;
    }
}
