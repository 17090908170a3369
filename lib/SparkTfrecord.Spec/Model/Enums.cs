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

/// <summary>How many values a feature holds per record.</summary>
public enum FeatureShape
{
    /// <summary>Exactly one value (TensorFlow shape <c>[]</c>).</summary>
    Scalar,

    /// <summary>Exactly <see cref="SpecFeature.Length"/> values (TensorFlow shape <c>[N]</c>).</summary>
    Fixed,

    /// <summary>Any number of values, padded for batching (<c>VarLenFeature</c>; padded shape <c>[None]</c>).</summary>
    Var,

    /// <summary>A feature list of a tf.train.SequenceExample: one value per frame, any number of frames.</summary>
    Sequence,
}

/// <summary>What a feature means to the model and the jobs.</summary>
public enum FeatureRole
{
    /// <summary>The training target; exactly one feature has it.</summary>
    Label,

    /// <summary>An attribute of the user.</summary>
    User,

    /// <summary>An attribute of the impression's context (device, time, page).</summary>
    Context,

    /// <summary>An attribute of the shown item.</summary>
    Item,

    /// <summary>The user's behaviour before the impression (for example the items clicked in the last 15 days).</summary>
    History,

    /// <summary>An identifier carried along for joins and debugging (for example a request id), not a model input.</summary>
    Key,

    /// <summary>Anything else.</summary>
    Other,
}
