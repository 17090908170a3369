using SparkTfrecord.Tfrecord.Example;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Jobs.Tests.Report;

/// <summary>
/// Ten DIN records written by hand, whose statistics are computed by hand below (the report tests compare the numbers
/// the HTML shows with these). Record i (0..9):
/// label i % 2; user_id u0 for i &lt; 5, u1 for i &lt; 8, else u2; age 20 + i; gender "0" for i &lt; 3, "未知" for i = 3,
/// else "1"; device "pixel 6" for i &lt; 7, else "iphone"; item_id "i" + i; clicked_items_15d the first i % 4 of
/// i0, i1, i2.
/// </summary>
internal static class HandMadeDin
{
    public const int Records = 10;

    public static string Write(string path)
    {
        using TfRecordWriter writer = TfRecordWriter.Create(path);
        var e = new ExampleEncoder();
        for (int i = 0; i < Records; i++)
        {
            e.Clear();
            e.AddInt64(new FeatureKey("label"), i % 2);
            e.AddString(new FeatureKey("user_id"), i < 5 ? "u0" : i < 8 ? "u1" : "u2");
            e.AddInt64(new FeatureKey("age"), 20 + i);
            e.AddString(new FeatureKey("gender"), i < 3 ? "0" : i == 3 ? "未知" : "1");
            e.AddString(new FeatureKey("device"), i < 7 ? "pixel 6" : "iphone");
            e.AddString(new FeatureKey("item_id"), "i" + i);
            e.AddStringList(new FeatureKey("clicked_items_15d"), new[] { "i0", "i1", "i2" }.AsSpan(0, i % 4));
            writer.WriteFramed(e.GetRecord());
        }

        return path;
    }

    // By hand, from the records above.
    // age 20..29: count 10, mean 24.5; nearest-rank quantiles (the ceil(q*10)-th smallest): q = 0 and 0.1 -> 20,
    // q = 0.2 -> 21, ..., q = 0.9 -> 28, q = 1 -> 29. Histogram over [20, 29], width 0.9: one value per bucket.
    public static readonly string AgeMinMeanMax = "20 24.5 29";
    public static readonly string AgeQuantiles = "20 20 21 22 23 24 25 26 27 28 29";
    public static readonly long[] AgeHistogram = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1];

    // label: 0, 1, ... : 5 zeros, mean 0.5.
    public static readonly string LabelMinMeanMax = "0 0.5 1";
    public const long LabelZeros = 5;

    // gender: "1" for i = 4..9 (6), "0" for i = 0..2 (3), "未知" once.
    public static readonly (string Value, long Count)[] GenderTop = [("1", 6), ("0", 3), ("未知", 1)];

    // user_id: u0 5 times, u1 3, u2 2.
    public static readonly (string Value, long Count)[] UserTop = [("u0", 5), ("u1", 3), ("u2", 2)];

    // clicked_items_15d lengths i % 4: 0 1 2 3 0 1 2 3 0 1 -> min 0, mean 13 / 10, max 3; i0 in the 7 lists of length
    // >= 1, i1 in the 4 of length >= 2, i2 in the 2 of length 3 (13 values). Length histogram over [0, 3], width 0.3:
    // 0 in bucket 0 (3 lists), 1 in bucket 3 (3), 2 in bucket 6 (2), 3 in the last (2).
    public static readonly string HistoryLengths = "0 1.3 3";
    public static readonly (string Value, long Count)[] HistoryTop = [("i0", 7), ("i1", 4), ("i2", 2)];
    public const long HistoryValues = 13;
    public static readonly long[] HistoryLengthHistogram = [3, 0, 0, 3, 0, 0, 2, 0, 0, 2];
}
