namespace SparkTfrecord.Tfrecord.Json;

/// <summary>Options of <see cref="ExampleJsonLines"/>.</summary>
public sealed class ExampleJsonLinesOptions
{
    /// <summary>The most records printed, over all the files. Default: no limit.</summary>
    public long Limit { get; init; } = long.MaxValue;

    /// <summary>
    /// Read every record as a tf.train.SequenceExample; by default each file's first records decide. A file none of
    /// whose first records has a <c>feature_lists</c> field (a file of tf.train.Examples) is then refused with a
    /// <see cref="TfRecordFormatException"/> naming it and its first record's offset.
    /// </summary>
    public bool ForceSequence { get; init; }

    /// <summary>
    /// Print a bytes value longer than this shortened, as <c>{"length": L, "head": ...}</c>. Null (the default): print
    /// every value whole, and refuse a record holding one longer than <see cref="ExampleJsonLines.MaxPrintedWhole"/>.
    /// </summary>
    public int? MaxBytesShown { get; init; }
}
