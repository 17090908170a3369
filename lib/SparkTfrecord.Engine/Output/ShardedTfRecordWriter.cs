using System.Globalization;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Engine.Output;

/// <summary>
/// Writes framed records into N part files named <c>part-00000-of-00016.tfrecord[.gz|.zlib]</c> in a folder; the
/// caller picks each record's shard.
/// </summary>
internal sealed class ShardedTfRecordWriter : IDisposable
{
    private readonly string _root;
    private readonly string _relative;
    private readonly TfRecordWriter?[] _writers;
    private readonly string[] _names;
    private readonly TfRecordWriterOptions _options;

    /// <summary>Creates the writer; part files are created when their first record comes (empty shards are written on close).</summary>
    /// <param name="root">The output (work) folder.</param>
    /// <param name="subfolder">A folder below it ("" for none), such as <c>train</c>.</param>
    /// <param name="shards">The number of parts.</param>
    /// <param name="compression">The compression.</param>
    public ShardedTfRecordWriter(string root, string subfolder, int shards, TfRecordCompression compression)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        _root = root;
        _relative = subfolder;
        Directory.CreateDirectory(Path.Combine(root, subfolder));
        _writers = new TfRecordWriter?[shards];
        string extension = compression switch
        {
            TfRecordCompression.Gzip => ".tfrecord.gz",
            TfRecordCompression.Zlib => ".tfrecord.zlib",
            _ => ".tfrecord",
        };
        string of = shards.ToString("D5", CultureInfo.InvariantCulture);
        _names = Enumerable.Range(0, shards)
            .Select(i => Path.Combine(subfolder, $"part-{i.ToString("D5", CultureInfo.InvariantCulture)}-of-{of}{extension}"))
            .ToArray();
        _options = new TfRecordWriterOptions { Compression = compression, BufferSize = 1 << 18 };
    }

    /// <summary>The number of shards.</summary>
    public int Shards => _writers.Length;

    /// <summary>Writes a framed record to a shard.</summary>
    /// <param name="shard">The shard, 0..N-1.</param>
    /// <param name="framedRecord">The record as <c>ExampleEncoder.GetRecord</c> gives it.</param>
    public void WriteFramed(int shard, ReadOnlySpan<byte> framedRecord)
    {
        var writer = _writers[shard] ??= TfRecordWriter.Create(Path.Combine(_root, _names[shard]), _options);
        writer.WriteFramed(framedRecord);
    }

    /// <summary>Closes every part (creating the empty ones) and lists them.</summary>
    /// <returns>The parts in shard order, with their records counted.</returns>
    public IReadOnlyList<ManifestShard> Close()
    {
        var parts = new List<ManifestShard>(_writers.Length);
        for (int i = 0; i < _writers.Length; i++)
        {
            var writer = _writers[i] ??= TfRecordWriter.Create(Path.Combine(_root, _names[i]), _options);
            long records = writer.RecordCount;
            writer.Dispose();
            _writers[i] = null;
            parts.Add(new ManifestShard(_names[i].Replace(Path.DirectorySeparatorChar, '/'), records, new FileInfo(Path.Combine(_root, _names[i])).Length));
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
    }
}
