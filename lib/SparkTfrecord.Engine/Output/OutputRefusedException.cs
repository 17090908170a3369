namespace SparkTfrecord.Engine.Output;

/// <summary>
/// The one exception for an output a run may not write, found before any work: refused by <see cref="OutputGuard"/>,
/// existing with <c>--no-clobber</c>, locked by another run, or a <c>--summary</c> file that cannot be written. The
/// message says what was found and how to proceed; the output is as it was.
/// </summary>
public sealed class OutputRefusedException : IOException
{
    /// <summary>Makes the exception.</summary>
    /// <param name="reason">Why.</param>
    /// <param name="output">The output (full path; the summary file for <see cref="OutputRefusal.SummaryNotWritable"/>).</param>
    /// <param name="message">The message for the user.</param>
    /// <param name="inner">The file system's error behind it, if any.</param>
    public OutputRefusedException(OutputRefusal reason, string output, string message, Exception? inner = null)
        : base(message, inner)
    {
        Reason = reason;
        Output = output;
    }

    /// <summary>Why the output was refused.</summary>
    public OutputRefusal Reason { get; }

    /// <summary>The output (full path), or the summary file.</summary>
    public string Output { get; }

    /// <summary>Whether <c>--force</c> would have let the run replace the output.</summary>
    public bool ForceOverrides => Reason is OutputRefusal.NotEmpty or OutputRefusal.NotTfRecord or OutputRefusal.NotAnIndex;
}
