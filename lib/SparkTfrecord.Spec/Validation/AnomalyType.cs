namespace SparkTfrecord.Spec.Validation;

/// <summary>The kinds of anomaly validation reports; <see cref="AnomalyTypes.Name"/> gives TFDV's name where one fits.</summary>
internal enum AnomalyType
{
    MissingColumn,
    LowFractionPresent,
    LowNumberPresent,
    NewColumn,
    UnexpectedDataType,
    InvalidFeatureShape,
    LowNumberValues,
    HighNumberValues,
    UnexpectedStringValues,
    SmallInt,
    BigInt,
    IntNotInDomain,
    SmallFloat,
    BigFloat,
    HasNan,
    HasInf,
    NotSequenceExample,
    StepsMisaligned,
}
