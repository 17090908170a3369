namespace SparkTfrecord.Engine.Spark;

/// <summary>Where the Spark driver runs.</summary>
public enum SparkDeployMode
{
    /// <summary>On this machine: the launcher runs <c>bin/spark-sql -f SCRIPT</c>.</summary>
    Client,

    /// <summary>In the cluster: the launcher runs <c>bin/spark-submit --deploy-mode cluster</c> with the PySpark runner.</summary>
    Cluster,
}
