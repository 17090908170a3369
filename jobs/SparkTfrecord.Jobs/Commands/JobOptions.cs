using System.CommandLine;
using System.Globalization;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Engines;
using SparkTfrecord.Engine.Jobs;
using SparkTfrecord.Engine.Output;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Jobs.Commands;

/// <summary>The options <c>samples</c> and <c>plan</c> share, spelled once.</summary>
internal sealed class JobOptions
{
    public Option<string> Spec { get; } = CommonOptions.Spec();

    public Option<string> Date { get; } = new("--date") { Description = "The run date yyyy-MM-dd in the job's zone, or a range D1..D2 (a backfill: one output per day; --output then needs {date}).", Required = true };

    public Option<string> Input { get; } = new("--input", "-i") { Description = "The value of {input} in the job's source paths." };

    public Option<string> Output { get; } = new("--output", "-o") { Description = "The output folder of this run (the leaf; {date} allowed). It is replaced atomically when it is missing, empty or an earlier output of sparktf; any other folder is refused (see --force)." };

    public ShardLayoutOptions Layout { get; } = new("the job's");

    public Option<TfRecordCompression?> Compression { get; } = CommonOptions.JobCompression("none, gzip or zlib (default: the job's output.compression).");

    public Option<string> Engine { get; } = new("--engine") { Description = "The engine: duckdb (embedded, the default) or spark (a Spark SQL script run by spark-sql or spark-submit; see docs/spark.md).", DefaultValueFactory = _ => "duckdb" };

    public Option<bool> NoClobber { get; } = new("--no-clobber") { Description = "Fail instead of replacing an existing output." };

    public Option<bool> Force { get; } = new("--force") { Description = ForceDescription };

    /// <summary>The help of every command's --force.</summary>
    public const string ForceDescription =
        "Replace an output folder that is not empty and was not written by sparktf (everything in it is deleted). Never overrides the cases that are always wrong: " +
        "the working directory or a folder above it, an input or a folder holding or inside one, a folder holding other outputs (dt=... folders, other manifests), the root, a file or a link.";

    public Option<double?> MaxBadFraction { get; } = new("--max-bad-fraction") { Description = "Fail when more than this fraction of input rows is bad (default: the job's quarantine.max_bad_fraction, else 0)." };

    public Option<string> Summary { get; } = new("--summary") { Description = "Write the JSON summary to this file instead of stdout." };

    public Option<string> State { get; } = new("--state") { Description = "Keep the users' recent history events in DIR (a snapshot DIR/dt=DATE/ per day) and read only the partitions the day before's snapshot does not cover; the samples are the same (docs/state.md)." };

    public Option<bool> Index { get; } = CommonOptions.ShardIndex();

    public Option<bool> Audit { get; } = new("--audit") { Description = "Also write the samples as Parquet (with key and time columns) under <output>/_audit/." };

    public Option<string> MemoryLimit { get; } = new("--memory-limit") { Description = "DuckDB's memory limit before it spills (default 1GB).", DefaultValueFactory = _ => "1GB" };

    public Option<int?> Threads { get; } = new("--threads") { Description = "Engine threads (default: the machine's cores)." };

    public Option<string> SpillDir { get; } = new("--spill-dir") { Description = "Where DuckDB spills (default: a folder in the system's temporary folder)." };

    public Command AddTo(Command command)
    {
        Engine.AcceptOnlyFromAmong("duckdb", "spark");

        // Values checked when the line is parsed (exit 2 with the rule), so that no run starts, and no engine
        // meets a value it would fail on halfway.
        CommonOptions.Between(Threads, 1, 1024);
        MaxBadFraction.Validators.Add(r =>
        {
            if (r.GetValue(MaxBadFraction) is { } f && !(f >= 0 && f <= 1))
            {
                r.AddError($"--max-bad-fraction must be from 0 to 1 (a fraction of the input rows), not {Describe(f)}.");
            }
        });
        MemoryLimit.Validators.Add(r =>
        {
            if (r.GetValue(MemoryLimit) is { } text && !CommonOptions.IsMemorySize(text))
            {
                r.AddError($"--memory-limit must be a size such as 500MB, 2GB or 1.5GiB (a number and one of B, KB, MB, GB, TB, KiB, MiB, GiB, TiB), not '{text}'.");
            }
        });
        SpillDir.Validators.Add(r =>
        {
            if (r.GetValue(SpillDir) is { } dir && (dir.Trim().Length == 0 || File.Exists(dir)))
            {
                r.AddError($"--spill-dir must name a folder (it is created if missing), not {(dir.Trim().Length == 0 ? "an empty value" : $"the file '{dir}'")}.");
            }
        });
        Array.ForEach<Option>([Spec, Date, Input, Output], command.Options.Add);
        Layout.AddTo(command);
        Array.ForEach<Option>([Compression, Engine, NoClobber, Force, MaxBadFraction, Summary, Audit, MemoryLimit, Threads, SpillDir, State, Index], command.Options.Add);

        return command;
    }

    public DuckDbEngineOptions EngineOptions(ParseResult result) => new()
    {
        MemoryLimit = result.GetValue(MemoryLimit)!,
        Threads = result.GetValue(Threads) ?? Environment.ProcessorCount,
        SpillDirectory = result.GetValue(SpillDir),
    };

    /// <summary>The run's dates and its <c>--output</c>, which is required and, for a range of dates, must contain
    /// <c>{date}</c>; shared by both engines.</summary>
    public (IReadOnlyList<DateOnly> Dates, string Output) DatesAndOutput(ParseResult result)
    {
        var dates = DateOnlyOption.ParseRange(result.GetValue(Date)!);
        string output = result.GetValue(Output) ?? throw new UsageException("--output is required: the folder of this run's samples.");
        if (dates.Count > 1 && !output.Contains("{date}", StringComparison.Ordinal))
        {
            throw new UsageException($"--date {result.GetValue(Date)} is a range: --output must contain {{date}} so that each day has its own output.");
        }

        return (dates, output);
    }

    /// <summary>Refuses a <c>--summary</c> that cannot or must not be written, before any work
    /// (<see cref="OutputGuard.CheckSummary"/>: the input and each day's output are the folders it may not be in).
    /// Shared by both engines.</summary>
    public void CheckSummaryTarget(ParseResult result, IReadOnlyList<DateOnly> dates, string output)
    {
        if (result.GetValue(Summary) is not { } file)
        {
            return;
        }

        var folders = dates.Select(d => (PathTemplate.ExpandOne(output, d), "the output"));
        if (result.GetValue(Input) is { } input)
        {
            folders = folders.Prepend((input, "the input"));
        }

        OutputGuard.CheckSummary(file, folders);
    }

    /// <summary>The command line's overrides of the job config, read in one place for every command.</summary>
    public JobOverrides Overrides(ParseResult result) => Layout.Apply(new(null, result.GetValue(Compression), result.GetValue(MaxBadFraction))
    {
        // plan has no --index (a run-only option): GetValue of an option the command lacks is false.
        Index = result.GetResult(Index) is not null && result.GetValue(Index),
    }, result);

    public static string Describe(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The options that only matter to a run, not to the SQL: <c>plan</c> removes them, so that its help lists
    /// no option it would ignore.</summary>
    public IEnumerable<Option> RunOnly => [NoClobber, Force, Summary, Audit, MemoryLimit, Threads, SpillDir, State, Index];
}
