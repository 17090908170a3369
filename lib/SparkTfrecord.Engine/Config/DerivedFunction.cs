namespace SparkTfrecord.Engine.Config;

/// <summary>The small set of derived features both engines render.</summary>
internal enum DerivedFunction
{
    /// <summary>The column as it is.</summary>
    None,

    /// <summary>Hour of day (0..23) of a time column, in the job's zone.</summary>
    HourOfDay,

    /// <summary>ISO day of week (1 = Monday .. 7 = Sunday) of a time column, in the job's zone.</summary>
    DayOfWeek,
}
