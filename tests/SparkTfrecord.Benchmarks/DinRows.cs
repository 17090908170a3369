using Google.Protobuf;
using SparkTfrecord.Tfrecord.Example;
using SparkTfrecord.Tfrecord.Framing;
using SparkTfrecord.Tfrecord.Proto;
using ExampleMessage = SparkTfrecord.Tfrecord.Proto.Example;

namespace SparkTfrecord.Benchmarks;

/// <summary>One joined impression as the jobs hand it to a writer: plain .NET values, the DIN model's features.</summary>
public sealed record DinRow(
    long Label,
    string UserId,
    long Age,
    string Gender,
    string Device,
    string ItemId,
    List<string> ClickedItems15d);

/// <summary>Makes DIN-shaped rows from a fixed seed and turns them into Examples both ways (ours and Google.Protobuf's).</summary>
public static class DinRows
{
    public const int Seed = 20240615;

    private static readonly string[] s_genders = ["0", "1", "未知"];

    private static readonly string[] s_devices =
    [
        "huawei p40pro max", "iphone 13 pro max", "xiaomi 12s ultra", "oppo find x5 pro", "vivo x80 pro",
        "honor magic4 pro", "samsung galaxy s22 ultra", "redmi k50 gaming", "oneplus 10 pro", "meizu 18s pro",
    ];

    /// <summary>Rows with <paramref name="historyLength"/> clicked items each; the same seed gives the same rows.</summary>
    public static DinRow[] Make(int count, int historyLength, int seed = Seed)
    {
        var random = new Random(seed);
        var rows = new DinRow[count];
        for (int i = 0; i < count; i++)
        {
            var history = new List<string>(historyLength);
            for (int j = 0; j < historyLength; j++)
            {
                history.Add(ItemId(random));
            }

            rows[i] = new DinRow(
                Label: random.Next(100) < 5 ? 1 : 0,
                UserId: "u" + random.Next(1, 100_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture),
                Age: random.Next(16, 81),
                Gender: s_genders[random.Next(s_genders.Length)],
                Device: s_devices[random.Next(s_devices.Length)],
                ItemId: ItemId(random),
                ClickedItems15d: history);
        }

        return rows;
    }

    private static string ItemId(Random random) =>
        "item_" + random.Next(1, 2_000_000).ToString("D7", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The feature names in spec order, encoded once.</summary>
    public sealed class Keys
    {
        public FeatureKey Label { get; } = new("label");

        public FeatureKey UserId { get; } = new("user_id");

        public FeatureKey Age { get; } = new("age");

        public FeatureKey Gender { get; } = new("gender");

        public FeatureKey Device { get; } = new("device");

        public FeatureKey ItemId { get; } = new("item_id");

        public FeatureKey ClickedItems15d { get; } = new("clicked_items_15d");
    }

    /// <summary>Encodes <paramref name="row"/> with our span encoder (cleared first); the result is in the encoder.</summary>
    public static void Encode(ExampleEncoder encoder, Keys keys, DinRow row)
    {
        encoder.Clear();
        encoder.AddInt64(keys.Label, row.Label);
        encoder.AddString(keys.UserId, row.UserId);
        encoder.AddInt64(keys.Age, row.Age);
        encoder.AddString(keys.Gender, row.Gender);
        encoder.AddString(keys.Device, row.Device);
        encoder.AddString(keys.ItemId, row.ItemId);
        encoder.AddStringList(keys.ClickedItems15d, row.ClickedItems15d);
    }

    /// <summary>Builds the same Example as Google.Protobuf message objects (its map keeps insertion order).</summary>
    public static ExampleMessage ToMessage(DinRow row)
    {
        var features = new Features();
        features.Feature.Add("label", Int64Feature(row.Label));
        features.Feature.Add("user_id", BytesFeature(row.UserId));
        features.Feature.Add("age", Int64Feature(row.Age));
        features.Feature.Add("gender", BytesFeature(row.Gender));
        features.Feature.Add("device", BytesFeature(row.Device));
        features.Feature.Add("item_id", BytesFeature(row.ItemId));
        var history = new BytesList();
        foreach (string item in row.ClickedItems15d)
        {
            history.Value.Add(ByteString.CopyFromUtf8(item));
        }

        features.Feature.Add("clicked_items_15d", new Feature { BytesList = history });
        return new ExampleMessage { Features = features };
    }

    private static Feature Int64Feature(long value) => new() { Int64List = new Int64List { Value = { value } } };

    private static Feature BytesFeature(string value) => new() { BytesList = new BytesList { Value = { ByteString.CopyFromUtf8(value) } } };

    /// <summary>
    /// An uncompressed TFRecord file of <paramref name="rows"/> written by our encoder, after checking that every record's
    /// payload is byte for byte what Google.Protobuf serializes for the same row.
    /// </summary>
    public static byte[] File(DinRow[] rows)
    {
        var encoder = new ExampleEncoder();
        var keys = new Keys();
        using var file = new MemoryStream();
        using (var writer = new TfRecordWriter(file, new TfRecordWriterOptions { LeaveOpen = true }))
        {
            foreach (DinRow row in rows)
            {
                Encode(encoder, keys, row);
                byte[] expected = ToMessage(row).ToByteArray();
                if (!encoder.GetPayload().SequenceEqual(expected))
                {
                    throw new InvalidOperationException($"ExampleEncoder and Google.Protobuf disagree on row {row}.");
                }

                writer.WriteFramed(encoder.GetRecord());
            }
        }

        return file.ToArray();
    }
}
