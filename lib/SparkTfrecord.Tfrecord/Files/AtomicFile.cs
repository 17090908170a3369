using System.Text;

namespace SparkTfrecord.Tfrecord.Files;

/// <summary>
/// Writes a file so that a reader never sees it half-written: the bytes go to a hidden temporary file beside the target
/// (same folder, so the same file system), which is then renamed over the target in one step. A failure removes the
/// temporary file and leaves the target as it was.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes the file at <paramref name="path"/> through <paramref name="write"/>, then puts it in place.</summary>
    /// <param name="path">The target file; relative paths are taken from the current folder.</param>
    /// <param name="write">Writes the whole content to the stream it is given (the temporary file).</param>
    /// <exception cref="IOException">The temporary file could not be written or renamed.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder is not writable.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string temp = TemporaryPathBeside(full);
        try
        {
            using (FileStream stream = File.Create(temp))
            {
                write(stream);
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte order mark, atomically (see <see cref="Write"/>).</summary>
    /// <param name="path">The target file.</param>
    /// <param name="text">The whole content.</param>
    /// <exception cref="IOException">The temporary file could not be written or renamed.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder is not writable.</exception>
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
            writer.Write(text);
        });
    }

    /// <summary>
    /// The temporary file a write to <paramref name="fullPath"/> goes through: <c>.&lt;name&gt;.&lt;pid&gt;.tmp</c> in the
    /// same folder. Its leading dot keeps it out of folder listings of data files (<see cref="TfRecordPaths"/>), and the
    /// process id keeps two processes writing the same target apart.
    /// </summary>
    /// <param name="fullPath">The target, as a full path.</param>
    /// <returns>The temporary file's full path.</returns>
    public static string TemporaryPathBeside(string fullPath)
    {
        ArgumentNullException.ThrowIfNull(fullPath);
        return Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}.tmp");
    }
}
