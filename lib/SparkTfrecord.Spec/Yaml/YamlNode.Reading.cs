namespace SparkTfrecord.Spec.Yaml;

/// <summary>The spec's strict reading of a node as a given type; each refusal names the node's place and the fix.</summary>
internal abstract partial class YamlNode
{
    /// <summary>The node as the messages describe it: "a mapping", "a list", "empty (null)" or the scalar's text.</summary>
    public string Describe() => this switch
    {
        YamlMapping => "a mapping",
        YamlSequence => "a list",
        YamlScalar { IsPlain: true } s when PlainScalars.IsNull(s.Value) => "empty (null)",
        YamlScalar s => $"'{s.Value}'",
        _ => "an unknown node",
    };

    /// <summary>True for a plain scalar YAML reads as null (empty, <c>~</c>, <c>null</c>).</summary>
    public bool IsNull => this is YamlScalar { IsPlain: true } s && PlainScalars.IsNull(s.Value);

    /// <summary>Refuses an explicit tag (<c>!!int</c>, <c>!python/object</c>): the reader decides every type.</summary>
    /// <exception cref="SpecException">The node has a tag.</exception>
    public void CheckTag()
    {
        if (Tag is not null)
        {
            throw Fail($"the tag '{Tag}' is not allowed", "Remove the tag: the spec decides each value's type, and quotes make a string.");
        }
    }

    /// <summary>
    /// Refuses an explicit tag on this node or any node under it (keys included), the first in the file's order. Walks
    /// the tree once, without recursion, visiting a node reached through several aliases once.
    /// </summary>
    /// <exception cref="SpecException">A node has a tag.</exception>
    public void RefuseTags()
    {
        var seen = new HashSet<YamlNode>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<YamlNode>();
        stack.Push(this);
        while (stack.Count > 0)
        {
            YamlNode node = stack.Pop();
            if (!seen.Add(node))
            {
                continue;
            }

            node.CheckTag();
            switch (node)
            {
                case YamlMapping map:
                    for (int i = map.Entries.Count - 1; i >= 0; i--)
                    {
                        stack.Push(map.Entries[i].Value);
                        stack.Push(map.Entries[i].Key);
                    }

                    break;
                case YamlSequence seq:
                    for (int i = seq.Items.Count - 1; i >= 0; i--)
                    {
                        stack.Push(seq.Items[i]);
                    }

                    break;
            }
        }
    }

    /// <summary>The node as a mapping.</summary>
    /// <param name="what">What the node is, for the message ("feature 3").</param>
    /// <param name="hint">How to write it.</param>
    /// <exception cref="SpecException">The node has a tag or is not a mapping.</exception>
    public YamlMapping AsMapping(string what, string hint)
    {
        CheckTag();
        return this as YamlMapping ?? throw Fail($"{what} is {Describe()}, not a mapping", hint);
    }

    /// <summary>The node as a list.</summary>
    /// <param name="what">What the node is, for the message.</param>
    /// <param name="hint">How to write it.</param>
    /// <exception cref="SpecException">The node has a tag or is not a list.</exception>
    public YamlSequence AsSequence(string what, string hint)
    {
        CheckTag();
        return this as YamlSequence ?? throw Fail($"{what} is {Describe()}, not a list", hint);
    }

    /// <summary>The node as a scalar.</summary>
    /// <param name="what">What the node is, for the message.</param>
    /// <param name="expected">What is expected, for the message ("a string", "true or false").</param>
    /// <exception cref="SpecException">The node has a tag or is not a scalar.</exception>
    public YamlScalar AsScalar(string what, string expected)
    {
        CheckTag();
        return this as YamlScalar ?? throw Fail($"{what} is {Describe()}, not {expected}", $"Write {expected} here.");
    }

    /// <summary>A string: quoted, or plain when every YAML reader reads the word as a string (not <c>no</c>, <c>017</c>, <c>~</c>).</summary>
    /// <param name="what">What the node is, for the message.</param>
    /// <exception cref="SpecException">The node is not a string every reader reads alike.</exception>
    public string ReadString(string what)
    {
        YamlScalar s = AsScalar(what, "a string");
        if (s.IsPlain && PlainScalars.WhyNotAString(s.Value) is { } why)
        {
            throw Fail($"{what}: {why}", $"Quote it: \"{s.Value}\".");
        }

        return s.Value;
    }

    /// <summary>One of a few words, plain or quoted; a near miss is answered with "did you mean".</summary>
    /// <param name="options">The words.</param>
    /// <param name="what">What the node is, for the message.</param>
    /// <param name="described">The options as the message lists them (default: each quoted).</param>
    /// <returns>The index of the word in <paramref name="options"/>.</returns>
    /// <exception cref="SpecException">The node is not one of the words.</exception>
    public int ReadChoice(IReadOnlyList<string> options, string what, string? described = null)
    {
        described ??= string.Join(", ", options.Select(o => $"'{o}'"));
        YamlScalar s = AsScalar(what, "a word");
        int index = options.Count - 1;
        while (index >= 0 && options[index] != s.Value)
        {
            index--;
        }

        if (index < 0 || s.Style is not (YamlScalarStyle.Plain or YamlScalarStyle.SingleQuoted or YamlScalarStyle.DoubleQuoted))
        {
            throw Fail($"{what} is '{s.Value}'", Suggestions.DidYouMean(s.Value, options, $"Use one of {described}."));
        }

        return index;
    }

    /// <summary>A 64-bit integer written as plain decimal digits (no quotes, '+', '_', leading zero, point or exponent).</summary>
    /// <param name="what">What the node is, for the message.</param>
    /// <exception cref="SpecException">The node is not such an integer.</exception>
    public long ReadInteger(string what)
    {
        YamlScalar s = AsScalar(what, "an integer");
        if (!s.IsPlain)
        {
            throw Fail($"{what} is the quoted string \"{s.Value}\", not an integer", "Write the number without quotes.");
        }

        if (!PlainScalars.IsInteger(s.Value))
        {
            throw Fail($"{what} is not an integer: {PlainScalars.WhyNotAnInteger(s.Value)}", "For example 16 or -1.");
        }

        if (!PlainScalars.TryParseInteger(s.Value, out long result))
        {
            throw Fail($"{what} {s.Value} does not fit in 64 bits", "int64 values are from -9223372036854775808 to 9223372036854775807.");
        }

        return result;
    }

    /// <summary>
    /// A number in a form YAML 1.1 and 1.2 read alike: an integer, or digits on both sides of the point with a signed
    /// exponent if any (not <c>.5</c>, <c>5.</c>, <c>1e5</c>, <c>.inf</c>, <c>1_000.0</c>). A value beyond the double
    /// range is returned as an infinity, for the caller's range to refuse.
    /// </summary>
    /// <param name="what">What the node is, for the message.</param>
    /// <exception cref="SpecException">The node is not such a number.</exception>
    public double ReadFloat(string what)
    {
        YamlScalar s = AsScalar(what, "a number");
        if (!s.IsPlain)
        {
            throw Fail($"{what} is the quoted string \"{s.Value}\", not a number", "Write the number without quotes.");
        }

        if (!PlainScalars.IsInteger(s.Value) && !PlainScalars.IsFloat(s.Value))
        {
            throw Fail($"{what} '{s.Value}' is not a number both YAML 1.1 and 1.2 read the same way",
                "Write digits with a point and digits after it, and a signed exponent if any: 0.5, 100.0, 1.0e+5, -2.5e-3 (not 1e5, .5, 5., .inf or 1_000.0).");
        }

        return PlainScalars.ParseFloat(s.Value);
    }

    /// <summary>A boolean: <c>true</c> or <c>false</c>, unquoted (not <c>yes</c>, <c>no</c>, <c>on</c>, <c>off</c>, <c>True</c>).</summary>
    /// <param name="what">What the node is, for the message.</param>
    /// <exception cref="SpecException">The node is not true or false.</exception>
    public bool ReadBool(string what)
    {
        YamlScalar s = AsScalar(what, "true or false");
        if (s.IsPlain && s.Value is "true" or "false")
        {
            return s.Value == "true";
        }

        throw Fail($"{what} is '{s.Value}', not true or false", "Write true or false, unquoted (yes, no, on and off mean different things to YAML 1.1 and 1.2 readers).");
    }

    /// <summary>Whether the node is an integer <see cref="ReadInteger"/> accepts, for a caller with its own message.</summary>
    /// <param name="value">The integer.</param>
    /// <returns>True when it is.</returns>
    public bool TryReadInteger(out long value)
    {
        value = 0;
        return this is YamlScalar { IsPlain: true, Tag: null } s && PlainScalars.IsInteger(s.Value) && PlainScalars.TryParseInteger(s.Value, out value);
    }

    /// <summary>Whether the node is a number <see cref="ReadFloat"/> accepts, for a caller with its own message.</summary>
    /// <param name="value">The number (an infinity beyond the double range).</param>
    /// <returns>True when it is.</returns>
    public bool TryReadFloat(out double value)
    {
        value = 0;
        if (this is YamlScalar { IsPlain: true, Tag: null } s && (PlainScalars.IsInteger(s.Value) || PlainScalars.IsFloat(s.Value)))
        {
            value = PlainScalars.ParseFloat(s.Value);
            return true;
        }

        return false;
    }
}
