using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SparkTfrecord.Tfrecord.Example;
using SparkTfrecord.Tfrecord.Files;
using SparkTfrecord.Tfrecord.Framing;
using SparkTfrecord.Tfrecord.Json;

namespace SparkTfrecord.Jobs.Tests.Report;

/// <summary>
/// Copies a TFRecord folder record by record through the format library's JSON form (<c>{"feature": {"int64" |
/// "float" | "bytes": [...]}}</c>, as <c>sparktf inspect</c> prints), changing each record on the way: how the drift
/// tests plant a change in a generated day.
/// </summary>
internal static class TfRecordRewrite
{
    /// <summary>Writes each record of <paramref name="source"/>'s files, changed by <paramref name="change"/> (given the
    /// record's index over the whole folder), into <paramref name="destination"/> (uncompressed, one file per file).</summary>
    public static void Folder(string source, string destination, Action<long, JsonObject> change)
    {
        Directory.CreateDirectory(destination);
        var decoder = new ExampleDecoder();
        var encoder = new ExampleJsonReader();
        long index = 0;
        foreach (string file in TfRecordPaths.Expand([source]))
        {
            string name = Path.GetFileName(file).Replace(".gz", "", StringComparison.Ordinal);
            using TfRecordReader reader = TfRecordReader.Open(file);
            using TfRecordWriter writer = TfRecordWriter.Create(Path.Combine(destination, name));
            while (reader.TryRead(out ReadOnlySpan<byte> payload))
            {
                var json = new MemoryStream();
                using (var w = new Utf8JsonWriter(json))
                {
                    ExampleJson.WriteExample(w, decoder.DecodeExample(payload));
                }

                var record = JsonNode.Parse(json.ToArray())!.AsObject();
                change(index++, record);
                writer.WriteFramed(encoder.Encode(record.ToJsonString()));
            }
        }

        Assert.That(index, Is.GreaterThan(0), $"no record in {source}");
    }

    /// <summary>The bytes values of a feature in a record's JSON form.</summary>
    public static JsonArray Bytes(JsonObject record, string feature) => record[feature]!["bytes"]!.AsArray();
}
