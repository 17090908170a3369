namespace SparkTfrecord.Engine.Jobs;

/// <summary>An output pass ran out of memory: a signal inside <see cref="SamplesJob"/>, which writes the day again in
/// more passes, or reports it as <see cref="JobFailedException"/> (<see cref="JobFailure.OutOfMemory"/>). Never
/// leaves the library.</summary>
/// <param name="phase">The pass.</param>
/// <param name="inner">DuckDB's or .NET's error.</param>
internal sealed class PassOutOfMemoryException(string phase, Exception inner) : Exception(phase, inner)
{
    /// <summary>The pass, as the message names it.</summary>
    public string Phase { get; } = phase;
}
