using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SparkTfrecord.Engine.Hashing;

/// <summary>
/// The project's hash, the one function that picks shards, orders records within a shard, down-samples negatives and
/// splits train from eval, in every engine: the first 15 hexadecimal digits (60 bits) of the MD5 digest of the key's
/// UTF-8 bytes, read as a non-negative 64-bit integer. MD5 is specified by RFC 1321 and every SQL engine we render
/// computes it the same way (DuckDB <c>md5</c>, Spark SQL <c>md5</c>, both giving lowercase hex), and 60 bits fit a
/// signed BIGINT in every engine without overflow, so no engine-specific hash (xxhash64, murmur3, DuckDB's hash) is
/// involved. MD5 is used for its spread, not for security.
/// </summary>
/// <remarks>
/// A key of several columns is their text joined by <see cref="Separator"/> (U+001F); a null column is the empty
/// text. Integers are written in invariant decimal, as both engines cast them. Sampling keys are prefixed with a
/// purpose and the job's salt: <c>neg␟salt␟key</c> for down-sampling, <c>split␟salt␟key</c> for the split.
/// </remarks>
internal static class ProjectHash
{
    /// <summary>The separator between the columns of a composite key (the ASCII unit separator).</summary>
    public const char Separator = '\u001f';

    /// <summary>The denominator of sampling rates: a rate r keeps keys whose hash modulo this is below r times it.</summary>
    public const long RateScale = 1_000_000;

    /// <summary>Hashes a key's text.</summary>
    /// <param name="key">The key.</param>
    /// <returns>A value in [0, 2^60).</returns>
    public static long Of(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        int max = Encoding.UTF8.GetMaxByteCount(key.Length);
        byte[]? rented = max > 512 ? ArrayPool<byte>.Shared.Rent(max) : null;
        Span<byte> utf8 = rented is null ? stackalloc byte[512] : rented;
        try
        {
            int n = Encoding.UTF8.GetBytes(key, utf8);
            return OfUtf8(utf8[..n]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Hashes a key's UTF-8 bytes.</summary>
    /// <param name="utf8">The bytes.</param>
    /// <returns>A value in [0, 2^60).</returns>
    public static long OfUtf8(ReadOnlySpan<byte> utf8)
    {
        Span<byte> digest = stackalloc byte[16];
        MD5.HashData(utf8, digest);

        // The first 15 hex digits are the first 7 bytes and the high nibble of the 8th.
        ulong v = 0;
        for (int i = 0; i < 7; i++)
        {
            v = (v << 8) | digest[i];
        }

        return (long)((v << 4) | (uint)(digest[7] >> 4));
    }

    /// <summary>Joins the columns of a composite key the way the SQL renderings do.</summary>
    /// <param name="columns">The column values (null for null).</param>
    /// <returns>The key text.</returns>
    public static string Key(params object?[] columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        return string.Join(Separator, columns.Select(c => c switch
        {
            null => "",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => c.ToString() ?? "",
        }));
    }

    /// <summary>Whether a negative sample with this key is kept at <paramref name="rate"/>.</summary>
    /// <param name="salt">The job's salt.</param>
    /// <param name="key">The sample's key text.</param>
    /// <param name="rate">The fraction kept.</param>
    /// <returns>True to keep it.</returns>
    public static bool KeepNegative(string salt, string key, double rate) =>
        Of($"neg{Separator}{salt}{Separator}{key}") % RateScale < Threshold(rate);

    /// <summary>Whether a sample with this key goes to the eval split at <paramref name="fraction"/>.</summary>
    /// <param name="salt">The job's salt.</param>
    /// <param name="key">The sample's key text.</param>
    /// <param name="fraction">The fraction in eval.</param>
    /// <returns>True for eval.</returns>
    public static bool IsEval(string salt, string key, double fraction) =>
        Of($"split{Separator}{salt}{Separator}{key}") % RateScale < Threshold(fraction);

    /// <summary>The integer threshold a rate stands for: <c>round(rate * 1e6)</c>.</summary>
    /// <param name="rate">A fraction in [0, 1].</param>
    /// <returns>The threshold.</returns>
    public static long Threshold(double rate) => (long)Math.Round(rate * RateScale, MidpointRounding.AwayFromZero);
}
