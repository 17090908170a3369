using System.Text;

namespace SparkTfrecord.Tfrecord.Example;

/// <summary>
/// A feature name, encoded once as the map entry's key field so that encoding a record does not encode names again.
/// Create one per feature and reuse it for every record.
/// </summary>
public sealed class FeatureKey
{
    /// <summary>Creates a key for the feature called <paramref name="name"/> (encoded as UTF-8).</summary>
    /// <param name="name">The feature name; "" is allowed and is written explicitly, as TensorFlow requires.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    public FeatureKey(string name)
        : this(Encoding.UTF8.GetBytes(name ?? throw new ArgumentNullException(nameof(name))))
    {
        Name = name;
    }

    /// <summary>Creates a key from the name's raw bytes (normally UTF-8, but any bytes are written as given).</summary>
    /// <param name="utf8Name">The name's bytes.</param>
    public FeatureKey(ReadOnlySpan<byte> utf8Name)
    {
        Utf8Name = utf8Name.ToArray();
        Name = Encoding.UTF8.GetString(utf8Name);

        // The map entry's key field: tag 1 (length-delimited), the length, the bytes. Always written, even for "".
        var field = new byte[1 + Wire.VarintSize((uint)utf8Name.Length) + utf8Name.Length];
        field[0] = Wire.Tag(1, Wire.LengthDelimited);
        int n = 1 + Wire.WriteVarint(field.AsSpan(1), (uint)utf8Name.Length);
        utf8Name.CopyTo(field.AsSpan(n));
        KeyField = field;
    }

    /// <summary>The feature name.</summary>
    public string Name { get; }

    /// <summary>The name's bytes as written.</summary>
    public ReadOnlyMemory<byte> Utf8Name { get; }

    internal byte[] KeyField { get; }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
