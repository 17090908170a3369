namespace SparkTfrecord.Engine.Engines;

/// <summary>What is wrong with an engine's setup (see <see cref="EngineSetupException"/>).</summary>
public enum EngineSetupProblem
{
    /// <summary>The embedded engine refused a setting (<c>--memory-limit</c>, <c>--threads</c>).</summary>
    EngineSetting,

    /// <summary>A cluster deploy mode with a local master.</summary>
    SparkDeployMode,

    /// <summary>TensorFlow's connector with a Spark version it does not support.</summary>
    SparkConnectorVersion,

    /// <summary>The native writer with an output this machine cannot see.</summary>
    SparkWriterOutput,

    /// <summary>No connector jar is published for the connector and the Spark version (<c>jars/connectors.tsv</c>).</summary>
    SparkConnectorJar,

    /// <summary>A Spark version that is not major.minor[/scala].</summary>
    SparkVersion,

    /// <summary>Index files (<c>--index</c>) asked for with compressed shards.</summary>
    IndexOfCompressedOutput,

    /// <summary>Index files (<c>--index</c>) asked for with the Spark engine's connector writer.</summary>
    IndexWithConnector,

    /// <summary>A spec with sequence (<c>shape: seq</c>) features on the Spark engine, which writes tf.train.Example rows only.</summary>
    SequenceOnSpark,

    /// <summary>Sized shards (<c>max_records_per_shard</c>, <c>target_shard_bytes</c>) asked for with the Spark engine's connector writer.</summary>
    ShardLimitWithConnector,
}
