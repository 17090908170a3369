namespace SparkTfrecord.Spec;

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
