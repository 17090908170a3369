using Google.Protobuf;
using WireType = Google.Protobuf.WireFormat.WireType;

namespace SparkTfrecord.Tfrecord.Tests.Support;

/// <summary>
/// Random payloads that are valid protobuf but written in ways our encoder never writes them, each field written
/// by Google.Protobuf's <see cref="CodedOutputStream"/>: unpacked and split lists, several <c>features</c> (or
/// <c>context</c> / <c>feature_lists</c>) fields, repeated keys, entries without a key or value or with both twice,
/// lists of the same or another kind repeated inside one Feature, and unknown fields of every wire type (groups
/// included) at every level, also under known field numbers with the wrong wire type.
/// </summary>
internal sealed class WireGenerator(int seed)
{
    private static readonly string[] s_keys = ["", "a", "b", "é", "名前", new string('k', 130)];

    private readonly Random _rng = new(seed);

    public byte[] NextExample() => Message(o =>
    {
        int parts = _rng.Next(5);
        for (int i = 0; i < parts; i++)
        {
            if (_rng.Next(3) > 0)
            {
                Field(o, 1, NextFeaturesBody());
            }
            else
            {
                Noise(o, minField: 2, wrongTypeFor: [1]);
            }
        }
    });

    public byte[] NextSequenceExample() => Message(o =>
    {
        int parts = _rng.Next(6);
        for (int i = 0; i < parts; i++)
        {
            switch (_rng.Next(5))
            {
                case 0 or 1:
                    Field(o, 1, NextFeaturesBody());
                    break;
                case 2 or 3:
                    Field(o, 2, NextFeatureListsBody());
                    break;
                default:
                    Noise(o, minField: 3, wrongTypeFor: [1, 2]);
                    break;
            }
        }
    });

    private byte[] NextFeaturesBody() => Message(o =>
    {
        int parts = _rng.Next(7);
        for (int i = 0; i < parts; i++)
        {
            if (_rng.Next(6) > 0)
            {
                Field(o, 1, Entry(NextFeatureBody));
            }
            else
            {
                Noise(o, minField: 2, wrongTypeFor: [1]);
            }
        }
    });

    private byte[] NextFeatureListsBody() => Message(o =>
    {
        int parts = _rng.Next(5);
        for (int i = 0; i < parts; i++)
        {
            if (_rng.Next(6) > 0)
            {
                Field(o, 1, Entry(NextFeatureListBody));
            }
            else
            {
                Noise(o, minField: 2, wrongTypeFor: [1]);
            }
        }
    });

    /// <summary>A map entry: mostly key then value, sometimes value first, fields missing, repeated or noisy.</summary>
    private byte[] Entry(Func<byte[]> value) => Message(o =>
    {
        switch (_rng.Next(10))
        {
            case < 6:
                o.WriteTag(1, WireType.LengthDelimited);
                o.WriteString(Key());
                Field(o, 2, value());
                break;
            case 6:
                Field(o, 2, value());
                o.WriteTag(1, WireType.LengthDelimited);
                o.WriteString(Key());
                break;
            default:
                int parts = _rng.Next(5);
                for (int i = 0; i < parts; i++)
                {
                    switch (_rng.Next(4))
                    {
                        case 0:
                            o.WriteTag(1, WireType.LengthDelimited);
                            o.WriteString(Key());
                            break;
                        case 1 or 2:
                            Field(o, 2, value());
                            break;
                        default:
                            Noise(o, minField: 3, wrongTypeFor: [1, 2]);
                            break;
                    }
                }

                break;
        }
    });

    private byte[] NextFeatureListBody() => Message(o =>
    {
        int parts = _rng.Next(6);
        for (int i = 0; i < parts; i++)
        {
            if (_rng.Next(5) > 0)
            {
                Field(o, 1, NextFeatureBody());
            }
            else
            {
                Noise(o, minField: 2, wrongTypeFor: [1]);
            }
        }
    });

    private byte[] NextFeatureBody() => Message(o =>
    {
        // Usually one list; sometimes none, or several of the same or different kinds (merged or replaced).
        int parts = _rng.Next(8) switch { 0 => 0, < 5 => 1, _ => _rng.Next(2, 5) };
        int kind = _rng.Next(1, 4);
        for (int i = 0; i < parts; i++)
        {
            if (_rng.Next(3) == 0)
            {
                kind = _rng.Next(1, 4);
            }

            if (_rng.Next(6) == 0)
            {
                Noise(o, minField: 4, wrongTypeFor: [1, 2, 3]);
                continue;
            }

            Field(o, kind, kind switch
            {
                1 => BytesListBody(),
                2 => FloatListBody(),
                _ => Int64ListBody(),
            });
        }
    });

    private byte[] Int64ListBody() => Message(o =>
    {
        int parts = _rng.Next(5);
        for (int i = 0; i < parts; i++)
        {
            switch (_rng.Next(6))
            {
                case < 3:
                    // A packed run, as Google.Protobuf writes a RepeatedField<long>.
                    int count = _rng.Next(6);
                    var values = Enumerable.Range(0, count).Select(_ => Int64()).ToArray();
                    o.WriteTag(1, WireType.LengthDelimited);
                    o.WriteLength(values.Sum(v => CodedOutputStream.ComputeInt64Size(v)));
                    foreach (long v in values)
                    {
                        o.WriteInt64(v);
                    }

                    break;
                case < 5:
                    o.WriteTag(1, WireType.Varint);
                    o.WriteInt64(Int64());
                    break;
                default:
                    Noise(o, minField: 2, wrongTypeFor: [1], wrongTypes: [WireType.Fixed32, WireType.Fixed64, WireType.StartGroup]);
                    break;
            }
        }
    });

    private byte[] FloatListBody() => Message(o =>
    {
        int parts = _rng.Next(5);
        for (int i = 0; i < parts; i++)
        {
            switch (_rng.Next(6))
            {
                case < 3:
                    int count = _rng.Next(6);
                    o.WriteTag(1, WireType.LengthDelimited);
                    o.WriteLength(count * 4);
                    for (int j = 0; j < count; j++)
                    {
                        o.WriteFloat(Float());
                    }

                    break;
                case < 5:
                    o.WriteTag(1, WireType.Fixed32);
                    o.WriteFloat(Float());
                    break;
                default:
                    Noise(o, minField: 2, wrongTypeFor: [1], wrongTypes: [WireType.Varint, WireType.Fixed64, WireType.StartGroup]);
                    break;
            }
        }
    });

    private byte[] BytesListBody() => Message(o =>
    {
        int parts = _rng.Next(5);
        for (int i = 0; i < parts; i++)
        {
            if (_rng.Next(6) > 0)
            {
                var value = new byte[_rng.Next(8) == 0 ? 0 : _rng.Next(1, 12)];
                _rng.NextBytes(value);
                o.WriteTag(1, WireType.LengthDelimited);
                o.WriteBytes(ByteString.CopyFrom(value));
            }
            else
            {
                Noise(o, minField: 2, wrongTypeFor: [1]);
            }
        }
    });

    /// <summary>
    /// An unknown field: a number from <paramref name="minField"/> up, or one of <paramref name="wrongTypeFor"/> with a
    /// wire type its message does not read it with.
    /// </summary>
    private void Noise(CodedOutputStream o, int minField, int[] wrongTypeFor, WireType[]? wrongTypes = null, int depth = 0)
    {
        bool known = wrongTypeFor.Length > 0 && _rng.Next(3) == 0;
        int field = known ? wrongTypeFor[_rng.Next(wrongTypeFor.Length)] : _rng.Next(minField, minField + 40);
        WireType[] types = known
            ? wrongTypes ?? [WireType.Varint, WireType.Fixed32, WireType.Fixed64, WireType.StartGroup]
            : [WireType.Varint, WireType.Fixed32, WireType.Fixed64, WireType.LengthDelimited, WireType.StartGroup];
        WireType type = types[_rng.Next(types.Length)];
        if (type == WireType.StartGroup && depth >= 3)
        {
            type = WireType.Varint;
        }

        o.WriteTag(field, type);
        switch (type)
        {
            case WireType.Varint:
                o.WriteUInt64((ulong)_rng.NextInt64() >> _rng.Next(64));
                break;
            case WireType.Fixed32:
                o.WriteFixed32((uint)_rng.Next());
                break;
            case WireType.Fixed64:
                o.WriteFixed64((ulong)_rng.NextInt64());
                break;
            case WireType.LengthDelimited:
                var bytes = new byte[_rng.Next(10)];
                _rng.NextBytes(bytes);
                o.WriteBytes(ByteString.CopyFrom(bytes));
                break;
            default:
                int inner = _rng.Next(4);
                for (int i = 0; i < inner; i++)
                {
                    Noise(o, minField: 1, wrongTypeFor: [], depth: depth + 1);
                }

                o.WriteTag(field, WireType.EndGroup);
                break;
        }
    }

    private string Key() => s_keys[_rng.Next(s_keys.Length)];

    private long Int64() => _rng.Next(3) switch
    {
        0 => _rng.Next(-5, 300),
        1 => _rng.NextInt64(long.MinValue, long.MaxValue),
        _ => _rng.Next(2) == 0 ? long.MinValue : long.MaxValue,
    };

    private float Float() => BitConverter.UInt32BitsToSingle((uint)_rng.NextInt64(0, 1L << 32));

    private static void Field(CodedOutputStream o, int field, byte[] body)
    {
        o.WriteTag(field, WireType.LengthDelimited);
        o.WriteBytes(ByteString.CopyFrom(body));
    }

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        write(output);
        output.Flush();
        return stream.ToArray();
    }
}
