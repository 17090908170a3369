using System.Reflection;
using SparkTfrecord.Engine.Config;

namespace SparkTfrecord.Engine.Tests;

/// <summary>
/// The engine library's public surface is what the sparktf command line calls (and the types those calls expose);
/// everything else is internal, reached by the tests and benchmarks through InternalsVisibleTo. A new public type
/// fails here, so that widening the surface is a decision rather than an accident.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class PublicApiTests
{
    // Full names without the "SparkTfrecord.Engine." prefix, in ordinal order.
    private static readonly string[] s_expected =
    [
        "Config.JobConfigException",
        "Config.JobConfigParser",
        "Config.JobDefinition",
        "Config.JobOverrides",
        "Config.SourceFormat",
        "Engines.DuckDbEngine",
        "Engines.DuckDbEngineOptions",
        "Engines.EngineSetupException",
        "Engines.EngineSetupProblem",
        "Generation.GeneratedLogs",
        "Generation.LogGenerator",
        "Generation.LogGeneratorOptions",
        "Generation.LogOutputFolder",
        "Generation.LogOutputState",
        "Jobs.EncodeJob",
        "Jobs.EncodeJobOptions",
        "Jobs.EncodeSummary",
        "Jobs.IJobProgress",
        "Jobs.InputDataException",
        "Jobs.InputProblem",
        "Jobs.JobFailedException",
        "Jobs.JobFailure",
        "Jobs.JobStoppedException",
        "Jobs.SamplesRun",
        "Jobs.SamplesRunOptions",
        "Jobs.SamplesStart",
        "Jobs.SamplesSummaries",
        "Jobs.SamplesSummary",
        "Output.ManifestShard",
        "Output.OutputGuard",
        "Output.OutputGuardOptions",
        "Output.OutputRefusal",
        "Output.OutputRefusedException",
        "Output.WrittenFile",
        "Output.WrittenFileKind",
        "Planning.PathTemplate",
        "Spark.SparkConnector",
        "Spark.SparkDeployMode",
        "Spark.SparkRunOptions",
        "Spark.SparkSamplesRun",
        "Spark.SparkSamplesRunOptions",
        "Spark.SparkSetup",
        "Spark.SparkVersion",
        "Spark.SparkWriter",
        "Sql.PlanRenderer",
    ];

    [Test]
    public void PublicTypesAreTheOnesTheCommandLineCalls()
    {
        const string prefix = "SparkTfrecord.Engine.";
        var actual = typeof(JobDefinition).Assembly.GetExportedTypes()
            .Select(t => t.FullName!.StartsWith(prefix, StringComparison.Ordinal) ? t.FullName[prefix.Length..] : t.FullName!)
            .Order(StringComparer.Ordinal)
            .ToList();

        var added = actual.Except(s_expected).ToList();
        var removed = s_expected.Except(actual).ToList();
        Assert.That(added, Is.Empty,
            "new public types in SparkTfrecord.Engine: make them internal (the tests see internals), or, if the sparktf " +
            "command line calls them, add them deliberately to PublicApiTests' expected list.");
        Assert.That(removed, Is.Empty,
            "types no longer public in SparkTfrecord.Engine: remove them from PublicApiTests' expected list.");
    }
}
