using System.Globalization;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Tfrecord.Files;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Engine.Output;

/// <summary>
/// Sized part files (issue 14: <c>max_records_per_shard</c>, <c>target_shard_bytes</c>): the records come in the
/// project hash's order (the output order, across passes too) and are cut into consecutive files, a new file starting
/// when the next record would break the <see cref="ShardLimit"/>; so the files, in name order, are the whole output in
/// hash order, and a rerun cuts them at the same records. One file is open at a time. The number of files is known only
/// at the end, so they are written as <c>part-00000.tfrecord</c>, ... and renamed on <see cref="Close"/> to the names
/// every output has, <c>part-00000-of-00042.tfrecord</c> (inside the hidden work folder: nothing is visible before the
/// commit). An empty output is one empty file, as a fixed layout's empty shards are files too.
/// </summary>
internal sealed class SizedTfRecordWriter : IPartWriter
{
    private readonly string _root;
    private readonly string _subfolder;
    private readonly ShardLimit _limit;
    private readonly TfRecordCompression _compression;
    private readonly TfRecordWriterOptions _options;
    private readonly bool _index;
    // Every file so far, the open one last (its counts set when it is closed).
    private readonly List<(string Name, long Records)> _files = [];
    private TfRecordWriter? _writer;
    private TfRecordIndexWriter? _indexWriter;
    private long _records;
    private long _bytes;
    private long _lastHash = long.MinValue;

    /// <summary>Creates the writer; the first file is created with the first record (or on close).</summary>
    /// <param name="root">The output (work) folder.</param>
    /// <param name="subfolder">A folder below it ("" for none), such as <c>train</c>.</param>
    /// <param name="limit">The limit of each file.</param>
    /// <param name="compression">The compression (the limit counts the uncompressed, framed bytes).</param>
    /// <param name="index">Also write each part's index file (uncompressed parts only).</param>
    public SizedTfRecordWriter(string root, string subfolder, ShardLimit limit, TfRecordCompression compression, bool index = false)
    {
        if (index && compression != TfRecordCompression.None)
        {
            throw new ArgumentException("index files list offsets in uncompressed parts", nameof(index));
        }

        _root = root;
        _subfolder = subfolder;
        _limit = limit;
        _compression = compression;
        _index = index;
        _options = new TfRecordWriterOptions { Compression = compression, BufferSize = 1 << 18 };
        Directory.CreateDirectory(Path.Combine(root, subfolder));
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">A record's hash is below the one before it (the caller's order is broken).</exception>
    public void Write(long hash, ReadOnlySpan<byte> framedRecord)
    {
        // The files are only in hash order if the records are: a query or pass out of order is a bug, never data.
        if (hash < _lastHash)
        {
            throw new InvalidOperationException($"sized shards need the records in hash order, but hash {hash} came after {_lastHash}.");
        }

        _lastHash = hash;
        if (_writer is not null && _limit.StartsNewFile(_records, _bytes, framedRecord.Length))
        {
            CloseFile();
        }

        var writer = _writer ?? OpenFile();
        writer.WriteFramed(framedRecord);
        _indexWriter?.Add(framedRecord.Length);
        _records++;
        _bytes += framedRecord.Length;
    }

    /// <inheritdoc/>
    public IReadOnlyList<ManifestShard> Close()
    {
        if (_writer is null && _files.Count == 0)
        {
            OpenFile();
        }

        if (_writer is not null)
        {
            CloseFile();
        }

        var parts = new List<ManifestShard>(_files.Count);
        for (int i = 0; i < _files.Count; i++)
        {
            var (written, records) = _files[i];
            string name = Path.Combine(_subfolder, ShardedTfRecordWriter.PartName(i, _files.Count, _compression));
            File.Move(Path.Combine(_root, written), Path.Combine(_root, name), overwrite: true);
            string? index = null;
            if (_index)
            {
                index = TfRecordIndex.InIndexFolder(name);
                File.Move(Path.Combine(_root, TfRecordIndex.InIndexFolder(written)), Path.Combine(_root, index), overwrite: true);
                index = index.Replace(Path.DirectorySeparatorChar, '/');
            }

            parts.Add(new ManifestShard(name.Replace(Path.DirectorySeparatorChar, '/'), records, new FileInfo(Path.Combine(_root, name)).Length) { Index = index });
        }

        _files.Clear();
        return parts;
    }

    // The file being written: named by its number alone until the count is known.
    private TfRecordWriter OpenFile()
    {
        string name = Path.Combine(_subfolder, $"part-{_files.Count.ToString("D5", CultureInfo.InvariantCulture)}{ShardedTfRecordWriter.Extension(_compression)}");
        _writer = TfRecordWriter.Create(Path.Combine(_root, name), _options);
        if (_index)
        {
            _indexWriter = TfRecordIndexWriter.Create(Path.Combine(_root, TfRecordIndex.InIndexFolder(name)));
        }

        _files.Add((name, 0));
        return _writer;
    }

    private void CloseFile()
    {
        _writer!.Dispose();
        _writer = null;
        _indexWriter?.Dispose();
        _indexWriter = null;
        _files[^1] = (_files[^1].Name, _records);
        _records = 0;
        _bytes = 0;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _writer?.Dispose();
        _indexWriter?.Dispose();
    }
}
