namespace SparkTfrecord.Engine.Spark;

/// <summary>Which connector jar.</summary>
public enum SparkConnector
{
    /// <summary>LinkedIn's spark-tfrecord (format <c>tfrecord</c>, Spark 3.x): <c>INSERT OVERWRITE DIRECTORY ... USING tfrecord</c>.</summary>
    LinkedIn,

    /// <summary>TensorFlow's spark-tensorflow-connector (format <c>tfrecords</c>, Spark 2.4): <c>CREATE TABLE ... AS SELECT</c> into an empty folder.</summary>
    TensorFlow,
}
