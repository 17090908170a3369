namespace SparkTfrecord.Engine.Config;

/// <summary>Negative down-sampling and the train/eval split, both decided by <see cref="Hashing.ProjectHash"/>, or the
/// split by time (<see cref="TimeSplit"/>).</summary>
/// <param name="NegativeRate">The fraction of negatives kept (1 keeps all).</param>
/// <param name="EvalFraction">The fraction of samples put in the eval split by the hash (0 for no hash split).</param>
/// <param name="Salt">Mixed into the hashed key so that different jobs make independent decisions.</param>
/// <param name="Key">The columns of the impressions whose values are hashed.</param>
internal sealed record SamplingConfig(double NegativeRate, double EvalFraction, string Salt, IReadOnlyList<string> Key)
{
    /// <summary>The float feature that gets each written sample's weight (<c>sampling.weight</c>): <c>1 / NegativeRate</c>
    /// on kept negatives of the primary label, 1 on its positives; null for none.</summary>
    public string? Weight { get; init; }

    /// <summary>The split by impression time (<c>sampling.split: {by: time, ...}</c>), or null for the hash split.</summary>
    public TimeSplit? TimeSplit { get; init; }

    /// <summary>True when some samples go to eval/ (and the output has train/ and eval/ folders).</summary>
    public bool HasEval => EvalFraction > 0.0 || TimeSplit is not null;
}
