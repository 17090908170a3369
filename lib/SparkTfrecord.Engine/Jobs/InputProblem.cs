namespace SparkTfrecord.Engine.Jobs;

/// <summary>What is wrong with a run's input (see <see cref="InputDataException"/>).</summary>
public enum InputProblem
{
    /// <summary>An input names nothing, or a required source has no files.</summary>
    NoFiles,

    /// <summary>A file's name cannot be passed to the embedded engine literally.</summary>
    UnreadableName,

    /// <summary>A line is too long for the reader to step over.</summary>
    LineTooLong,

    /// <summary>A CSV header is unterminated, not UTF-8, or differs from the source's other files.</summary>
    BadHeader,

    /// <summary>A file's text cannot be read (not UTF-8 in a Parquet string column, a stray carriage return in CSV).</summary>
    BadText,

    /// <summary>A file's lines or rows are not all accounted for (a quote never closed, a row count its metadata denies).</summary>
    LinesUnaccounted,

    /// <summary>A column the job reads is missing from the input.</summary>
    MissingColumn,

    /// <summary>A key column is a float or a timestamp in the files: keys are compared and hashed as text, and those
    /// types print differently on the engines (clause key-text).</summary>
    KeyColumnType,
}
