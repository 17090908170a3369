namespace SparkTfrecord.Spec.Statistics;

/// <summary>The statistics of one feature that the report shows and a later run compares against.</summary>
/// <param name="Name">The feature's name.</param>
/// <param name="Kind">The list kind seen: int64, float, bytes, mixed, or none.</param>
/// <param name="IsList">A list of any length (a history): the report shows its length histogram.</param>
/// <param name="Present">Records that have the feature.</param>
/// <param name="ValuesPerRecord">Values per record that has it (a list's length).</param>
/// <param name="Numbers">The values of an int64 or float feature, or null.</param>
/// <param name="Strings">The values of a bytes feature, or null.</param>
/// <param name="DistinctApprox">Approximate distinct count of bytes values (HyperLogLog), or null.</param>
public sealed record FeatureStatistics(
    string Name,
    string Kind,
    bool IsList,
    long Present,
    Distribution ValuesPerRecord,
    Distribution? Numbers,
    StringValues? Strings,
    long? DistinctApprox);
