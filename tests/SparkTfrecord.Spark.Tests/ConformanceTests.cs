using System.Text.Json.Nodes;
using SparkTfrecord.Spark.Tests.Conformance;
using SparkTfrecord.Spec;

namespace SparkTfrecord.Spark.Tests;

/// <summary>
/// The conformance suite on the embedded engine: one test per folder of tests/conformance (named after it) runs
/// <c>sparktf samples</c> in process on the case's spec, input and date, and compares the samples (a multiset, after
/// decoding the TFRecords), the counts, the bad rows and the part files with what the case expects, and each Spark
/// rendering of the spec with the constructs the case names. The same cases run on a real Spark in
/// <see cref="RealSparkTests"/>. Every clause of the contract (tests/conformance/clauses.txt) has a case; the runner's
/// own comparisons are tested to fail on a wrong expectation.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class ConformanceTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void MakeTemp() => _temp = new TempFolder("sparktf-conformance-");

    [TearDown]
    public void RemoveTemp() => _temp.Dispose();

    public static IEnumerable<TestCaseData> Cases() => ConformanceRun.CaseNames().Select(name => new TestCaseData(name).SetName(name));

    [TestCaseSource(nameof(Cases))]
    public void Case(string name)
    {
        var c = ConformanceRun.Load(name);
        string output = _temp["out"];

        var run = InProcess.Run(ConformanceRun.SamplesArgs(c, output));

        var problems = ConformanceRun.OutputProblems(c, run, output, linesKnown: true).Concat(ConformanceRun.ScriptProblems(c, _temp["spark-out"])).ToList();
        Assert.That(problems, Is.Empty, $"case {name} (clause {c.Clause}: {c.Says}):\n" + string.Join("\n", problems));
    }

    [Test]
    public void Every_clause_of_the_contract_has_a_case()
    {
        var covered = ConformanceClauses.CaseFolders().Select(ConformanceClauses.ClauseOfFolder).OfType<string>().ToHashSet(StringComparer.Ordinal);

        Assert.That(ConformanceClauses.Ids.Where(id => !covered.Contains(id)), Is.Empty,
            "clauses of tests/conformance/clauses.txt without a case folder tests/conformance/<clause>[-<variant>]");
    }

    [Test]
    public void Every_case_folder_is_named_after_a_clause()
    {
        Assert.That(ConformanceClauses.CaseFolders(), Is.Not.Empty);
        Assert.That(ConformanceClauses.CaseFolders().Where(f => ConformanceClauses.ClauseOfFolder(f) is null), Is.Empty,
            "case folders whose name is no clause id of tests/conformance/clauses.txt (followed by -<variant>)");
    }

    [Test]
    public void A_case_with_an_unknown_key_a_missing_file_or_the_wrong_clause_is_refused_naming_each_problem()
    {
        string folder = _temp["sharding-typo"];
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "case.json"), """{"clause": "hashing", "date": "2024-1-15", "says": "x", "spark_hass": ["md5("]}""");

        var e = Assert.Throws<InvalidDataException>(() => ConformanceCase.Load(folder))!;

        Assert.That(e.Message, Does.Contain("unknown key 'spark_hass'")
            .And.Contain("spec.yaml is missing")
            .And.Contain("input/ is missing")
            .And.Contain("date '2024-1-15' is not yyyy-MM-dd")
            .And.Contain("named 'sharding-typo' but its clause is 'hashing'")
            .And.Contain("expected.jsonl is missing"));
    }

    [Test]
    public void The_sample_comparison_names_each_record_missing_and_each_extra_copy()
    {
        var features = new Dictionary<string, (FeatureDtype, bool)>
        {
            ["id"] = (FeatureDtype.String, false),
            ["n"] = (FeatureDtype.Int64, false),
            ["w"] = (FeatureDtype.Float, false),
            ["tags"] = (FeatureDtype.String, true),
        };
        JsonObject Expected(string id, long n) => new() { ["id"] = id, ["n"] = n, ["w"] = 0.1, ["tags"] = new JsonArray("a", "b") };
        JsonObject Decoded(string id, long n) => (JsonObject)JsonNode.Parse(
            $$$"""{"id": {"bytes": ["{{{id}}}"]}, "n": {"int64": [{{{n}}}]}, "w": {"float": [0.1]}, "tags": {"bytes": ["a", "b"]}}""")!;

        var same = ConformanceCheck.Samples([Expected("r1", 1), Expected("r1", 1)], [Decoded("r1", 1), Decoded("r1", 1)], features);
        var differ = ConformanceCheck.Samples([Expected("r1", 1), Expected("r2", 13)], [Decoded("r1", 1), Decoded("r1", 1), Decoded("r2", 12)], features);
        var malformed = ConformanceCheck.Samples([new JsonObject { ["id"] = "r1", ["n"] = 12, ["w"] = 1, ["tags"] = "a" }], [], features);

        Assert.Multiple(() =>
        {
            Assert.That(same, Is.Empty);
            Assert.That(differ, Has.Count.EqualTo(4));
            Assert.That(differ[0], Is.EqualTo("samples differ: 2 expected, 3 written"));
            Assert.That(differ, Has.Some.EqualTo("""  expected, not written: {"id":"r2","n":13,"tags":["a","b"],"w":0.1}"""));
            Assert.That(differ, Has.Some.EqualTo("""  written, not expected: {"id":"r1","n":1,"tags":["a","b"],"w":0.1}"""));
            Assert.That(differ, Has.Some.EqualTo("""  written, not expected: {"id":"r2","n":12,"tags":["a","b"],"w":0.1}"""));
            Assert.That(malformed.Single(), Does.Contain("feature tags is a list: write a JSON array"));
        });
    }

    [Test]
    public void The_quarantine_comparison_takes_file_names_and_reason_starts_order_aside_and_lines_where_known()
    {
        var expected = new[]
        {
            new ExpectedBadRow("impressions", "part-0.csv", 3, "malformed CSV line"),
            new ExpectedBadRow("impressions", "part-0.csv", 5, "key column 'user_id' is null"),
        };
        var kept = new[]
        {
            (JsonObject)JsonNode.Parse("""{"source": "impressions", "file": "/data/in/impressions/part-0.csv", "row": 5, "reason": "key column 'user_id' is null"}""")!,
            (JsonObject)JsonNode.Parse("""{"source": "impressions", "file": "file:///data/in/impressions/part-0.csv", "row": 3, "reason": "malformed CSV line: TOO MANY COLUMNS"}""")!,
        };
        var sparkKept = kept.Select(k => { var o = (JsonObject)k.DeepClone(); o.Remove("row"); o["line"] = null; return o; }).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(ConformanceCheck.Quarantine(expected, kept, linesKnown: true), Is.Empty);
            Assert.That(ConformanceCheck.Quarantine(expected, sparkKept, linesKnown: false), Is.Empty);
            Assert.That(ConformanceCheck.Quarantine(expected, sparkKept, linesKnown: true), Has.Count.EqualTo(4));
            Assert.That(ConformanceCheck.Quarantine(expected[..1], kept, linesKnown: true).Single(), Does.StartWith("bad row kept, not expected: ").And.Contain("user_id"));
        });
    }

    [Test]
    public void A_real_case_with_a_wrong_expectation_fails_with_the_differences()
    {
        // The hashing case, copied with one expected record changed, one count off and the parts of its files swapped.
        string folder = _temp["hashing-altered"];
        Folders.Copy(Path.Combine(ConformanceClauses.Folder, "hashing"), folder);
        string expected = Path.Combine(folder, "expected.jsonl");
        File.WriteAllText(expected, File.ReadAllText(expected).Replace("\"r6\"", "\"r4\"", StringComparison.Ordinal));
        var caseJson = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "case.json")))!.AsObject();
        caseJson["counts"]!["written"] = 5;
        var parts = caseJson["files"]!["parts"]!.AsObject();
        var train = parts["train/part-00000-of-00001.tfrecord"]!.DeepClone();
        parts["train/part-00000-of-00001.tfrecord"] = parts["eval/part-00000-of-00001.tfrecord"]!.DeepClone();
        parts["eval/part-00000-of-00001.tfrecord"] = train;
        File.WriteAllText(Path.Combine(folder, "case.json"), caseJson.ToJsonString());
        var c = ConformanceCase.Load(folder);
        string output = _temp["out"];

        var problems = ConformanceRun.OutputProblems(c, InProcess.Run(ConformanceRun.SamplesArgs(c, output)), output, linesKnown: true);

        Assert.Multiple(() =>
        {
            Assert.That(problems, Has.Some.Contains("expected, not written: ").And.Some.Contains("\"r4\""));
            Assert.That(problems, Has.Some.Contains("written, not expected: ").And.Some.Contains("\"r6\""));
            Assert.That(problems, Has.Some.EqualTo("count written: expected 5, the summary says 4"));
            Assert.That(problems, Has.Some.StartsWith("train/part-00000-of-00001.tfrecord: expected the records request_id = [r1, r5]"));
        });
    }
}
