namespace SparkTfrecord.Engine.Output;

/// <summary>
/// The part files of one folder (an output, or its <c>train/</c> or <c>eval/</c>): a fixed number of shards
/// (<see cref="ShardedTfRecordWriter"/>) or files cut within a size limit (<see cref="SizedTfRecordWriter"/>).
/// </summary>
internal interface IPartWriter : IDisposable
{
    /// <summary>Writes a framed record (as <c>ExampleEncoder.GetRecord</c> gives it).</summary>
    /// <param name="hash">The record's shard hash (the project hash of the shard key).</param>
    /// <param name="framedRecord">The record.</param>
    void Write(long hash, ReadOnlySpan<byte> framedRecord);

    /// <summary>Closes every part file and lists them in order, with their records and bytes.</summary>
    /// <returns>The parts.</returns>
    IReadOnlyList<ManifestShard> Close();
}
