using System.Globalization;
using SparkTfrecord.Engine.Hashing;
using SparkTfrecord.Tfrecord.Files;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Engine.Output;

/// <summary>
/// Writes framed records into N part files named <c>part-00000-of-00016.tfrecord[.gz|.zlib]</c> in a folder; the
/// caller picks each record's shard. With an index, each part also gets its index file
/// <c>_index/&lt;part name&gt;.idx</c> in the part's folder (<see cref="TfRecordIndex"/>), written line by line from the
/// lengths of the records as they are written (the file is never read back).
/// </summary>
internal sealed class ShardedTfRecordWriter : IPartWriter
{
    private readonly string _root;
    private readonly string _relative;
    private readonly TfRecordWriter?[] _writers;
    private readonly string[] _names;
    private readonly TfRecordWriterOptions _options;

    // Index files (issue 14): one per part when asked for, else null.
    private readonly TfRecordIndexWriter?[]? _indexes;

    /// <summary>Creates the writer; part files are created when their first record comes (empty shards are written on close).</summary>
    /// <param name="root">The output (work) folder.</param>
    /// <param name="subfolder">A folder below it ("" for none), such as <c>train</c>.</param>
    /// <param name="shards">The number of parts.</param>
    /// <param name="compression">The compression.</param>
    /// <param name="index">Also write each part's index file (uncompressed parts only).</param>
    public ShardedTfRecordWriter(string root, string subfolder, int shards, TfRecordCompression compression, bool index = false)
    {
        if (index && compression != TfRecordCompression.None)
        {
            throw new ArgumentException("index files list offsets in uncompressed parts", nameof(index));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        _root = root;
        _relative = subfolder;
        Directory.CreateDirectory(Path.Combine(root, subfolder));
        _writers = new TfRecordWriter?[shards];
        _names = Enumerable.Range(0, shards).Select(i => Path.Combine(subfolder, PartName(i, shards, compression))).ToArray();
        _options = new TfRecordWriterOptions { Compression = compression, BufferSize = 1 << 18 };
        _indexes = index ? new TfRecordIndexWriter?[shards] : null;
    }

    /// <summary>The name of part <paramref name="part"/> of <paramref name="parts"/>: <c>part-00003-of-00016.tfrecord</c>
    /// and the compression's extension; the numbers have at least 5 digits, and as many as the last part's number
    /// needs, so that the names sort in the parts' order.</summary>
    /// <param name="part">The part, from 0.</param>
    /// <param name="parts">The number of parts.</param>
    /// <param name="compression">The compression.</param>
    /// <returns>The file name.</returns>
    public static string PartName(int part, int parts, TfRecordCompression compression)
    {
        string digits = "D" + Math.Max(5, (parts - 1).ToString(CultureInfo.InvariantCulture).Length).ToString(CultureInfo.InvariantCulture);
        return $"part-{part.ToString(digits, CultureInfo.InvariantCulture)}-of-{parts.ToString(digits, CultureInfo.InvariantCulture)}{Extension(compression)}";
    }

    /// <summary>A part file's extension: <c>.tfrecord</c>, <c>.tfrecord.gz</c> or <c>.tfrecord.zlib</c>.</summary>
    /// <param name="compression">The compression.</param>
    /// <returns>The extension.</returns>
    public static string Extension(TfRecordCompression compression) => compression switch
    {
        TfRecordCompression.Gzip => ".tfrecord.gz",
        TfRecordCompression.Zlib => ".tfrecord.zlib",
        _ => ".tfrecord",
    };

    /// <inheritdoc/>
    public void Write(long hash, ReadOnlySpan<byte> framedRecord) => WriteFramed(Sharding.ShardOf(hash, Shards), framedRecord);

    /// <summary>The number of shards.</summary>
    public int Shards => _writers.Length;

    /// <summary>Writes a framed record to a shard.</summary>
    /// <param name="shard">The shard, 0..N-1.</param>
    /// <param name="framedRecord">The record as <c>ExampleEncoder.GetRecord</c> gives it.</param>
    public void WriteFramed(int shard, ReadOnlySpan<byte> framedRecord)
    {
        var writer = _writers[shard] ?? Open(shard);
        writer.WriteFramed(framedRecord);
        _indexes?[shard]!.Add(framedRecord.Length);
    }

    /// <summary>The index file of a part, relative to the output folder.</summary>
    private string IndexName(int shard) => TfRecordIndex.InIndexFolder(_names[shard]);

    private TfRecordWriter Open(int shard)
    {
        var writer = _writers[shard] = TfRecordWriter.Create(Path.Combine(_root, _names[shard]), _options);
        if (_indexes is not null)
        {
            _indexes[shard] = TfRecordIndexWriter.Create(Path.Combine(_root, IndexName(shard)));
        }

        return writer;
    }

    /// <summary>Closes every part (creating the empty ones) and lists them.</summary>
    /// <returns>The parts in shard order, with their records counted.</returns>
    public IReadOnlyList<ManifestShard> Close()
    {
        var parts = new List<ManifestShard>(_writers.Length);
        for (int i = 0; i < _writers.Length; i++)
        {
            var writer = _writers[i] ?? Open(i);
            long records = writer.RecordCount;
            writer.Dispose();
            _writers[i] = null;
            string? index = null;
            if (_indexes?[i] is { } indexWriter)
            {
                indexWriter.Dispose();
                _indexes[i] = null;
                index = IndexName(i).Replace(Path.DirectorySeparatorChar, '/');
            }

            parts.Add(new ManifestShard(_names[i].Replace(Path.DirectorySeparatorChar, '/'), records, new FileInfo(Path.Combine(_root, _names[i])).Length) { Index = index });
        }

        return parts;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var w in _writers)
        {
            w?.Dispose();
        }

        foreach (var x in _indexes ?? [])
        {
            x?.Dispose();
        }
    }
}
