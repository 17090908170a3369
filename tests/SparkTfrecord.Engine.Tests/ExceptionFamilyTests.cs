using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Engines;
using SparkTfrecord.Engine.Jobs;
using SparkTfrecord.Engine.Output;
using SparkTfrecord.Engine.Spark;
using SparkTfrecord.Engine.Sql;
using SparkTfrecord.Spec;

namespace SparkTfrecord.Engine.Tests;

/// <summary>
/// The engine's exception families, each provoked through a public entry point: the type (one per cause: the job
/// config, the input, the output, the run failing, the run stopped, the engine's setup), what it says about the cause
/// (its kind, file, counts), and the exception behind it where there was one.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class ExceptionFamilyTests
{
    private const string Day = "2024-01-15";
    private TestLogs _logs = null!;

    [SetUp]
    public void SetUp()
    {
        _logs = new TestLogs().User("u1", 30, "1").Item("A", "shoes");
        for (int i = 0; i < 20; i++)
        {
            _logs.Imp($"r{i}", "u1", "A", $"2024-01-15 10:{i:D2}:00");
        }
    }

    [TearDown]
    public void TearDown() => _logs.Dispose();

    private string WriteSpec(string yaml)
    {
        string spec = Path.Combine(_logs.Root, "spec.yaml");
        File.WriteAllText(spec, yaml);
        return spec;
    }

    [Test]
    public void A_feature_spec_error_in_a_job_config_is_a_JobConfigException_carrying_the_spec_error()
    {
        string spec = WriteSpec(Specs.Din().Replace("dtype: int64, role: label", "dtype: int65, role: label", StringComparison.Ordinal));

        var e = Assert.Throws<JobConfigException>(() => JobDefinition.Load(spec))!;

        Assert.That(e.InnerException, Is.TypeOf<SpecException>());
        Assert.That(e.Message, Is.EqualTo(e.InnerException!.Message), "the spec's message, file and line included, is the message");
        Assert.That(e.Message, Does.Contain(spec).And.Contain("int65"));
    }

    [Test]
    public void A_name_the_Spark_shell_mishandles_is_a_JobConfigException()
    {
        Assert.That(() => SparkDialect.Modern.Identifier("a`b"),
            Throws.TypeOf<JobConfigException>().With.Message.Contains("'a`b' cannot be used on the Spark engine"));
    }

    [Test]
    public void A_missing_Parquet_input_is_an_InputDataException_carrying_the_file_system_error()
    {
        string missing = Path.Combine(_logs.Root, "no-such-samples");

        var e = Assert.Throws<InputDataException>(() => EncodeJob.ParquetFiles([missing]))!;

        Assert.That(e.Problem, Is.EqualTo(InputProblem.NoFiles));
        Assert.That(e.FilePath, Is.EqualTo(missing));
        Assert.That(e.InnerException, Is.InstanceOf<FileNotFoundException>());
        Assert.That(e.Message, Is.EqualTo($"{missing}: no such file or folder of Parquet samples."));
    }

    [Test]
    public void A_day_without_input_files_is_an_InputDataException_naming_the_source()
    {
        var e = Assert.Throws<InputDataException>(() => _logs.Run(Specs.Din(), "2024-03-01"))!;

        Assert.That(e.Problem, Is.EqualTo(InputProblem.NoFiles));
        Assert.That(e.Message, Does.StartWith("no input files for source 'impressions'"));
        Assert.That(e.InnerException, Is.Null, "nothing failed below it: the files are simply not there");
    }

    [Test]
    public void An_existing_output_with_no_clobber_and_a_locked_one_are_OutputRefusedExceptions_with_their_reason()
    {
        string output = Path.Combine(_logs.Root, "out");
        Directory.CreateDirectory(output);

        var exists = Assert.Throws<OutputRefusedException>(() => OutputCommitter.Begin(output, new OutputCommitOptions { NoClobber = true }))!;
        Assert.That(exists.Reason, Is.EqualTo(OutputRefusal.Exists));
        Assert.That(exists.Output, Is.EqualTo(output));
        Assert.That(exists.Message, Does.Contain("exists and --no-clobber was given"));

        string other = Path.Combine(_logs.Root, "locked");
        using (OutputCommitter.Begin(other))
        {
            var locked = Assert.Throws<OutputRefusedException>(() => OutputCommitter.Begin(other))!;
            Assert.That(locked.Reason, Is.EqualTo(OutputRefusal.Locked));
            Assert.That(locked.Message, Does.StartWith($"another run is writing {other}"));
            Assert.That(locked.InnerException, Is.InstanceOf<IOException>(), "the lock's refusal by the file system");
            Assert.That(locked.ForceOverrides, Is.False);
        }
    }

    [Test]
    public void A_summary_file_in_a_missing_folder_is_an_OutputRefusedException()
    {
        string file = Path.Combine(_logs.Root, "no-such-folder", "summary.json");

        var e = Assert.Throws<OutputRefusedException>(() => SamplesSummaries.CheckWritable(file))!;

        Assert.That(e.Reason, Is.EqualTo(OutputRefusal.SummaryNotWritable));
        Assert.That(e.Output, Is.EqualTo(file));
        Assert.That(e.Message, Does.Contain("does not exist").And.EndWith("Nothing was run."));
    }

    [Test]
    public void Too_many_bad_rows_is_a_JobFailedException_with_the_counts()
    {
        _logs.Add("impressions", Day, new() { ["request_id"] = "bad1", ["user_id"] = null, ["item_id"] = "A", ["ts"] = "2024-01-15 10:00:00", ["device"] = "x" });

        var e = Assert.Throws<JobFailedException>(() => _logs.Run(Specs.Din(extraJob: "  quarantine: {max_bad_fraction: 0.01}"), Day))!;

        Assert.That(e.Failure, Is.EqualTo(JobFailure.TooManyBadRows));
        Assert.That(e.Counts, Is.Not.Null);
        Assert.That(e.Counts![RunCounts.Quarantined("impressions")], Is.EqualTo(1));
        Assert.That(e.Counts[RunCounts.Read("impressions")], Is.EqualTo(21));
        long read = e.Counts.Where(c => c.Key.StartsWith(RunCounts.Read(""), StringComparison.Ordinal)).Sum(c => c.Value);
        Assert.That(e.Message, Does.StartWith($"1 of {read} input rows are bad"), "the rows of every source");
        Assert.That(e.InnerException, Is.Null, "nothing failed below it");
    }

    [Test]
    public void A_cancelled_run_is_a_JobStoppedException_carrying_the_cancellation()
    {
        _logs.Write();
        string summary = Path.Combine(_logs.Root, "summary.json");
        var options = new SamplesRunOptions
        {
            Spec = WriteSpec(Specs.Din()),
            Dates = [DateOnly.Parse(Day, System.Globalization.CultureInfo.InvariantCulture)],
            Input = _logs.Input,
            Output = Path.Combine(_logs.Root, "out"),
            Engine = new DuckDbEngineOptions { Threads = 1, MemoryLimit = "256MB" },
            SummaryFile = summary,
            Stdout = TextWriter.Null,
        };

        var e = Assert.Throws<JobStoppedException>(() => SamplesRun.Run(options, new CancellationToken(canceled: true)))!;

        Assert.That(e.InnerException, Is.InstanceOf<OperationCanceledException>());
        Assert.That(e.Message, Is.EqualTo("temporary files removed, the output of 2024-01-15 is as it was"));
        Assert.That(e.Summaries, Is.Empty, "samples writes its own summaries");
        Assert.That(File.ReadAllText(summary), Does.Contain("\"status\": \"failed\"").And.Contain("stopped by a cancellation"), "the stopped day's summary");
        Assert.That(Directory.Exists(options.Output), Is.False);
    }

    [Test]
    public void A_setting_the_embedded_engine_refuses_is_an_EngineSetupException_carrying_its_error()
    {
        var e = Assert.Throws<EngineSetupException>(() => new DuckDbEngine(new DuckDbEngineOptions { Threads = 1, MemoryLimit = "lots" }))!;

        Assert.That(e.Problem, Is.EqualTo(EngineSetupProblem.EngineSetting));
        Assert.That(e.InnerException, Is.TypeOf<DuckDB.NET.Data.DuckDBException>());
        Assert.That(e.Message, Does.StartWith("the engine refused 'SET memory_limit = 'lots''"));
    }

    [Test]
    public void Spark_options_that_do_not_fit_a_version_that_is_not_one_and_a_missing_jar_are_EngineSetupExceptions()
    {
        var definition = JobDefinition.Load(WriteSpec(Specs.Din()));
        var cluster = new SparkRunOptions { Date = new DateOnly(2024, 1, 15), Output = "/tmp/out", Master = "local[2]", DeployMode = SparkDeployMode.Cluster };

        Assert.That(() => SparkSetup.Create(definition, cluster, resolveLocalInputs: false),
            Throws.TypeOf<EngineSetupException>().With.Property(nameof(EngineSetupException.Problem)).EqualTo(EngineSetupProblem.SparkDeployMode)
                .And.Message.StartsWith("--deploy-mode cluster needs a cluster master"));
        Assert.That(() => SparkVersion.Parse("three"),
            Throws.TypeOf<EngineSetupException>().With.Property(nameof(EngineSetupException.Problem)).EqualTo(EngineSetupProblem.SparkVersion));
        Assert.That(() => ConnectorJar.Choose([], SparkConnector.LinkedIn, new SparkVersion(9, 9, null)),
            Throws.TypeOf<EngineSetupException>().With.Property(nameof(EngineSetupException.Problem)).EqualTo(EngineSetupProblem.SparkConnectorJar));
    }
}
