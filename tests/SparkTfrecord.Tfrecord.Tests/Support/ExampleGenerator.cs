using System.Text;
using SparkTfrecord.Tfrecord.Example;

namespace SparkTfrecord.Tfrecord.Tests.Support;

/// <summary>
/// Random Examples and SequenceExamples from a fixed seed, biased towards the values that break codecs: empty lists,
/// NaNs with payloads, infinities, -0.0, subnormals, int64 extremes and varint size boundaries, non-UTF-8 bytes,
/// unicode, empty and long names, features with no kind, and now and then a long list.
/// </summary>
internal sealed class ExampleGenerator(int seed)
{
    private static readonly string[] s_names =
    [
        "", "a", "x", "int_feature", "float_feature", "byte_feature", "é", "naïve café", "名前", "😀 emoji",
        "tab\tand\nnewline", "nul\0inside", "Ω≈ç√∫", new string('n', 127), new string('l', 300),
    ];

    private static readonly long[] s_int64s =
    [
        0, 1, -1, 42, long.MinValue, long.MaxValue, long.MinValue + 1, long.MaxValue - 1, 127, 128, 16383, 16384,
        int.MaxValue, int.MinValue, uint.MaxValue, 1L << 35, -(1L << 35), 1L << 62, -(1L << 56),
    ];

    private static readonly uint[] s_floatBits =
    [
        0x00000000, 0x80000000, // +0.0, -0.0
        0x7f800000, 0xff800000, // +inf, -inf
        0x7fc00000, 0xffc00000, // quiet NaNs (float.NaN is the negative one)
        0x7fc12345, 0xffffffff, // quiet NaNs with payloads
        0x7f800001, 0x7fa00000, // signalling NaNs
        0x00000001, 0x807fffff, // subnormals
        0x00800000, 0x7f7fffff, 0xff7fffff, // smallest normal, max, min
        0x3f800000, 0x4048f5c3, // 1.0, 3.14f
    ];

    private readonly Random _rng = new(seed);

    public Random Random => _rng;

    /// <summary>Whether feature names may repeat within a record (the entries form can say so; a map cannot).</summary>
    public bool AllowDuplicateNames { get; init; } = true;

    /// <summary>Whether a name may be "" (Google.Protobuf's map form drops such a key when writing).</summary>
    public bool AllowEmptyName { get; init; } = true;

    /// <summary>Only valid UTF-8 and only quiet NaNs, for readers (such as Python's) that convert through double.</summary>
    public bool QuietNaNsOnly { get; init; }

    public ExampleModel NextExample()
    {
        return new ExampleModel(NextFeatures());
    }

    public SequenceExampleModel NextSequenceExample()
    {
        var context = NextFeatures();
        var lists = new List<FeatureListModel>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        int count = _rng.Next(10) switch { 0 => 0, < 7 => _rng.Next(1, 4), _ => _rng.Next(4, 9) };
        for (int i = 0; i < count; i++)
        {
            string name = NextName(used);
            int frames = _rng.Next(8) switch { 0 => 0, < 6 => _rng.Next(1, 4), _ => _rng.Next(4, 20) };
            lists.Add(new FeatureListModel(name, [.. Enumerable.Range(0, frames).Select(_ => NextFeature())]));
        }

        return new SequenceExampleModel(context, lists);
    }

    public List<NamedFeature> NextFeatures()
    {
        int count = _rng.Next(12) switch { 0 => 0, < 9 => _rng.Next(1, 6), _ => _rng.Next(6, 30) };
        var used = new HashSet<string>(StringComparer.Ordinal);
        var features = new List<NamedFeature>(count);
        for (int i = 0; i < count; i++)
        {
            features.Add(new NamedFeature(NextName(used), NextFeature()));
        }

        return features;
    }

    public string NextName(HashSet<string> used)
    {
        for (int attempt = 0; ; attempt++)
        {
            string name = _rng.Next(3) switch
            {
                0 => s_names[_rng.Next(s_names.Length)],
                1 => RandomAscii(_rng.Next(1, 12)),
                _ => RandomUnicode(_rng.Next(1, 8)),
            };
            if (name.Length == 0 && !AllowEmptyName)
            {
                continue;
            }

            if (used.Add(name) || (AllowDuplicateNames && _rng.Next(2) == 0) || attempt > 100)
            {
                return name;
            }
        }
    }

    public FeatureModel NextFeature()
    {
        int length = NextLength();
        return _rng.Next(9) switch
        {
            0 => FeatureModel.None,
            1 or 2 => FeatureModel.Of([.. Enumerable.Range(0, length).Select(_ => NextInt64())]),
            3 or 4 => FeatureModel.Of([.. Enumerable.Range(0, length).Select(_ => NextFloat())]),
            5 => FeatureModel.OfStrings([.. Enumerable.Range(0, Math.Min(length, 200)).Select(_ => NextString())]),
            _ => FeatureModel.Of([.. Enumerable.Range(0, Math.Min(length, 64)).Select(_ => NextBytes())]),
        };
    }

    public int NextLength() => _rng.Next(40) switch
    {
        < 8 => 0,
        < 20 => 1,
        < 34 => _rng.Next(2, 6),
        < 39 => _rng.Next(6, 60),
        _ => _rng.Next(200, 3000), // packed lengths past one and two varint bytes
    };

    public long NextInt64() => _rng.Next(4) switch
    {
        0 => s_int64s[_rng.Next(s_int64s.Length)],
        1 => _rng.Next(-1000, 1000),
        2 => _rng.NextInt64(long.MinValue, long.MaxValue),
        _ => _rng.NextInt64() >> _rng.Next(64),
    };

    public float NextFloat()
    {
        uint bits = _rng.Next(3) switch
        {
            0 => s_floatBits[_rng.Next(s_floatBits.Length)],
            1 => BitConverter.SingleToUInt32Bits((float)((_rng.NextDouble() - 0.5) * Math.Pow(10, _rng.Next(-10, 10)))),
            _ => (uint)_rng.NextInt64(0, 1L << 32),
        };
        if (QuietNaNsOnly && float.IsNaN(BitConverter.UInt32BitsToSingle(bits)))
        {
            bits |= 0x00400000;
        }

        return BitConverter.UInt32BitsToSingle(bits);
    }

    public byte[] NextBytes()
    {
        int length = _rng.Next(200) switch
        {
            < 30 => 0,
            < 170 => _rng.Next(1, 20),
            < 199 => _rng.Next(20, 300),
            _ => _rng.Next(300, 20000), // a length of three varint bytes
        };
        var bytes = new byte[length];
        _rng.NextBytes(bytes);
        if (length > 0 && _rng.Next(3) == 0)
        {
            bytes[0] = (byte)(0xf8 | _rng.Next(8)); // never valid UTF-8
        }

        return bytes;
    }

    public string NextString() => _rng.Next(4) switch
    {
        0 => "",
        1 => RandomAscii(_rng.Next(1, 30)),
        2 => RandomUnicode(_rng.Next(1, 30)),
        _ => s_names[_rng.Next(s_names.Length)],
    };

    private string RandomAscii(int length)
    {
        var chars = new char[length];
        for (int i = 0; i < length; i++)
        {
            chars[i] = (char)_rng.Next(0x20, 0x7f);
        }

        return new string(chars);
    }

    private string RandomUnicode(int length)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < length; i++)
        {
            int scalar = _rng.Next(4) switch
            {
                0 => _rng.Next(0x80, 0x800),
                1 => _rng.Next(0x800, 0xd800),
                2 => _rng.Next(0xe000, 0x10000),
                _ => _rng.Next(0x10000, 0x110000),
            };
            sb.Append(new Rune(scalar).ToString());
        }

        return sb.ToString();
    }
}
