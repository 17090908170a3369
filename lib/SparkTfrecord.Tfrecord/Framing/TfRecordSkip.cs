namespace SparkTfrecord.Tfrecord.Framing;

/// <summary>What a reader in skip mode dropped: the damage it found and how much of the file it left unread.</summary>
/// <param name="Error">The error that would have been thrown.</param>
/// <param name="BytesSkipped">Uncompressed bytes from the damage to the end of the file, when they could be counted; otherwise -1.</param>
public sealed record TfRecordSkip(TfRecordFormatException Error, long BytesSkipped);
