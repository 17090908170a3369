using System.Globalization;
using System.Text;

namespace SparkTfrecord.Spec.Json;

/// <summary>A JSON object that keeps its keys in insertion order.</summary>
internal sealed class JsonObject : List<KeyValuePair<string, object?>>
{
    public void Add(string key, object? value) => Add(new KeyValuePair<string, object?>(key, value));
}

/// <summary>
/// Writes JSON values (null, bool, long, int, double, string, <see cref="JsonObject"/>, lists) the way Python's
/// <c>json.dumps(..., ensure_ascii=False)</c> does, so the spec hash is the same in C# and Python: the same escapes,
/// floats as <c>repr(float)</c>, integers as integers.
/// </summary>
internal static class JsonText
{
    /// <summary><c>json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)</c>.</summary>
    public static string Canonical(object? value)
    {
        var sb = new StringBuilder();
        Write(sb, value, sorted: true, indent: -1, depth: 0);
        return sb.ToString();
    }

    /// <summary><c>json.dumps(value, indent=2, ensure_ascii=False)</c> with keys in insertion order.</summary>
    public static string Indented(object? value)
    {
        var sb = new StringBuilder();
        Write(sb, value, sorted: false, indent: 2, depth: 0);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, object? value, bool sorted, int indent, int depth)
    {
        switch (value)
        {
            case null:
                sb.Append("null");
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case int i:
                sb.Append(i.ToString(CultureInfo.InvariantCulture));
                break;
            case long l:
                sb.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                sb.Append(PythonFloat.Repr(d));
                break;
            case string s:
                WriteString(sb, s);
                break;
            case JsonObject obj:
                IEnumerable<KeyValuePair<string, object?>> entries = sorted ? obj.OrderBy(e => e.Key, StringComparer.Ordinal) : obj;
                WriteContainer(sb, '{', '}', entries.ToList(), (e, d) =>
                {
                    WriteString(sb, e.Key);
                    sb.Append(indent >= 0 ? ": " : ":");
                    Write(sb, e.Value, sorted, indent, d);
                }, indent, depth);
                break;
            case System.Collections.IEnumerable list:
                WriteContainer(sb, '[', ']', list.Cast<object?>().ToList(), (e, d) => Write(sb, e, sorted, indent, d), indent, depth);
                break;
            default:
                throw new InvalidOperationException($"No JSON form for {value.GetType()}.");
        }
    }

    private static void WriteContainer<T>(StringBuilder sb, char open, char close, List<T> items, Action<T, int> writeItem, int indent, int depth)
    {
        sb.Append(open);
        if (items.Count == 0)
        {
            sb.Append(close);
            return;
        }

        for (int i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            if (indent >= 0)
            {
                sb.Append('\n').Append(' ', indent * (depth + 1));
            }

            writeItem(items[i], depth + 1);
        }

        if (indent >= 0)
        {
            sb.Append('\n').Append(' ', indent * depth);
        }

        sb.Append(close);
    }

    /// <summary>Python's escapes with <c>ensure_ascii=False</c>: quote, backslash, the short forms and <c>\u00XX</c> below 0x20.</summary>
    internal static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }
}
