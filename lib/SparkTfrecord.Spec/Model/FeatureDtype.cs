namespace SparkTfrecord.Spec;

/// <summary>The value type of a feature, and so which list of a tf.train.Feature holds it.</summary>
public enum FeatureDtype
{
    /// <summary>64-bit integers (<c>int64_list</c>; <c>tf.int64</c>).</summary>
    Int64,

    /// <summary>32-bit floats (<c>float_list</c>; <c>tf.float32</c>). Spec values are read as doubles.</summary>
    Float,

    /// <summary>UTF-8 text (<c>bytes_list</c>; <c>tf.string</c>).</summary>
    String,

    /// <summary>Arbitrary bytes (<c>bytes_list</c>; <c>tf.string</c>).</summary>
    Bytes,
}
