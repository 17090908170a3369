namespace SparkTfrecord.Tfrecord.Files;

/// <summary>The records of the files directly in one folder (for a split output: its <c>train/</c> or <c>eval/</c>).</summary>
/// <param name="Folder">The folder, as the files' paths name it (<c>.</c> for files given without a folder).</param>
/// <param name="Records">The records of its files.</param>
public sealed record TfRecordFolderCount(string Folder, long Records);
