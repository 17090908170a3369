using System.Text;

namespace SparkTfrecord.Engine.Planning;

/// <summary>
/// What the job knows about a CSV or JSON-lines file from reading its bytes itself, before and independently of the
/// engine's reader: its physical lines, its blank lines, its longest line and its first line. The job checks the
/// engine's account of every file against these counts, so that no line is lost without a trace.
/// </summary>
/// <param name="Lines">Physical lines: line ends, plus a last line without one. A line end is <c>\n</c> (a <c>\r\n</c>
/// is one line end); with <paramref name="Lines"/> counted for JSON lines, a lone <c>\r</c> is one too, as the engine's
/// line reader takes it.</param>
/// <param name="BlankLines">Empty lines (nothing, or only <c>\r</c>, before the line end), which a CSV reader skips.</param>
/// <param name="LongestLine">The longest line's length in bytes, without its line end.</param>
/// <param name="LongestLineNumber">The 1-based line of the longest line (0 for an empty file).</param>
/// <param name="FirstLine">The first line's bytes, without a UTF-8 byte order mark and the line end (for a CSV header).</param>
internal sealed record TextFileScan(long Lines, long BlankLines, long LongestLine, long LongestLineNumber, byte[] FirstLine)
{
    // The most of the first line kept (a header longer than this is cut, which the header check reports).
    private const int FirstLineLimit = 1 << 20;

    /// <summary>Reads a file, streaming, and counts its lines.</summary>
    /// <param name="file">The file.</param>
    /// <param name="loneCarriageReturnEndsLine">Whether a <c>\r</c> not followed by <c>\n</c> ends a line (JSON lines).</param>
    /// <param name="cancellation">Stops the scan.</param>
    /// <returns>The counts.</returns>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static TextFileScan Read(string file, bool loneCarriageReturnEndsLine, CancellationToken cancellation = default)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return Read(stream, loneCarriageReturnEndsLine, cancellation);
    }

    /// <summary>Reads the first bytes of a file and counts the lines in them (see <see cref="Read(string, bool, CancellationToken)"/>).</summary>
    /// <param name="file">The file.</param>
    /// <param name="bytes">How many bytes to read (the start of a line, for whole lines before it).</param>
    /// <param name="loneCarriageReturnEndsLine">Whether a lone <c>\r</c> ends a line.</param>
    /// <returns>The counts.</returns>
    public static TextFileScan ReadPrefix(string file, long bytes, bool loneCarriageReturnEndsLine)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return Read(stream, loneCarriageReturnEndsLine, default, bytes);
    }

    /// <summary>Reads a stream to its end and counts its lines (see <see cref="Read(string, bool, CancellationToken)"/>).</summary>
    /// <param name="stream">The bytes.</param>
    /// <param name="loneCarriageReturnEndsLine">Whether a lone <c>\r</c> ends a line.</param>
    /// <param name="cancellation">Stops the scan.</param>
    /// <param name="maxBytes">Read at most this many bytes.</param>
    /// <returns>The counts.</returns>
    public static TextFileScan Read(Stream stream, bool loneCarriageReturnEndsLine, CancellationToken cancellation = default, long maxBytes = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] buffer = new byte[1 << 20];
        long lines = 0;
        long blank = 0;
        long longest = 0;
        long longestAt = 0;
        long length = 0; // the current line's bytes so far, without line end
        bool pendingCr = false; // the current line so far ends with a \r (not yet known to be part of \r\n)
        var first = new MemoryStream();
        bool inFirst = true;
        int n;
        long remaining = maxBytes;
        while (remaining > 0 && (n = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining))) > 0)
        {
            remaining -= n;
            cancellation.ThrowIfCancellationRequested();
            var span = buffer.AsSpan(0, n);
            int pos = 0;
            while (pos < span.Length)
            {
                var rest = span[pos..];
                int at = loneCarriageReturnEndsLine ? rest.IndexOfAny((byte)'\n', (byte)'\r') : rest.IndexOf((byte)'\n');
                int take = at < 0 ? rest.Length : at;
                if (take > 0)
                {
                    if (pendingCr && loneCarriageReturnEndsLine)
                    {
                        // The \r before these bytes was a line end of its own.
                        EndLine(length - 1);
                        length = 0;
                    }

                    pendingCr = !loneCarriageReturnEndsLine && rest[take - 1] == (byte)'\r';
                    if (inFirst && first.Length < FirstLineLimit)
                    {
                        first.Write(rest[..Math.Min(take, FirstLineLimit - (int)first.Length)]);
                    }

                    length += take;
                }

                if (at < 0)
                {
                    break;
                }

                if (rest[at] == (byte)'\r')
                {
                    // JSON lines: a \r ends the line unless a \n follows (known only at the next byte).
                    if (pendingCr)
                    {
                        EndLine(length - 1);
                        length = 0;
                    }

                    pendingCr = true;
                    length++;
                }
                else
                {
                    // A \n: the line ends; a \r just before it belongs to the line end.
                    EndLine(pendingCr ? length - 1 : length);
                    length = 0;
                    pendingCr = false;
                }

                pos += at + 1;
            }
        }

        if (pendingCr && loneCarriageReturnEndsLine)
        {
            EndLine(length - 1);
        }
        else if (length > 0)
        {
            EndLine(pendingCr ? length - 1 : length);
        }

        byte[] firstLine = first.ToArray();
        if (firstLine.AsSpan().StartsWith(Encoding.UTF8.Preamble))
        {
            firstLine = firstLine[3..];
        }

        if (firstLine.Length > 0 && firstLine[^1] == (byte)'\r')
        {
            firstLine = firstLine[..^1];
        }

        return new TextFileScan(lines, blank, longest, longestAt, firstLine);

        void EndLine(long bytes)
        {
            lines++;
            inFirst = false;
            if (bytes == 0)
            {
                blank++;
            }

            if (bytes > longest)
            {
                longest = bytes;
                longestAt = lines;
            }
        }
    }
}
