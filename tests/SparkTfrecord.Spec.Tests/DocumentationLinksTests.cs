using System.Text;
using System.Text.RegularExpressions;

namespace SparkTfrecord.Spec.Tests;

/// <summary>
/// The user documentation (README.md and docs/*.md) stays navigable: every link resolves to a file or folder of the
/// repository, and every anchor to a heading of the file it names; README.md stays a short entry point.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed partial class DocumentationLinksTests
{
    private const int ReadmeLimitBytes = 15 * 1024;

    private static IEnumerable<string> Documents() =>
        new[] { "README.md" }.Concat(Directory.GetFiles(Path.Combine(Repo.Root, "docs"), "*.md")
            .Select(path => Path.GetRelativePath(Repo.Root, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal));

    [TestCaseSource(nameof(Documents))]
    public void Every_link_resolves_to_a_file_of_the_repository_and_every_anchor_to_a_heading(string document)
    {
        string path = Path.Combine(Repo.Root, document);
        var broken = new List<string>();
        foreach ((int line, string target) in Links(File.ReadAllText(path)))
        {
            if (UriScheme().IsMatch(target))
            {
                continue; // a web address: outside what this test can check offline
            }

            string? problem = Check(path, target);
            if (problem is not null)
            {
                broken.Add($"{document}:{line}: ({target}) {problem}");
            }
        }

        Assert.That(broken, Is.Empty, "broken links:\n" + string.Join("\n", broken));
    }

    [Test]
    public void The_documents_have_links_to_check()
    {
        // The parser finds the README's links to docs/, so the test above is not passing by finding nothing.
        string[] targets = Links(File.ReadAllText(Path.Combine(Repo.Root, "README.md"))).Select(link => link.Target).ToArray();

        Assert.That(targets, Does.Contain("docs/job.md").And.Contain("docs/benchmarks.md").And.Contain("docs/contributing.md"));
    }

    [Test]
    public void Readme_is_under_15_KB()
    {
        long size = new FileInfo(Path.Combine(Repo.Root, "README.md")).Length;

        Assert.That(size, Is.LessThan(ReadmeLimitBytes), "README.md is the entry point: details belong in docs/");
    }

    [TestCase("# The samples job", "the-samples-job")]
    [TestCase("## `sparktf encode` and its benchmark", "sparktf-encode-and-its-benchmark")]
    [TestCase("## Codecs against Google.Protobuf", "codecs-against-googleprotobuf")]
    [TestCase("### Run / test: it's 2x (fast)", "run--test-its-2x-fast")]
    public void Anchors_are_made_from_headings_as_GitHub_makes_them(string heading, string anchor)
    {
        Assert.That(Anchors(heading), Does.Contain(anchor));
    }

    /// <summary>What is wrong with <paramref name="target"/>, a link in the file at <paramref name="from"/>, or null.</summary>
    private static string? Check(string from, string target)
    {
        int hash = target.IndexOf('#');
        string file = Uri.UnescapeDataString(hash < 0 ? target : target[..hash]);
        string? anchor = hash < 0 ? null : target[(hash + 1)..];
        string resolved = file.Length == 0 ? from : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(from)!, file));
        string root = Path.GetFullPath(Repo.Root) + Path.DirectorySeparatorChar;
        if (!resolved.StartsWith(root, StringComparison.Ordinal))
        {
            return "points outside the repository";
        }

        if (!File.Exists(resolved) && !Directory.Exists(resolved))
        {
            return "no such file in the repository";
        }

        if (anchor is null)
        {
            return null;
        }

        if (!resolved.EndsWith(".md", StringComparison.Ordinal) || !File.Exists(resolved))
        {
            return "an anchor into something that is not a markdown file";
        }

        return Anchors(File.ReadAllText(resolved)).Contains(anchor) ? null : $"no heading with the anchor #{anchor}";
    }

    /// <summary>The inline links of a markdown text with their line numbers, outside fenced code blocks and code spans.</summary>
    private static IEnumerable<(int Line, string Target)> Links(string markdown)
    {
        int number = 0;
        foreach (string line in ProseLines(markdown, out int[] numbers))
        {
            string prose = CodeSpan().Replace(line, "");
            foreach (Match match in InlineLink().Matches(prose))
            {
                yield return (numbers[number], match.Groups["target"].Value.Trim('<', '>'));
            }

            number++;
        }
    }

    /// <summary>The anchors GitHub gives the headings of a markdown text.</summary>
    private static HashSet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (string line in ProseLines(markdown, out _))
        {
            Match heading = Heading().Match(line);
            if (!heading.Success)
            {
                continue;
            }

            // GitHub: lower case; letters, digits, spaces, '-' and '_' kept (markup and other punctuation dropped);
            // spaces become '-'; a repeated anchor gets -1, -2, ...
            var slug = new StringBuilder();
            foreach (char c in heading.Groups["text"].Value.Trim().ToLowerInvariant())
            {
                if (char.IsLetterOrDigit(c) || c is '-' or '_')
                {
                    slug.Append(c);
                }
                else if (c == ' ')
                {
                    slug.Append('-');
                }
            }

            string anchor = slug.ToString();
            for (int n = 1; !anchors.Add(anchor); n++)
            {
                anchor = $"{slug}-{n}";
            }
        }

        return anchors;
    }

    /// <summary>The lines of a markdown text outside fenced code blocks, and their 1-based line numbers.</summary>
    private static List<string> ProseLines(string markdown, out int[] lineNumbers)
    {
        var lines = new List<string>();
        var numbers = new List<int>();
        string? fence = null;
        string[] all = markdown.Split('\n');
        for (int i = 0; i < all.Length; i++)
        {
            string line = all[i].TrimEnd('\r');
            string trimmed = line.TrimStart();
            if (fence is null && (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal)))
            {
                fence = trimmed[..3];
                continue;
            }

            if (fence is not null)
            {
                if (trimmed.StartsWith(fence, StringComparison.Ordinal))
                {
                    fence = null;
                }

                continue;
            }

            lines.Add(line);
            numbers.Add(i + 1);
        }

        lineNumbers = [.. numbers];
        return lines;
    }

    [GeneratedRegex(@"!?\[[^\]]*\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"`+[^`]*`+")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.+?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.-]*:")]
    private static partial Regex UriScheme();
}
