using System.Runtime.CompilerServices;

namespace SparkTfrecord.Spec.Statistics;

/// <summary>
/// What the validator gathers of one feature beyond its checks when statistics are asked for: values per record, the
/// numbers' sketch, the strings' top values; all bounded, all in the validator's one pass.
/// </summary>
internal sealed class FeatureProfile
{
    private TopValues? _strings;

    public ValueSketch Lengths { get; } = new();

    public ValueSketch Numbers { get; } = new();

    /// <summary>The string values' summary, made when the first string comes (a number feature needs none).</summary>
    public TopValues Strings => _strings ??= new();

    public long NaN { get; set; }

    public long Infinities { get; set; }

    /// <summary>Adds string values to the top values (where the distinct count did not hash them already).</summary>
    public void AddStrings(SparkTfrecord.Tfrecord.Example.BytesValues values)
    {
        foreach (ReadOnlySpan<byte> v in values)
        {
            Strings.Add(v);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddFloat(float value)
    {
        if (float.IsFinite(value))
        {
            Numbers.Add(value);
        }
        else if (float.IsNaN(value))
        {
            NaN++;
        }
        else
        {
            Infinities++;
        }
    }
}
