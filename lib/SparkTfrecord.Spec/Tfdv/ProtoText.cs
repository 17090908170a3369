using System.Collections;
using System.Globalization;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace SparkTfrecord.Spec.Tfdv;

/// <summary>
/// A general reader and writer of the protobuf text format (what <c>protoc --encode</c> reads and TFDV's
/// <c>schema.pbtxt</c> is written in), driven by any message's descriptor: comments, <c>name: value</c> and
/// <c>name { ... }</c> / <c>name &lt; ... &gt;</c>, list values <c>[a, b]</c>, optional separators, string
/// concatenation and escapes, enum names or numbers, integer bases, <c>inf</c> and <c>nan</c>. Extensions and
/// <c>Any</c> expansions are refused.
/// </summary>
public static class ProtoText
{
    /// <summary>Parses text into a new message of type <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The message type.</typeparam>
    /// <param name="text">The text.</param>
    /// <param name="file">The name used in messages.</param>
    /// <returns>The message.</returns>
    /// <exception cref="FormatException">The text is not valid for the message; the message names line and column.</exception>
    public static T Parse<T>(string text, string file = "<text>")
        where T : IMessage<T>, new()
    {
        ArgumentNullException.ThrowIfNull(text);
        var message = new T();
        var parser = new Parser(new Tokenizer(text, file));
        parser.ParseFields(message, end: null);
        return message;
    }

    /// <summary>Writes a message in the text format, fields in field-number order, two spaces of indentation.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The text, one field per line.</returns>
    public static string Format(IMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var sb = new StringBuilder();
        WriteFields(sb, message, 0);
        return sb.ToString();
    }

    private static void WriteFields(StringBuilder sb, IMessage message, int depth)
    {
        foreach (FieldDescriptor field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            object value = field.Accessor.GetValue(message);
            if (field.IsRepeated)
            {
                foreach (object item in (IList)value)
                {
                    WriteField(sb, field, item, depth);
                }
            }
            else if (field.Accessor.HasValue(message))
            {
                WriteField(sb, field, value, depth);
            }
        }
    }

    private static void WriteField(StringBuilder sb, FieldDescriptor field, object value, int depth)
    {
        sb.Append(' ', depth * 2).Append(field.Name);
        if (field.FieldType == FieldType.Message)
        {
            sb.Append(" {\n");
            WriteFields(sb, (IMessage)value, depth + 1);
            sb.Append(' ', depth * 2).Append("}\n");
            return;
        }

        sb.Append(": ").Append(FormatScalar(field, value)).Append('\n');
    }

    private static string FormatScalar(FieldDescriptor field, object value) => field.FieldType switch
    {
        FieldType.String => Quote(Encoding.UTF8.GetBytes((string)value)),
        FieldType.Bytes => Quote(((ByteString)value).ToByteArray()),
        FieldType.Bool => (bool)value ? "true" : "false",
        FieldType.Enum => field.EnumType.FindValueByNumber(Convert.ToInt32(value, CultureInfo.InvariantCulture))?.Name
            ?? Convert.ToInt32(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        FieldType.Double => FormatDouble((double)value),
        FieldType.Float => float.IsFinite((float)value) ? ((float)value).ToString("R", CultureInfo.InvariantCulture) : FormatDouble((float)value),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };

    private static string FormatDouble(double value) =>
        double.IsNaN(value) ? "nan" : double.IsPositiveInfinity(value) ? "inf" : double.IsNegativeInfinity(value) ? "-inf"
        : Json.PythonFloat.Repr(value);

    /// <summary>Quotes bytes as protobuf text does: UTF-8 text kept, control bytes and quotes escaped.</summary>
    private static string Quote(byte[] bytes)
    {
        var sb = new StringBuilder("\"");
        string text = Encoding.UTF8.GetString(bytes);
        bool valid = Encoding.UTF8.GetByteCount(text) == bytes.Length && !text.Contains('\uFFFD', StringComparison.Ordinal);
        if (valid)
        {
            foreach (char c in text)
            {
                switch (c)
                {
                    case '"': sb.Append("\\\""); break;
                    case '\\': sb.Append("\\\\"); break;
                    case '\n': sb.Append("\\n"); break;
                    case '\r': sb.Append("\\r"); break;
                    case '\t': sb.Append("\\t"); break;
                    default:
                        if (c < 0x20 || c == 0x7f)
                        {
                            sb.Append('\\').Append(Convert.ToString(c, 8).PadLeft(3, '0'));
                        }
                        else
                        {
                            sb.Append(c);
                        }

                        break;
                }
            }
        }
        else
        {
            foreach (byte b in bytes)
            {
                if (b is >= 0x20 and < 0x7f and not (byte)'"' and not (byte)'\\')
                {
                    sb.Append((char)b);
                }
                else
                {
                    sb.Append('\\').Append(Convert.ToString(b, 8).PadLeft(3, '0'));
                }
            }
        }

        return sb.Append('"').ToString();
    }

    private enum TokenKind
    {
        End,
        Identifier,
        Number,
        String,
        Symbol,
    }

    private readonly record struct Token(TokenKind Kind, string Text, byte[]? Bytes, int Line, int Column);

    private sealed class Tokenizer
    {
        private readonly string _text;
        private int _pos;
        private int _line = 1;
        private int _lineStart;

        public Tokenizer(string text, string file)
        {
            _text = text;
            File = file;
            Current = Next();
        }

        public string File { get; }

        public Token Current { get; private set; }

        public void Advance() => Current = Next();

        public FormatException Error(Token at, string problem) =>
            new($"{File}:{at.Line}:{at.Column}: {problem}.");

        private Token Next()
        {
            SkipSpaceAndComments();
            int line = _line;
            int column = _pos - _lineStart + 1;
            if (_pos >= _text.Length)
            {
                return new Token(TokenKind.End, "", null, line, column);
            }

            char c = _text[_pos];
            if (char.IsAsciiLetter(c) || c == '_')
            {
                int start = _pos;
                while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] == '_'))
                {
                    _pos++;
                }

                return new Token(TokenKind.Identifier, _text[start.._pos], null, line, column);
            }

            if (char.IsAsciiDigit(c) || (c == '.' && _pos + 1 < _text.Length && char.IsAsciiDigit(_text[_pos + 1])))
            {
                int start = _pos;
                while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] == '.'
                    || ((_text[_pos] == '-' || _text[_pos] == '+') && (_text[_pos - 1] == 'e' || _text[_pos - 1] == 'E') && !_text[start.._pos].StartsWith("0x", StringComparison.OrdinalIgnoreCase))))
                {
                    _pos++;
                }

                return new Token(TokenKind.Number, _text[start.._pos], null, line, column);
            }

            if (c is '"' or '\'')
            {
                return new Token(TokenKind.String, "", ReadString(line, column), line, column);
            }

            _pos++;
            return new Token(TokenKind.Symbol, c.ToString(), null, line, column);
        }

        private void SkipSpaceAndComments()
        {
            while (_pos < _text.Length)
            {
                char c = _text[_pos];
                if (c == '\n')
                {
                    _pos++;
                    _line++;
                    _lineStart = _pos;
                }
                else if (char.IsWhiteSpace(c))
                {
                    _pos++;
                }
                else if (c == '#')
                {
                    while (_pos < _text.Length && _text[_pos] != '\n')
                    {
                        _pos++;
                    }
                }
                else
                {
                    return;
                }
            }
        }

        private byte[] ReadString(int line, int column)
        {
            char quote = _text[_pos++];
            var bytes = new List<byte>();
            Span<byte> utf8 = stackalloc byte[4];
            while (true)
            {
                if (_pos >= _text.Length || _text[_pos] == '\n')
                {
                    throw Error(new Token(TokenKind.String, "", null, line, column), "a string is not closed on its line");
                }

                char c = _text[_pos++];
                if (c == quote)
                {
                    return [.. bytes];
                }

                if (c != '\\')
                {
                    if (char.IsHighSurrogate(c) && _pos < _text.Length)
                    {
                        int n = Encoding.UTF8.GetBytes([c, _text[_pos++]], utf8);
                        bytes.AddRange(utf8[..n].ToArray());
                    }
                    else
                    {
                        int n = Encoding.UTF8.GetBytes([c], utf8);
                        bytes.AddRange(utf8[..n].ToArray());
                    }

                    continue;
                }

                if (_pos >= _text.Length)
                {
                    throw Error(new Token(TokenKind.String, "", null, line, column), "a string ends in a backslash");
                }

                char e = _text[_pos++];
                switch (e)
                {
                    case 'n': bytes.Add((byte)'\n'); break;
                    case 't': bytes.Add((byte)'\t'); break;
                    case 'r': bytes.Add((byte)'\r'); break;
                    case 'a': bytes.Add(7); break;
                    case 'b': bytes.Add(8); break;
                    case 'f': bytes.Add(12); break;
                    case 'v': bytes.Add(11); break;
                    case '\\': bytes.Add((byte)'\\'); break;
                    case '\'': bytes.Add((byte)'\''); break;
                    case '"': bytes.Add((byte)'"'); break;
                    case '?': bytes.Add((byte)'?'); break;
                    case 'x' or 'X':
                        {
                            int start = _pos;
                            while (_pos < _text.Length && _pos - start < 2 && char.IsAsciiHexDigit(_text[_pos]))
                            {
                                _pos++;
                            }

                            if (_pos == start)
                            {
                                throw Error(new Token(TokenKind.String, "", null, _line, _pos - _lineStart), "'\\x' is not followed by hex digits");
                            }

                            bytes.Add(byte.Parse(_text.AsSpan(start, _pos - start), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                            break;
                        }

                    case 'u' or 'U':
                        {
                            int digits = e == 'u' ? 4 : 8;
                            if (_pos + digits > _text.Length || !int.TryParse(_text.AsSpan(_pos, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int code) || code > 0x10FFFF)
                            {
                                throw Error(new Token(TokenKind.String, "", null, _line, _pos - _lineStart), $"'\\{e}' needs {digits} hex digits of a code point");
                            }

                            _pos += digits;
                            bytes.AddRange(Encoding.UTF8.GetBytes(char.ConvertFromUtf32(code)));
                            break;
                        }

                    default:
                        if (e is >= '0' and <= '7')
                        {
                            int value = e - '0';
                            for (int i = 0; i < 2 && _pos < _text.Length && _text[_pos] is >= '0' and <= '7'; i++)
                            {
                                value = (value * 8) + (_text[_pos++] - '0');
                            }

                            bytes.Add((byte)value);
                            break;
                        }

                        throw Error(new Token(TokenKind.String, "", null, _line, _pos - _lineStart), $"unknown escape '\\{e}'");
                }
            }
        }
    }

    private sealed class Parser(Tokenizer tokens)
    {
        private const int MaxDepth = 100;
        private int _depth;

        public void ParseFields(IMessage message, string? end)
        {
            var seen = new HashSet<int>();
            while (true)
            {
                Token t = tokens.Current;
                if (end is null ? t.Kind == TokenKind.End : t.Kind == TokenKind.Symbol && t.Text == end)
                {
                    if (end is not null)
                    {
                        tokens.Advance();
                    }

                    return;
                }

                if (t.Kind == TokenKind.End)
                {
                    throw tokens.Error(t, $"the text ends before '{end}'");
                }

                if (t.Kind == TokenKind.Symbol && t.Text == "[")
                {
                    throw tokens.Error(t, "extensions and Any expansions ([...]) are not supported");
                }

                if (t.Kind != TokenKind.Identifier)
                {
                    throw tokens.Error(t, $"expected a field name, found {Describe(t)}");
                }

                FieldDescriptor? field = message.Descriptor.FindFieldByName(t.Text);
                if (field is null)
                {
                    throw tokens.Error(t, $"message {message.Descriptor.Name} has no field named '{t.Text}' (SparkTfrecord reads a subset of TFDV's schema.proto: see lib/SparkTfrecord.Spec/Tfdv/Proto)");
                }

                tokens.Advance();
                if (!field.IsRepeated)
                {
                    if (!seen.Add(field.FieldNumber))
                    {
                        throw tokens.Error(t, $"non-repeated field '{field.Name}' is specified more than once");
                    }

                    if (field.RealContainingOneof is { } oneof && oneof.Accessor.GetCaseFieldDescriptor(message) is { } other && other.FieldNumber != field.FieldNumber)
                    {
                        throw tokens.Error(t, $"field '{field.Name}' is specified along with field '{other.Name}', another member of oneof '{oneof.Name}'");
                    }
                }

                bool colon = IsSymbol(":");
                if (colon)
                {
                    tokens.Advance();
                }

                if (IsSymbol("[") && field.IsRepeated)
                {
                    tokens.Advance();
                    if (IsSymbol("]"))
                    {
                        tokens.Advance();
                    }
                    else
                    {
                        while (true)
                        {
                            ParseValue(message, field, colon);
                            if (IsSymbol(","))
                            {
                                tokens.Advance();
                                continue;
                            }

                            Expect("]");
                            break;
                        }
                    }
                }
                else
                {
                    ParseValue(message, field, colon);
                }

                if (IsSymbol(",") || IsSymbol(";"))
                {
                    tokens.Advance();
                }
            }
        }

        private void ParseValue(IMessage message, FieldDescriptor field, bool colon)
        {
            if (field.FieldType == FieldType.Message)
            {
                Token open = tokens.Current;
                string close = IsSymbol("{") ? "}" : IsSymbol("<") ? ">" : throw tokens.Error(open, $"expected '{{' or '<' to open message field '{field.Name}', found {Describe(open)}");
                tokens.Advance();
                if (++_depth > MaxDepth)
                {
                    throw tokens.Error(open, "messages are nested too deeply");
                }

                IMessage child = field.MessageType.Parser.ParseFrom(ByteString.Empty);
                ParseFields(child, close);
                _depth--;
                Store(message, field, child);
                return;
            }

            if (!colon)
            {
                throw tokens.Error(tokens.Current, $"expected ':' after field '{field.Name}'");
            }

            Store(message, field, ParseScalar(field));
        }

        private static void Store(IMessage message, FieldDescriptor field, object value)
        {
            if (field.IsRepeated)
            {
                ((IList)field.Accessor.GetValue(message)).Add(value);
            }
            else
            {
                field.Accessor.SetValue(message, value);
            }
        }

        private object ParseScalar(FieldDescriptor field)
        {
            Token t = tokens.Current;
            switch (field.FieldType)
            {
                case FieldType.String:
                case FieldType.Bytes:
                    {
                        if (t.Kind != TokenKind.String)
                        {
                            throw tokens.Error(t, $"field '{field.Name}' takes a quoted string, not {Describe(t)}");
                        }

                        var all = new List<byte>();
                        while (tokens.Current.Kind == TokenKind.String)
                        {
                            all.AddRange(tokens.Current.Bytes!);
                            tokens.Advance();
                        }

                        if (field.FieldType == FieldType.Bytes)
                        {
                            return ByteString.CopyFrom([.. all]);
                        }

                        try
                        {
                            return new UTF8Encoding(false, true).GetString([.. all]);
                        }
                        catch (DecoderFallbackException)
                        {
                            throw tokens.Error(t, $"string field '{field.Name}' holds invalid UTF-8");
                        }
                    }

                case FieldType.Bool:
                    tokens.Advance();
                    return t.Text switch
                    {
                        "true" or "True" or "t" or "1" => true,
                        "false" or "False" or "f" or "0" => false,
                        _ => throw tokens.Error(t, $"field '{field.Name}' takes true or false, not {Describe(t)}"),
                    };
                case FieldType.Enum:
                    {
                        tokens.Advance();
                        if (t.Kind == TokenKind.Identifier)
                        {
                            return field.EnumType.FindValueByName(t.Text)?.Number
                                ?? throw tokens.Error(t, $"enum {field.EnumType.Name} of field '{field.Name}' has no value named '{t.Text}'");
                        }

                        bool negative = false;
                        if (t.Kind == TokenKind.Symbol && t.Text == "-")
                        {
                            negative = true;
                            t = tokens.Current;
                            tokens.Advance();
                        }

                        if (t.Kind == TokenKind.Number && TryParseInteger(t.Text, negative, out ulong magnitude, out bool isNegative) && magnitude <= int.MaxValue)
                        {
                            int number = isNegative ? -(int)magnitude : (int)magnitude;
                            return field.EnumType.FindValueByNumber(number) is not null
                                ? number
                                : throw tokens.Error(t, $"enum {field.EnumType.Name} of field '{field.Name}' has no value {number}");
                        }

                        throw tokens.Error(t, $"field '{field.Name}' takes an enum value name, not {Describe(t)}");
                    }

                case FieldType.Double:
                case FieldType.Float:
                    {
                        double value = ParseFloat(field);
                        return field.FieldType == FieldType.Float ? (object)(float)value : value;
                    }

                default:
                    return ParseInteger(field);
            }
        }

        private double ParseFloat(FieldDescriptor field)
        {
            Token t = tokens.Current;
            bool negative = false;
            if (t.Kind == TokenKind.Symbol && t.Text == "-")
            {
                negative = true;
                tokens.Advance();
                t = tokens.Current;
            }

            tokens.Advance();
            double value;
            if (t.Kind == TokenKind.Identifier)
            {
                value = t.Text.ToLowerInvariant() switch
                {
                    "inf" or "infinity" => double.PositiveInfinity,
                    "nan" => double.NaN,
                    _ => throw tokens.Error(t, $"field '{field.Name}' takes a number, not {Describe(t)}"),
                };
            }
            else if (t.Kind == TokenKind.Number)
            {
                string text = t.Text;
                if (TryParseInteger(text, false, out ulong integer, out _) && !text.Contains('.', StringComparison.Ordinal))
                {
                    value = integer;
                }
                else
                {
                    if (text.EndsWith('f') || text.EndsWith('F'))
                    {
                        text = text[..^1];
                    }

                    if (!double.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value))
                    {
                        throw tokens.Error(t, $"'{t.Text}' is not a number");
                    }
                }
            }
            else
            {
                throw tokens.Error(t, $"field '{field.Name}' takes a number, not {Describe(t)}");
            }

            return negative ? -value : value;
        }

        private object ParseInteger(FieldDescriptor field)
        {
            Token t = tokens.Current;
            bool negative = false;
            if (t.Kind == TokenKind.Symbol && t.Text == "-")
            {
                negative = true;
                tokens.Advance();
                t = tokens.Current;
            }

            tokens.Advance();
            if (t.Kind != TokenKind.Number || !TryParseInteger(t.Text, negative, out ulong magnitude, out bool isNegative))
            {
                throw tokens.Error(t, $"field '{field.Name}' takes an integer, not {Describe(t)}");
            }

            bool signed = field.FieldType is FieldType.Int32 or FieldType.Int64 or FieldType.SInt32 or FieldType.SInt64 or FieldType.SFixed32 or FieldType.SFixed64;
            bool wide = field.FieldType is FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 or FieldType.UInt64 or FieldType.Fixed64;
            if (isNegative && !signed)
            {
                throw tokens.Error(t, $"field '{field.Name}' is unsigned and cannot be negative");
            }

            ulong limit = (signed, wide) switch
            {
                (true, true) => isNegative ? 1UL << 63 : long.MaxValue,
                (true, false) => isNegative ? 1UL << 31 : int.MaxValue,
                (false, true) => ulong.MaxValue,
                _ => uint.MaxValue,
            };
            if (magnitude > limit)
            {
                throw tokens.Error(t, $"{(isNegative ? "-" : "")}{t.Text} is out of range for field '{field.Name}'");
            }

            return field.FieldType switch
            {
                FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => isNegative ? (long)(0 - magnitude) : (long)magnitude,
                FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => isNegative ? (int)(0 - (long)magnitude) : (int)magnitude,
                FieldType.UInt64 or FieldType.Fixed64 => magnitude,
                _ => (uint)magnitude,
            };
        }

        /// <summary>Decimal, 0x hex or 0-prefixed octal, as protobuf text allows.</summary>
        private static bool TryParseInteger(string text, bool negative, out ulong magnitude, out bool isNegative)
        {
            isNegative = negative;
            magnitude = 0;
            if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            {
                return text.Length > 2 && ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out magnitude);
            }

            if (text.Length > 1 && text[0] == '0')
            {
                foreach (char c in text.AsSpan(1))
                {
                    if (c is < '0' or > '7' || magnitude > (ulong.MaxValue >> 3))
                    {
                        return false;
                    }

                    magnitude = (magnitude << 3) | (uint)(c - '0');
                }

                return true;
            }

            return text.All(char.IsAsciiDigit) && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out magnitude);
        }

        private bool IsSymbol(string symbol) => tokens.Current.Kind == TokenKind.Symbol && tokens.Current.Text == symbol;

        private void Expect(string symbol)
        {
            if (!IsSymbol(symbol))
            {
                throw tokens.Error(tokens.Current, $"expected '{symbol}', found {Describe(tokens.Current)}");
            }

            tokens.Advance();
        }

        private static string Describe(Token t) => t.Kind switch
        {
            TokenKind.End => "the end of the text",
            TokenKind.String => "a string",
            _ => $"'{t.Text}'",
        };
    }
}
