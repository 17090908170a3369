namespace SparkTfrecord.Engine.Jobs;

/// <summary>
/// The one exception the engine throws for bad input: a missing input, a file whose name, lines, header or text
/// cannot be read, a column the job needs that the input lacks. The message names the source and file where known and
/// says what to do; nothing was written. An <see cref="IOException"/>, as the format library's
/// <see cref="SparkTfrecord.Tfrecord.TfRecordFormatException"/> is.
/// </summary>
public sealed class InputDataException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="problem">What is wrong.</param>
    /// <param name="message">The full message: the source and file, what is wrong and what to do.</param>
    /// <param name="filePath">The file (or input path) at fault, if known.</param>
    /// <param name="inner">The error behind it (the engine's, the file system's), if any.</param>
    public InputDataException(InputProblem problem, string message, string? filePath = null, Exception? inner = null)
        : base(message, inner)
    {
        Problem = problem;
        FilePath = filePath;
    }

    /// <summary>What is wrong.</summary>
    public InputProblem Problem { get; }

    /// <summary>The file (or input path) at fault, if known.</summary>
    public string? FilePath { get; }
}
