namespace SparkTfrecord.Engine.Jobs;

/// <summary>Why a run failed (see <see cref="JobFailedException"/>).</summary>
public enum JobFailure
{
    /// <summary>More input rows are bad than the job allows (quarantine.max_bad_fraction or --max-bad-fraction).</summary>
    TooManyBadRows,

    /// <summary>The day fails its sanity checks (an empty day, too many rows outside the date).</summary>
    DayChecks,

    /// <summary>The day's distributions moved from the previous day's further than the spec's drift: thresholds allow.</summary>
    Drift,

    /// <summary>The engine ran out of memory.</summary>
    OutOfMemory,

    /// <summary>The file system filled up while the run wrote.</summary>
    DiskFull,

    /// <summary>The engine failed on a statement for a reason the job cannot name more precisely.</summary>
    EngineError,

    /// <summary>What was written does not hold the number of records the run was told to expect.</summary>
    CountMismatch,
}
