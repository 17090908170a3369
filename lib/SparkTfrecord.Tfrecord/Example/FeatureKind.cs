namespace SparkTfrecord.Tfrecord.Example;

/// <summary>The kind of a tf.train.Feature: which list of its oneof is set. The values are the oneof's field numbers.</summary>
public enum FeatureKind
{
    /// <summary>No list is set (TensorFlow treats such a feature as missing).</summary>
    None = 0,

    /// <summary>A BytesList (strings are UTF-8 bytes).</summary>
    Bytes = 1,

    /// <summary>A FloatList of float32 values.</summary>
    Float = 2,

    /// <summary>An Int64List.</summary>
    Int64 = 3,
}
