namespace SparkTfrecord.Tfrecord.Files;

/// <summary>A TFRecord file and the index file made for it.</summary>
/// <param name="DataFile">The TFRecord file.</param>
/// <param name="IndexFile">Its index file (see <see cref="TfRecordIndex"/> for where it goes).</param>
public sealed record TfRecordIndexTarget(string DataFile, string IndexFile);
