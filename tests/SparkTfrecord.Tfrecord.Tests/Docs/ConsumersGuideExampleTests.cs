using System.Text.RegularExpressions;
using SparkTfrecord.Tfrecord.Example;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Tfrecord.Tests.Docs;

/// <summary>docs/consumers.md's C# example is <see cref="ConsumersGuideExample"/>'s code, and it gives the right counts.</summary>
[TestFixture]
[Category("Fast")]
public sealed class ConsumersGuideExampleTests
{
    private static string ExampleSource => Path.Combine(Repo.Root, "tests", "SparkTfrecord.Tfrecord.Tests", "Docs", "ConsumersGuideExample.cs");

    [Test]
    public void The_guides_csharp_snippet_is_the_compiled_example()
    {
        string source = File.ReadAllText(ExampleSource).ReplaceLineEndings("\n");
        var region = Regex.Match(source, @"// docs/consumers\.md: begin\n(.*?)\n[ ]*// docs/consumers\.md: end", RegexOptions.Singleline);
        Assert.That(region.Success, Is.True, "the markers are in the example");
        string[] lines = region.Groups[1].Value.Split('\n');
        int indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        string compiled = string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));

        string guide = File.ReadAllText(Path.Combine(Repo.Root, "docs", "consumers.md")).ReplaceLineEndings("\n");
        var block = Regex.Match(guide, @"<!-- compiled: tests/SparkTfrecord\.Tfrecord\.Tests/Docs/ConsumersGuideExample\.cs -->\n```csharp\n(.*?)\n```", RegexOptions.Singleline);
        Assert.That(block.Success, Is.True, "docs/consumers.md has the marked csharp block");
        string documented = Regex.Replace(block.Groups[1].Value, @"^using [^\n]*\n(\n)?", "", RegexOptions.Multiline);

        Assert.That(documented, Is.EqualTo(compiled));
    }

    [Test]
    public void The_example_counts_the_samples_and_the_clicks_of_a_split_output()
    {
        string root = Directory.CreateTempSubdirectory("sparktf-consumers-").FullName;
        try
        {
            // train/ holds labels 1, 0, 1 (gzip); eval/ holds 0, 1; _index/ holds something that is not TFRecord.
            Write(Path.Combine(root, "train", "part-00000-of-00001.tfrecord.gz"), TfRecordCompression.Gzip, 1, 0, 1);
            Write(Path.Combine(root, "eval", "part-00000-of-00001.tfrecord"), TfRecordCompression.None, 0, 1);
            Directory.CreateDirectory(Path.Combine(root, "eval", "_index"));
            File.WriteAllText(Path.Combine(root, "eval", "_index", "part-00000-of-00001.tfrecord.idx"), "0 26\n26 26\n");

            Assert.That(ConsumersGuideExample.CountClicks(root), Is.EqualTo((5L, 3L)));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void Write(string path, TfRecordCompression compression, params long[] labels)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var encoder = new ExampleEncoder();
        var label = new FeatureKey("label");
        using var writer = TfRecordWriter.Create(path, new TfRecordWriterOptions { Compression = compression });
        foreach (long value in labels)
        {
            encoder.Clear();
            encoder.AddInt64(label, value);
            writer.WriteFramed(encoder.GetRecord());
        }
    }
}
