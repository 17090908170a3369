using System.CommandLine;
using System.CommandLine.Parsing;

namespace SparkTfrecord.Jobs.Commands;

/// <summary>
/// Refuses, when the line is parsed (exit 2, nothing run), an option the chosen engine would not read: the embedded
/// engine's settings with <c>--engine spark</c>, and the Spark options with the embedded engine. Silently ignoring
/// one would run something other than what the user asked for.
/// </summary>
internal static class EngineOptionRules
{
    public static void AddTo(Command command, JobOptions o, SparkOptions spark, Option<bool>? reportHtml = null)
    {
        // Why each embedded-engine option means nothing to Spark, and what to use there instead.
        var embeddedOnly = new List<(Option Option, string Instead)>
        {
            (o.Audit, "the Spark engine writes no _audit/ Parquet copy; run the day with --engine duckdb --audit to get one"),
            (o.MemoryLimit, "it is DuckDB's memory; give Spark's with --spark-conf spark.executor.memory=SIZE (and spark.driver.memory=SIZE)"),
            (o.Threads, "it is DuckDB's thread count; give Spark's with --spark-conf spark.executor.cores=N"),
            (o.SpillDir, "it is where DuckDB spills; Spark spills to spark.local.dir (--spark-conf spark.local.dir=DIR)"),
        };
        if (reportHtml is not null)
        {
            embeddedOnly.Add((reportHtml, "the day's statistics are computed from the shards the embedded engine writes; run 'sparktf validate --html report.html OUTPUT' on the Spark day's output instead"));
        }

        Option[] sparkOnly = [spark.Master, spark.DeployMode, spark.SparkHome, spark.Writer, spark.Connector, spark.SparkConf, spark.SparkVersion, spark.DryRun];
        command.Validators.Add(r =>
        {
            bool onSpark = r.GetValue(o.Engine) == "spark";
            if (onSpark)
            {
                foreach (var (option, instead) in embeddedOnly.Where(e => Given(r, e.Option)))
                {
                    r.AddError($"{option.Name} is not supported with --engine spark: {instead}. Remove {option.Name}.");
                }

                // Index files need the record offsets, which only the native writer (shards written here) has.
                if (Given(r, o.Index) && r.GetValue(o.Index) && r.GetValue(spark.Writer) != "native")
                {
                    r.AddError("--index with --engine spark needs --writer native (Spark writes Parquet, sparktf writes the shards and their index files here): " +
                               "the connector writers write the shards on the cluster and give no record offsets. Add --writer native, or run 'sparktf index' on a local copy of the output.");
                }

                return;
            }

            foreach (var option in sparkOnly.Where(s => Given(r, s)))
            {
                r.AddError($"{option.Name} applies to --engine spark only; the embedded engine (--engine duckdb, the default) does not read it. Add --engine spark, or remove {option.Name}.");
            }
        });
    }

    /// <summary>Whether the user wrote the option (a default value is not given).</summary>
    private static bool Given(CommandResult result, Option option) => result.GetResult(option) is { Implicit: false };
}
