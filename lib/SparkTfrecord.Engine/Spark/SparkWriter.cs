namespace SparkTfrecord.Engine.Spark;

/// <summary>How the Spark engine writes TFRecord.</summary>
public enum SparkWriter
{
    /// <summary>A Spark TFRecord data source jar writes the output (any file system the cluster reaches).</summary>
    Connector,

    /// <summary>Spark writes the samples as Parquet; <c>sparktf encode</c> writes the shards with the native writer.</summary>
    Native,
}
