using System.Globalization;
using System.Security.Cryptography;

namespace SparkTfrecord.Engine.State;

/// <summary>
/// What a snapshot remembers of an input file it covers: path, size, modification time and a hash, the SHA-256 of the
/// whole content for files up to <see cref="FullHashLimit"/> bytes, and of a sample (the size and 64 KiB at the start,
/// the middle and the end) for larger ones: a full hash of a large file costs as much as reading it.
/// </summary>
/// <param name="Path">The file's full path.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="Modified">Its last write time, UTC, round-trip text.</param>
/// <param name="Hash">The hash, <c>sha256:</c> and hex digits.</param>
/// <param name="HashKind"><c>full</c> or <c>sampled</c>.</param>
internal sealed record FileFingerprint(string Path, long Size, string Modified, string Hash, string HashKind)
{
    /// <summary>Files up to this size are hashed whole.</summary>
    public const long FullHashLimit = 8L * 1024 * 1024;

    private const int SampleBytes = 64 * 1024;

    /// <summary>The fingerprint of a file as it is now.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The fingerprint.</returns>
    public static FileFingerprint Of(string path)
    {
        var info = new FileInfo(path);
        string modified = info.LastWriteTimeUtc.ToString("O", CultureInfo.InvariantCulture);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        long size = stream.Length;
        if (size <= FullHashLimit)
        {
            return new FileFingerprint(info.FullName, size, modified, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(stream)), "full");
        }

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(BitConverter.GetBytes(size));
        var buffer = new byte[SampleBytes];
        foreach (long at in new[] { 0, size / 2 - SampleBytes / 2, size - SampleBytes })
        {
            stream.Position = at;
            stream.ReadExactly(buffer);
            sha.AppendData(buffer);
        }

        return new FileFingerprint(info.FullName, size, modified, "sha256:" + Convert.ToHexStringLower(sha.GetHashAndReset()), "sampled");
    }

    /// <summary>How this (recorded) fingerprint differs from another (now), or null when they are the same.</summary>
    /// <param name="now">The file as it is now.</param>
    /// <returns>The difference in words.</returns>
    public string? DifferenceFrom(FileFingerprint now)
    {
        ArgumentNullException.ThrowIfNull(now);
        if (Size != now.Size)
        {
            return $"file {Path} changed (size {Size} -> {now.Size})";
        }

        if (Modified != now.Modified)
        {
            return $"file {Path} changed (modified {Modified} -> {now.Modified})";
        }

        return Hash != now.Hash || HashKind != now.HashKind ? $"file {Path} changed (content hash)" : null;
    }
}
