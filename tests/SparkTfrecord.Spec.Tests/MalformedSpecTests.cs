namespace SparkTfrecord.Spec.Tests;

/// <summary>Every kind of malformed spec: the message, its line and its column (cases in tests/spec-cases/malformed).</summary>
[TestFixture]
[Category("Fast")]
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

    [Test]
    public void A_spec_nested_40000_deep_is_refused_at_the_first_level_too_deep_without_overflowing_the_stack()
    {
        // 40,000 levels overflowed the stack (exit 134) before the loader counted them.
        string yaml = "spec: 1\njob: " + new string('[', 40_000) + new string(']', 40_000) + "\n";

        var e = Assert.Throws<SpecException>(() => SpecLoader.Parse(yaml, "deep.yaml"))!;

        // The top mapping is level 1, the first '[' (column 6) level 2, so level 65 is the '[' at column 6 + 63.
        Assert.That((e.Line, e.Column), Is.EqualTo((2L, 69L)), e.Message);
        Assert.That(e.Message, Does.Contain("more than 64 deep"));
    }

    [Test]
    public void A_spec_64_deep_is_read()
    {
        // Exactly the limit: the top mapping, job's mapping, then 62 lists.
        string yaml = "spec: 1\nfeatures: [{name: label, dtype: int64, role: label}]\njob: {x: " + new string('[', 62) + new string(']', 62) + "}\n";

        Assert.That(SpecLoader.Parse(yaml, "deep.yaml").Job, Is.Not.Null);
    }

    [Test]
    public void A_spec_file_over_4_MiB_is_refused_quickly_naming_its_size_and_the_limit()
    {
        string path = Path.Combine(Path.GetTempPath(), $"sparktf-big-{Guid.NewGuid():N}.yaml");
        try
        {
            using (var writer = new StreamWriter(path))
            {
                writer.Write("spec: 1\nfeatures:\n");
                while (writer.BaseStream.Length < 50L * 1024 * 1024)
                {
                    writer.Write(string.Concat(Enumerable.Repeat("  - {name: f, dtype: int64}\n", 10_000)));
                    writer.Flush();
                }
            }

            long size = new FileInfo(path).Length;
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var e = Assert.Throws<SpecException>(() => SpecLoader.Load(path))!;

            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)), "the file was read before it was refused");
            Assert.That(e.Message, Is.EqualTo($"{path}:1:1: the file is {size} bytes, more than the 4194304 bytes (4 MiB) a spec may have. " +
                "A spec declares features and the job's settings; keep data (long value lists, logs) out of it."));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Spec_text_over_4_MiB_is_refused_too()
    {
        string yaml = "spec: 1\n# " + new string('x', 4 * 1024 * 1024) + "\n";

        var e = Assert.Throws<SpecException>(() => SpecLoader.Parse(yaml, "big.yaml"))!;

        Assert.That(e.Message, Does.StartWith("big.yaml:1:1: the file is 4194315 bytes, more than the 4194304 bytes"));
    }
}
