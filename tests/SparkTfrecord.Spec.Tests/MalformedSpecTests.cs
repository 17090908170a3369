namespace SparkTfrecord.Spec.Tests;

/// <summary>Every kind of malformed spec: the message, its line and its column (cases in tests/spec-cases/malformed).</summary>
[TestFixture]
public sealed class MalformedSpecTests
{
    public static IEnumerable<TestCaseData> Cases()
    {
        string folder = Path.Combine(Repo.Root, "tests", "spec-cases", "malformed");
        foreach (string line in File.ReadAllLines(Path.Combine(folder, "expected.tsv")))
        {
            string[] parts = line.Split('\t');
            string[] position = parts[1].Split(':');
            yield return new TestCaseData(Path.Combine(folder, parts[0]), long.Parse(position[0]), long.Parse(position[1]), parts[2])
                .SetName($"Malformed_spec_{Path.GetFileNameWithoutExtension(parts[0])}_is_reported_at_its_line_and_column");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Malformed_spec_is_reported_with_file_line_column_and_hint(string path, long line, long column, string message)
    {
        var e = Assert.Throws<SpecException>(() => SpecLoader.Load(path))!;

        Assert.Multiple(() =>
        {
            Assert.That(e.File, Is.EqualTo(path));
            Assert.That((e.Line, e.Column), Is.EqualTo((line, column)), e.Message);
            if (message.StartsWith('*'))
            {
                Assert.That(e.Message, Does.StartWith($"{path}:{line}:{column}: {message[1..]}"));
            }
            else
            {
                Assert.That(e.Message, Is.EqualTo($"{path}:{line}:{column}: {message}"));
            }

            Assert.That(e.Hint, Is.Not.Empty);
        });
    }

    [Test]
    public void Every_case_file_has_an_expectation()
    {
        string folder = Path.Combine(Repo.Root, "tests", "spec-cases", "malformed");
        var files = Directory.GetFiles(folder, "*.yaml").Select(Path.GetFileName).Order().ToList();
        var expected = File.ReadAllLines(Path.Combine(folder, "expected.tsv")).Select(l => l.Split('\t')[0]).Order().ToList();

        Assert.That(expected, Is.EqualTo(files));
    }

    [Test]
    public void A_missing_file_is_a_file_not_found_error_naming_it()
    {
        var e = Assert.Throws<FileNotFoundException>(() => SpecLoader.Load("/nonexistent/din.yaml"))!;

        Assert.That(e.Message, Does.Contain("/nonexistent/din.yaml"));
    }
}
