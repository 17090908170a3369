using System.Globalization;
using System.Text;

namespace SparkTfrecord.Spec.Tests;

/// <summary>Writes random valid specs in varied YAML styles, to compare the C# and Python loaders.</summary>
internal sealed class RandomSpecs(int seed)
{
    private static readonly string[] s_roles = ["user", "context", "item", "history", "key", "other"];
    private static readonly string[] s_words = ["a", "b", "huawei p40pro max", "未知", "男", "0", "1", "yes", "no", "on", "017", "1:30", "1e5", "~", "null", "tab\there", "quote\"d", "back\\slash", "new\nline", "é", "😀", "", " lead", "trail ", "#hash", "a: b", "[x]", "{y}", "-", "'single'"];
    private readonly Random _random = new(seed);

    public string Next()
    {
        var sb = new StringBuilder();
        if (_random.Next(3) == 0)
        {
            sb.Append("# random spec\n");
        }

        sb.Append("spec: 1\n");
        if (_random.Next(2) == 0)
        {
            sb.Append($"name: {Quote("m" + _random.Next(1000))}\n");
        }

        sb.Append("features:\n");
        bool floatLabel = _random.Next(4) == 0;
        var names = new List<string> { "label" };
        var crossable = new List<string>();
        int count = _random.Next(1, 12);
        int labelAt = _random.Next(Math.Min(3, count + 1));
        var groups = new Dictionary<string, (string Dtype, bool HasEmbedding)>();
        for (int i = 0; i <= count; i++)
        {
            if (i == labelAt)
            {
                Feature(sb, new List<string> { "name: label", $"dtype: {(floatLabel ? "float" : "int64")}", "role: label" });
                continue;
            }

            string name = $"f{i}_{(char)('a' + _random.Next(26))}";
            names.Add(name);
            Feature(sb, RandomFeature(name, groups, crossable));
        }

        // Every shared group needs a dimension: add a member that declares it.
        foreach ((string group, (string dtype, bool hasEmbedding)) in groups)
        {
            if (!hasEmbedding)
            {
                Feature(sb, new List<string> { $"name: {group}_owner", $"dtype: {dtype}", $"train: {{share: {group}, embedding: {_random.Next(1, 64)}}}" });
            }
        }

        if (crossable.Count >= 2 && _random.Next(2) == 0)
        {
            sb.Append("crosses:\n");
            int crosses = _random.Next(1, 4);
            for (int c = 0; c < crosses; c++)
            {
                var picked = crossable.OrderBy(_ => _random.Next()).Take(_random.Next(2, Math.Min(4, crossable.Count) + 1)).ToList();
                string name = c == 0 ? "" : $", name: cross{c}";
                sb.Append($"  - {{features: [{string.Join(", ", picked)}], hash_buckets: {_random.Next(1, 1_000_000)}{name}}}\n");
            }
        }

        if (_random.Next(3) == 0)
        {
            sb.Append("job:\n  sources: {a: {path: \"{input}/x\", format: parquet}}\n  weird: [yes, no, 017, 1:30, ~]\n  out: &o {shards: 16}\n  again: *o\n");
        }

        return sb.ToString();
    }

    private List<string> RandomFeature(string name, Dictionary<string, (string Dtype, bool HasEmbedding)> groups, List<string> crossable)
    {
        string dtype = new[] { "int64", "float", "string", "bytes" }[_random.Next(4)];
        var parts = new List<string> { $"name: {name}", $"dtype: {(_random.Next(5) == 0 ? $"\"{dtype}\"" : dtype)}" };
        int shapeKind = _random.Next(10);
        int? length = shapeKind < 6 ? 1 : shapeKind < 8 ? _random.Next(1, 5) : null;
        bool sequence = shapeKind == 9 && _random.Next(3) == 0;
        if (shapeKind is >= 6 and < 8)
        {
            parts.Add($"shape: {length}");
        }
        else if (shapeKind >= 8)
        {
            parts.Add(sequence ? "shape: seq" : "shape: var");
        }
        else if (_random.Next(4) == 0)
        {
            parts.Add("shape: scalar");
        }

        // A domain, and values drawn from it.
        List<string>? vocabulary = null;
        (long Lo, long Hi)? intRange = null;
        (string Lo, string Hi)? floatRange = null;
        if (_random.Next(3) == 0)
        {
            switch (dtype)
            {
                case "string" or "bytes":
                    vocabulary = s_words.OrderBy(_ => _random.Next()).Take(_random.Next(1, 6)).ToList();
                    parts.Add($"domain: [{string.Join(", ", vocabulary.Select(Quote))}]");
                    break;
                case "int64":
                    long lo = _random.NextInt64(-1000, 1000);
                    intRange = (lo, lo + _random.Next(0, 1000));
                    parts.Add($"domain: {{min: {intRange.Value.Lo}, max: {intRange.Value.Hi}}}");
                    break;
                default:
                    double flo = RandomDouble();
                    floatRange = (FloatText(flo), FloatText(flo + Math.Abs(flo) + 1.0));
                    parts.Add($"domain: {{min: {floatRange.Value.Lo}, max: {floatRange.Value.Hi}}}");
                    break;
            }
        }

        string Value() => dtype switch
        {
            "int64" => intRange is { } r ? _random.NextInt64(r.Lo, r.Hi + 1).ToString(CultureInfo.InvariantCulture) : RandomLong().ToString(CultureInfo.InvariantCulture),
            "float" => floatRange is { } f ? (_random.Next(2) == 0 ? f.Lo : f.Hi) : FloatText(RandomDouble()),
            _ => Quote(vocabulary is { } v ? v[_random.Next(v.Count)] : s_words[_random.Next(s_words.Length)]),
        };

        bool fixedShape = shapeKind < 8;
        bool required = _random.Next(3) != 0 || !fixedShape;
        if (!required || _random.Next(4) == 0)
        {
            if (!required)
            {
                parts.Add("required: false");
            }
            else if (!fixedShape)
            {
                parts.Add("required: true");
            }
        }

        if (fixedShape && (!required || _random.Next(3) == 0))
        {
            parts.Add(length > 1 && _random.Next(2) == 0
                ? $"default: [{string.Join(", ", Enumerable.Range(0, length!.Value).Select(_ => Value()))}]"
                : $"default: {Value()}");
        }

        if (_random.Next(3) == 0)
        {
            parts.Add($"padding: {(dtype is "string" or "bytes" ? Quote(s_words[_random.Next(s_words.Length)]) : Value())}");
        }

        // A sequence is a history (issue 14); the random draws stay those of every other feature.
        bool withRole = _random.Next(2) == 0;
        string? role = withRole ? s_roles[_random.Next(s_roles.Length)] : null;
        if (sequence || role is not null)
        {
            parts.Add($"role: {(sequence ? "history" : role)}");
        }

        var train = new List<string>();
        if (dtype != "float" && _random.Next(3) == 0)
        {
            if (_random.Next(3) == 0)
            {
                string group = dtype == "int64" ? "ints" : "strs";
                bool embedding = _random.Next(2) == 0;
                train.Add($"share: {group}");
                if (embedding)
                {
                    train.Add("embedding: 8");
                }

                groups[group] = (dtype == "int64" ? "int64" : "string", groups.TryGetValue(group, out var g) && g.HasEmbedding || embedding);
            }
            else
            {
                train.Add($"hash_buckets: {_random.Next(1, 100000)}");
                if (_random.Next(2) == 0)
                {
                    train.Add($"embedding: {_random.Next(1, 128)}");
                }
            }
        }

        bool boundaries = false;
        if (dtype is "int64" or "float" && _random.Next(3) == 0)
        {
            var values = new SortedSet<double>();
            while (values.Count < _random.Next(1, 6))
            {
                values.Add(dtype == "int64" ? _random.Next(-100, 100) : Math.Round(RandomDouble(), 3));
            }

            train.Add($"boundaries: [{string.Join(", ", values.Select(v => dtype == "int64" ? ((long)v).ToString(CultureInfo.InvariantCulture) : FloatText(v)))}]");
            boundaries = true;
        }

        if (_random.Next(4) == 0)
        {
            train.Add($"wide: {(_random.Next(2) == 0 ? "true" : "false")}");
        }

        if (train.Count > 0)
        {
            parts.Add($"train: {{{string.Join(", ", train)}}}");
        }

        if (!sequence && (dtype != "float" || boundaries) && !train.Any(t => t.StartsWith("share", StringComparison.Ordinal)))
        {
            crossable.Add(name);
        }

        return parts;
    }

    private void Feature(StringBuilder sb, List<string> parts)
    {
        if (_random.Next(2) == 0)
        {
            sb.Append($"  - {{{string.Join(", ", parts)}}}\n");
            return;
        }

        // Block style: nested flow values stay as they are.
        sb.Append($"  - {parts[0]}\n");
        foreach (string part in parts.Skip(1))
        {
            sb.Append($"    {part}\n");
        }
    }

    private string Quote(string s)
    {
        if (_random.Next(2) == 0 && !s.Contains('\n') && !s.Contains('\t'))
        {
            return "'" + s.Replace("'", "''") + "'";
        }

        var sb = new StringBuilder("\"");
        foreach (char c in s)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => _random.Next(2) == 0 ? "\\t" : "\\u0009",
                'é' when _random.Next(2) == 0 => "\\u00e9",
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }

    private long RandomLong() => _random.Next(4) switch
    {
        0 => _random.NextInt64(long.MinValue, long.MaxValue),
        1 => 0,
        _ => _random.NextInt64(-1000, 1000),
    };

    private double RandomDouble()
    {
        double mantissa = (_random.NextDouble() * 2) - 1;
        return mantissa * Math.Pow(10, _random.Next(-20, 30));
    }

    /// <summary>A float in the one form both YAML versions read alike: digits, a point, digits, a signed exponent.</summary>
    private string FloatText(double value)
    {
        string r = value.ToString("E16", CultureInfo.InvariantCulture); // d.dddddddddddddddde+ddd
        if (_random.Next(2) == 0 && Math.Abs(value) is > 1e-3 and < 1e6)
        {
            return value.ToString("0.0###############", CultureInfo.InvariantCulture);
        }

        string mantissa = r[..r.IndexOf('E', StringComparison.Ordinal)];
        int exponent = int.Parse(r[(r.IndexOf('E', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture);
        return $"{mantissa}e{(exponent < 0 ? "-" : "+")}{Math.Abs(exponent)}";
    }
}
