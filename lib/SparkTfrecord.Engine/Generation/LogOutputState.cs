namespace SparkTfrecord.Engine.Generation;

/// <summary>What a log output folder is (see <see cref="LogOutputFolder.Check"/>).</summary>
public enum LogOutputState
{
    /// <summary>Missing, empty, or written before by the generator: logs may be written there.</summary>
    Writable,

    /// <summary>A file, not a folder.</summary>
    File,

    /// <summary>A folder with other contents and no <see cref="LogOutputFolder.Marker"/>: writing would replace its files.</summary>
    Foreign,
}
