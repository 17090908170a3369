using System.Diagnostics;
using Google.Protobuf;
using SparkTfrecord.Spec.Exports;
using SparkTfrecord.Spec.Tfdv;
using SparkTfrecord.Spec.Tfdv.Proto;

namespace SparkTfrecord.Spec.Tests;

/// <summary>The protobuf text-format reader gives the same message as <c>protoc --encode</c> on the same text.</summary>
[TestFixture]
public sealed class ProtoTextTests
{
    private static string ProtoFolder => Path.Combine(Repo.Root, "lib", "SparkTfrecord.Spec", "Tfdv", "Proto");

    /// <summary>Runs Debian's protoc (protobuf-compiler, which CI installs) to encode text with the project's .proto.</summary>
    private static byte[] ProtocEncode(string text)
    {
        string? protoc = new[] { "/usr/bin/protoc", "/usr/local/bin/protoc" }.FirstOrDefault(File.Exists);
        if (protoc is null)
        {
            Assert.Fail("protoc is missing: run 'apt-get install -y protobuf-compiler' (.ci/run does).");
        }

        var start = new ProcessStartInfo(protoc!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--encode=sparktfrecord.tfdv.Schema");
        start.ArgumentList.Add($"--proto_path={ProtoFolder}");
        start.ArgumentList.Add("tfdv_schema.proto");
        using Process process = Process.Start(start)!;
        var output = new MemoryStream();
        Task copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        Task<string> errors = process.StandardError.ReadToEndAsync();
        byte[] input = System.Text.Encoding.UTF8.GetBytes(text);
        process.StandardInput.BaseStream.Write(input);
        process.StandardInput.Close();
        process.WaitForExit(60_000);
        copy.Wait();
        Assert.That(process.ExitCode, Is.Zero, "protoc refused the text: " + errors.Result);
        return output.ToArray();
    }

    private static IEnumerable<TestCaseData> Texts()
    {
        yield return new TestCaseData(Path.Combine(Repo.Fixtures, "tfx-penguin", "penguin_schema_schema.pbtxt")).SetName("Penguin_schema_reads_as_protoc_encodes_it");
        yield return new TestCaseData(Path.Combine(Repo.Root, "tests", "SparkTfrecord.Spec.Tests", "TestData", "torture_schema.pbtxt")).SetName("Every_text_format_construct_reads_as_protoc_encodes_it");
    }

    [TestCaseSource(nameof(Texts))]
    public void Text_reads_into_the_same_bytes_as_protoc_encode(string path)
    {
        string text = File.ReadAllText(path);

        Schema schema = ProtoText.Parse<Schema>(text, path);

        Assert.That(schema.ToByteArray(), Is.EqualTo(ProtocEncode(text)));
    }

    [TestCase("din.yaml")]
    [TestCase("wide_deep.yaml")]
    public void Exported_tfdv_schema_is_text_protoc_reads_the_same_way(string conf)
    {
        string text = SpecExports.ToTfdvSchemaText(SpecLoader.Load(Repo.Conf(conf)));

        Schema schema = ProtoText.Parse<Schema>(text);

        Assert.That(schema.ToByteArray(), Is.EqualTo(ProtocEncode(text)));
        Assert.That(ProtoText.Format(schema), Is.EqualTo(text[text.IndexOf("feature {", StringComparison.Ordinal)..]), "writing what was read gives the same text");
    }

    [Test]
    public void Penguin_schema_has_five_required_scalar_features()
    {
        Schema schema = ProtoText.Parse<Schema>(File.ReadAllText(Path.Combine(Repo.Fixtures, "tfx-penguin", "penguin_schema_schema.pbtxt")));

        Assert.That(schema.Feature.Select(f => f.Name), Is.EqualTo(new[] { "body_mass_g", "culmen_depth_mm", "culmen_length_mm", "flipper_length_mm", "species" }));
        Assert.That(schema.Feature.All(f => f.Presence.MinFraction == 1.0 && f.Shape.Dim.Single().Size == 1), Is.True);
        Assert.That(schema.Feature[4].Type, Is.EqualTo(FeatureType.Int));
    }

    [TestCase("feature { nam: \"x\" }", 1, 11, "message Feature has no field named 'nam'")]
    [TestCase("feature {\n  name: \"x\"\n  name: \"y\"\n}", 3, 3, "non-repeated field 'name' is specified more than once")]
    [TestCase("feature { shape { } value_count { } }", 1, 21, "field 'value_count' is specified along with field 'shape', another member of oneof 'shape_type'")]
    [TestCase("feature { type: NUMBER }", 1, 17, "enum FeatureType of field 'type' has no value named 'NUMBER'")]
    [TestCase("feature { presence { min_count: 1.5 } }", 1, 33, "field 'min_count' takes an integer, not '1.5'")]
    [TestCase("feature { name: x }", 1, 17, "field 'name' takes a quoted string, not 'x'")]
    [TestCase("feature { name: \"x }", 1, 17, "a string is not closed on its line")]
    [TestCase("feature { name: \"x\"", 1, 20, "the text ends before '}'")]
    [TestCase("[ext.field] { }", 1, 1, "extensions and Any expansions ([...]) are not supported")]
    [TestCase("feature { int_domain { min: 9223372036854775808 } }", 1, 29, "9223372036854775808 is out of range for field 'min'")]
    [TestCase("feature { name \"x\" }", 1, 16, "expected ':' after field 'name'")]
    public void Invalid_text_is_refused_with_line_column_and_reason(string text, int line, int column, string problem)
    {
        var e = Assert.Throws<FormatException>(() => ProtoText.Parse<Schema>(text, "s.pbtxt"))!;

        Assert.That(e.Message, Does.StartWith($"s.pbtxt:{line}:{column}: {problem}"));
    }
}
