using SparkTfrecord.Tfrecord.Example;
using SparkTfrecord.Tfrecord.Files;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Tfrecord.Tests.Docs;

/// <summary>
/// The C# example of docs/consumers.md, compiled and run here (<see cref="ConsumersGuideExampleTests"/>); the guide's
/// snippet must equal the lines between the markers, so the documented code is the code that was tested.
/// </summary>
internal static class ConsumersGuideExample
{
    /// <summary>The samples and the clicks (sum of the int64 <c>label</c>) of an output folder or file.</summary>
    public static (long Samples, long Clicks) CountClicks(string output)
    {
        // docs/consumers.md: begin
        long samples = 0, clicks = 0;
        var decoder = new ExampleDecoder();
        foreach (string file in TfRecordPaths.Expand([output]))   // train/ and eval/ too; _index/, _manifest.json skipped
        {
            using var reader = TfRecordReader.Open(file);           // gzip / zlib detected; both CRCs checked
            while (reader.TryRead(out ReadOnlySpan<byte> payload))
            {
                samples++;
                if (decoder.DecodeExample(payload).TryGetFeature("label", out FeatureView label))
                {
                    foreach (long value in label.GetInt64s())
                    {
                        clicks += value;
                    }
                }
            }
        }
        // docs/consumers.md: end
        return (samples, clicks);
    }
}
