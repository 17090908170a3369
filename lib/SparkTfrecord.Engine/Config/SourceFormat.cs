namespace SparkTfrecord.Engine.Config;

/// <summary>The file format of a source.</summary>
public enum SourceFormat
{
    /// <summary>Apache Parquet files.</summary>
    Parquet,

    /// <summary>Delimited text, with or without a header line.</summary>
    Csv,

    /// <summary>One JSON object per line.</summary>
    JsonLines,
}
