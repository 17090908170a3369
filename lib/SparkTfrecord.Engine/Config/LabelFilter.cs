namespace SparkTfrecord.Engine.Config;

/// <summary>One column of a label's event filter: the event counts when the column's text is one of <see cref="Values"/>.</summary>
/// <param name="Column">A column of the label's event source.</param>
/// <param name="Values">The allowed texts (compared as text, as keys are).</param>
internal sealed record LabelFilter(string Column, IReadOnlyList<string> Values);
