using System.CommandLine;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Engines;
using SparkTfrecord.Engine.Spark;

namespace SparkTfrecord.Jobs.Commands;

/// <summary>The options of <c>--engine spark</c>, shared by <c>samples</c> and <c>plan</c>.</summary>
internal sealed class SparkOptions
{
    public Option<string> Master { get; } = new("--master") { Description = "Spark engine: the master, local[*] (this machine), yarn, k8s://HOST:PORT or spark://HOST:PORT.", DefaultValueFactory = _ => "local[*]" };

    public Option<string> DeployMode { get; } = new("--deploy-mode") { Description = "Spark engine: client (spark-sql -f on this machine) or cluster (spark-submit of submit/spark_sql_runner.py).", DefaultValueFactory = _ => "client" };

    public Option<string> SparkHome { get; } = new("--spark-home") { Description = "Spark engine: the Spark installation (default: $SPARK_HOME)." };

    public Option<string> Writer { get; } = new("--writer") { Description = "Spark engine: connector (a Spark TFRecord jar writes the output) or native (Spark writes Parquet, sparktf encode writes the shards here).", DefaultValueFactory = _ => "connector" };

    public Option<string> Connector { get; } = new("--connector") { Description = "Spark engine: linkedin (spark-tfrecord, Spark 3.x) or tensorflow (spark-tensorflow-connector, Spark 2.4).", DefaultValueFactory = _ => "linkedin" };

    public Option<string[]> SparkConf { get; } = new("--spark-conf") { Description = "Spark engine: a Spark setting key=value (repeatable), passed as --conf; spark.jars=PATH gives a connector jar instead of --packages.", Arity = ArgumentArity.ZeroOrMore };

    public Option<string> SparkVersion { get; } = new("--spark-version") { Description = "Spark engine: the Spark version, major.minor[/scala] (default: asked from spark-submit --version when it matters)." };

    public Option<bool> DryRun { get; } = new("--dry-run") { Description = "Spark engine: print the spark-submit command and the script instead of running them." };

    public void AddTo(Command command, bool withDryRun)
    {
        DeployMode.AcceptOnlyFromAmong("client", "cluster");
        Writer.AcceptOnlyFromAmong("connector", "native");
        Connector.AcceptOnlyFromAmong("linkedin", "tensorflow");
        foreach (Option o in new Option[] { Master, DeployMode, SparkHome, Writer, Connector, SparkConf, SparkVersion })
        {
            command.Options.Add(o);
        }

        if (withDryRun)
        {
            command.Options.Add(DryRun);
        }
    }

    public SparkRunOptions RunOptions(ParseResult result, DateOnly date, string? input, string output)
    {
        string? version = result.GetValue(SparkVersion);
        foreach (string kv in result.GetValue(SparkConf) ?? [])
        {
            if (!kv.Contains('=', StringComparison.Ordinal) || kv.StartsWith('='))
            {
                throw new UsageException($"--spark-conf {kv}: write key=value, for example spark.sql.shuffle.partitions=64.");
            }
        }

        try
        {
            return new SparkRunOptions
            {
                Date = date,
                Input = input,
                Output = output,
                Master = result.GetValue(Master)!,
                DeployMode = result.GetValue(DeployMode) == "cluster" ? SparkDeployMode.Cluster : SparkDeployMode.Client,
                Writer = result.GetValue(Writer) == "native" ? SparkWriter.Native : SparkWriter.Connector,
                Connector = result.GetValue(Connector) == "tensorflow" ? SparkTfrecord.Engine.Spark.SparkConnector.TensorFlow : SparkTfrecord.Engine.Spark.SparkConnector.LinkedIn,
                Version = version is null ? null : Engine.Spark.SparkVersion.Parse(version),
                SparkConf = result.GetValue(SparkConf) ?? [],
            };
        }
        catch (EngineSetupException e) when (e.Problem == EngineSetupProblem.SparkVersion)
        {
            throw new UsageException("--spark-version: " + e.Message, e);
        }
    }

    /// <summary>The options that only matter to a launch, not to the script: <c>plan</c> removes them.</summary>
    public IEnumerable<Option> LaunchOnly => [SparkHome, SparkConf];
}
