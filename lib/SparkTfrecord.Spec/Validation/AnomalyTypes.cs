namespace SparkTfrecord.Spec.Validation;

internal static class AnomalyTypes
{
    public static string Name(AnomalyType type) => type switch
    {
        AnomalyType.MissingColumn => "SCHEMA_MISSING_COLUMN",
        AnomalyType.LowFractionPresent => "FEATURE_TYPE_LOW_FRACTION_PRESENT",
        AnomalyType.LowNumberPresent => "FEATURE_TYPE_LOW_NUMBER_PRESENT",
        AnomalyType.NewColumn => "SCHEMA_NEW_COLUMN",
        AnomalyType.UnexpectedDataType => "UNEXPECTED_DATA_TYPE",
        AnomalyType.InvalidFeatureShape => "INVALID_FEATURE_SHAPE",
        AnomalyType.LowNumberValues => "FEATURE_TYPE_LOW_NUMBER_VALUES",
        AnomalyType.HighNumberValues => "FEATURE_TYPE_HIGH_NUMBER_VALUES",
        AnomalyType.UnexpectedStringValues => "ENUM_TYPE_UNEXPECTED_STRING_VALUES",
        AnomalyType.SmallInt => "INT_TYPE_SMALL_INT",
        AnomalyType.BigInt => "INT_TYPE_BIG_INT",
        AnomalyType.IntNotInDomain => "INT_TYPE_NOT_IN_DOMAIN", // no TFDV equivalent: TFDV int domains are ranges
        AnomalyType.SmallFloat => "FLOAT_TYPE_SMALL_FLOAT",
        AnomalyType.BigFloat => "FLOAT_TYPE_BIG_FLOAT",
        AnomalyType.HasNan => "FLOAT_TYPE_HAS_NAN",
        AnomalyType.NotSequenceExample => "NOT_A_SEQUENCE_EXAMPLE", // no TFDV equivalent: TFDV reads one record type per dataset
        AnomalyType.StepsMisaligned => "SEQUENCE_STEPS_MISALIGNED", // no TFDV equivalent: a companion's frames follow its history's
        _ => "FLOAT_TYPE_HAS_INF",
    };
}
