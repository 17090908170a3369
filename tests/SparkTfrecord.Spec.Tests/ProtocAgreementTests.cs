using System.Diagnostics;
using Google.Protobuf;
using SparkTfrecord.Spec.Exports;
using SparkTfrecord.Spec.Tfdv;
using SparkTfrecord.Spec.Tfdv.Proto;

namespace SparkTfrecord.Spec.Tests;

/// <summary>The protobuf text-format reader gives the same message as <c>protoc --encode</c> on the same text.</summary>
[TestFixture]
[Category("External")]
public sealed class ProtocAgreementTests
{
    private static string ProtoFolder => Path.Combine(Repo.Root, "lib", "SparkTfrecord.Spec", "Tfdv", "Proto");

    /// <summary>Runs Debian's protoc (protobuf-compiler, which CI installs) to encode text with the project's .proto.</summary>
    private static byte[] ProtocEncode(string text)
    {
        string protoc = Prerequisite.RequireProgram("protoc", "apt-get install -y protobuf-compiler", "/usr/bin/protoc");
        var start = new ProcessStartInfo(protoc)
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
        yield return new TestCaseData(Path.Combine(SharedFixtures.TfrecordFolder, "tfx-penguin", "penguin_schema_schema.pbtxt")).SetName("Penguin_schema_reads_as_protoc_encodes_it");
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
}
