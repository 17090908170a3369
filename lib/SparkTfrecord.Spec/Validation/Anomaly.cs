namespace SparkTfrecord.Spec.Validation;

/// <summary>One anomaly of one feature.</summary>
/// <param name="Type">TFDV's anomaly name where one fits (for example <c>SCHEMA_MISSING_COLUMN</c>).</param>
/// <param name="Description">What was found.</param>
/// <param name="Count">How many records show it.</param>
/// <param name="First">The first record that shows it, if it is a per-record anomaly.</param>
public sealed record Anomaly(string Type, string Description, long Count, RecordRef? First);
