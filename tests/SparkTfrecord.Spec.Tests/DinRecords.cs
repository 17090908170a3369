using SparkTfrecord.Tfrecord.Example;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Spec.Tests;

/// <summary>Builds DIN-shaped Examples (the features of conf/din.yaml), optionally with a planted defect.</summary>
public sealed class DinRecords
{
    private static readonly string[] s_genders = ["0", "1", "未知"];
    private readonly FeatureKey _label = new("label");
    private readonly FeatureKey _user = new("user_id");
    private readonly FeatureKey _age = new("age");
    private readonly FeatureKey _gender = new("gender");
    private readonly FeatureKey _device = new("device");
    private readonly FeatureKey _item = new("item_id");
    private readonly FeatureKey _history = new("clicked_items_15d");
    private readonly ExampleEncoder _encoder = new();
    private readonly string[] _historyBuffer = new string[50];

    /// <summary>Called before a record is finished, to add or replace features (the planted defect).</summary>
    public Action<int, ExampleEncoder>? Plant { get; init; }

    /// <summary>Features not to write (their names).</summary>
    public Func<int, string, bool>? Drop { get; init; }

    public ReadOnlySpan<byte> Record(int i)
    {
        ExampleEncoder e = _encoder;
        e.Clear();
        if (!Dropped(i, "label"))
        {
            e.AddInt64(_label, i % 7 == 0 ? 1 : 0);
        }

        if (!Dropped(i, "user_id"))
        {
            e.AddString(_user, "u" + (i % 1000));
        }

        if (!Dropped(i, "age"))
        {
            e.AddInt64(_age, 18 + (i % 60));
        }

        if (!Dropped(i, "gender"))
        {
            e.AddString(_gender, s_genders[i % 3]);
        }

        if (!Dropped(i, "device"))
        {
            e.AddString(_device, "huawei p40pro max");
        }

        if (!Dropped(i, "item_id"))
        {
            e.AddString(_item, "i" + (i % 500));
        }

        if (!Dropped(i, "clicked_items_15d"))
        {
            int n = i % 21;
            for (int k = 0; k < n; k++)
            {
                _historyBuffer[k] = "i" + ((i + k) % 500);
            }

            e.AddStringList(_history, _historyBuffer.AsSpan(0, n));
        }

        Plant?.Invoke(i, e);
        return e.GetRecord();
    }

    private bool Dropped(int i, string name) => Drop?.Invoke(i, name) == true;

    public void Write(string path, int count)
    {
        using TfRecordWriter writer = TfRecordWriter.Create(path);
        for (int i = 0; i < count; i++)
        {
            writer.WriteFramed(Record(i));
        }
    }
}
