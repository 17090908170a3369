namespace SparkTfrecord.Engine.Config;

/// <summary>Negative down-sampling and the train/eval split, both decided by <see cref="Hashing.ProjectHash"/>.</summary>
/// <param name="NegativeRate">The fraction of negatives kept (1 keeps all).</param>
/// <param name="EvalFraction">The fraction of samples put in the eval split (0 for no split).</param>
/// <param name="Salt">Mixed into the hashed key so that different jobs make independent decisions.</param>
/// <param name="Key">The columns of the impressions whose values are hashed.</param>
internal sealed record SamplingConfig(double NegativeRate, double EvalFraction, string Salt, IReadOnlyList<string> Key);
