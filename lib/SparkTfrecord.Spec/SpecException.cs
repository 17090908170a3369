namespace SparkTfrecord.Spec;

/// <summary>
/// A feature spec that cannot be used: a YAML syntax error, an unknown key, a value of the wrong type, a rule of the
/// spec broken. The message names the file, the line and the column (1-based) and says what to do.
/// </summary>
public sealed class SpecException : Exception
{
    /// <summary>Creates the exception for a problem at a place in a spec file.</summary>
    /// <param name="file">The spec file's path as given to the loader.</param>
    /// <param name="line">1-based line of the offending node.</param>
    /// <param name="column">1-based column of the offending node.</param>
    /// <param name="problem">What is wrong, as a sentence without a final period.</param>
    /// <param name="hint">What to do about it, as a sentence; may be empty.</param>
    /// <param name="inner">The exception that revealed the problem, if any.</param>
    public SpecException(string file, long line, long column, string problem, string hint, Exception? inner = null)
        : base(Format(file, line, column, problem, hint), inner)
    {
        File = file;
        Line = line;
        Column = column;
        Problem = problem;
        Hint = hint;
    }

    /// <summary>The spec file's path as given to the loader.</summary>
    public string File { get; }

    /// <summary>1-based line of the offending node (0 when the problem is the file as a whole).</summary>
    public long Line { get; }

    /// <summary>1-based column of the offending node (0 when the problem is the file as a whole).</summary>
    public long Column { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }

    /// <summary>What to do about it.</summary>
    public string Hint { get; }

    private static string Format(string file, long line, long column, string problem, string hint) =>
        hint.Length == 0 ? $"{file}:{line}:{column}: {problem}." : $"{file}:{line}:{column}: {problem}. {hint}";
}
