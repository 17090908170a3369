using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using SparkTfrecord.Spec.Validation;
using SparkTfrecord.Tfrecord.Example;

namespace SparkTfrecord.Spec.Statistics;

/// <summary>
/// Counts the string features' top values (<see cref="FeatureProfile.Strings"/>), and their distinct counts where the
/// checks need no value of their own, on a thread of its own while the validator checks the records: the lookups in
/// <see cref="TopValues"/> were most of what the statistics added to a validation, and the second core was idle. The
/// validator hands over each feature's values as it visits them, in the order it would have counted them itself, so the
/// counts are the same as counting on one thread.
/// </summary>
/// <remarks>
/// What crosses between the threads is cheap to make: each record's payload, copied whole, and for each feature visit
/// where its values lie in it, as the decoder found them (<see cref="BytesValues.GetRun"/>: a history's item ids, all
/// one length, are one run); the counting thread hashes the values itself. Payloads and runs go in batches of about a
/// MB over a bounded queue: a handover per value or per record cost more than the counting it moved, and a copy per
/// value or run more than one per payload. Nothing the counting thread touches is written by the validator, so no cache
/// line goes back and forth for every record.
/// </remarks>
internal sealed class TopValuesFeed
{
    // Small enough that the validator, when it asks for its report, waits little for the last batches to be counted.
    private const int BatchBytes = 1 << 20;
    private const int InFlight = 4;

    private readonly FeatureStats[] _features;
    private readonly HyperLogLog?[] _distinct;
    private readonly TopValues?[] _tops;
    // The batches are used again and again: a fresh array per batch is zeroed memory, page faults and collections.
    private readonly ConcurrentBag<Batch> _free = [];
    private BlockingCollection<Batch>? _full;
    private CancellationTokenSource? _failed;
    private Thread? _thread;
    private Batch? _filling;
    private ExceptionDispatchInfo? _error;

    /// <param name="features">The features whose values are counted (their <see cref="FeatureStats.Profile"/> and
    /// <see cref="FeatureStats.Distinct"/>), by the index <see cref="Add"/> is given.</param>
    public TopValuesFeed(FeatureStats[] features)
    {
        _features = features;
        _distinct = new HyperLogLog?[features.Length];
        _tops = new TopValues?[features.Length];
    }

    /// <summary>Starts a counting thread (until <see cref="Finish"/> or <see cref="Stop"/>).</summary>
    public void Start()
    {
        _full = new BlockingCollection<Batch>(InFlight);
        _failed = new CancellationTokenSource();
        _error = null;
        _filling = Free();
        _thread = new Thread(Count) { IsBackground = true, Name = "sparktf top values" };
        _thread.Start();
    }

    /// <summary>Starts a record: its payload is copied, for the values <see cref="Add"/> hands over.</summary>
    public void BeginRecord(ReadOnlySpan<byte> payload)
    {
        if (!_filling!.TryBeginRecord(payload))
        {
            Hand(_filling);
            _filling = Free();
            _filling.TryBeginRecord(payload); // an empty batch takes any payload
        }
    }

    /// <summary>Hands over the values of a feature of the record begun last.</summary>
    /// <param name="feature">The index of the feature's profile.</param>
    /// <param name="values">Its values (in the payload given to <see cref="BeginRecord"/>).</param>
    /// <param name="countDistinct">Whether they go to the feature's distinct count here too (the validator then leaves it
    /// alone until <see cref="Finish"/>).</param>
    public void Add(int feature, BytesValues values, bool countDistinct)
    {
        for (int i = 0; i < values.RunCount; i++)
        {
            _filling!.AddRun(feature, values.GetRun(i), countDistinct);
        }
    }

    /// <summary>Waits until every value handed over is counted, and ends the counting thread.</summary>
    /// <exception cref="Exception">What stopped the counting thread, if anything did.</exception>
    public void Finish()
    {
        Stop();
        _error?.Throw();
    }

    /// <summary>
    /// Waits until every value handed over is counted (unless the counting thread failed), and ends the counting thread;
    /// for a validation that failed, whose own error is the one to report.
    /// </summary>
    public void Stop()
    {
        if (_thread is null)
        {
            return;
        }

        if (!_filling!.IsEmpty && _error is null)
        {
            try
            {
                _full!.Add(_filling, _failed!.Token);
                _filling = null;
            }
            catch (OperationCanceledException)
            {
                // The counting thread failed meanwhile: Finish reports its error.
            }
        }

        _full!.CompleteAdding();
        _thread.Join();
        _thread = null;
        _full.Dispose();
        _failed!.Dispose();
        if (_filling is not null)
        {
            _filling.Clear();
            _free.Add(_filling);
            _filling = null;
        }
    }

    private Batch Free() => _free.TryTake(out Batch? free) ? free : new Batch();

    private void Hand(Batch batch)
    {
        try
        {
            _full!.Add(batch, _failed!.Token);
        }
        catch (OperationCanceledException)
        {
            _error!.Throw(); // the counting thread failed: its error rather than the cancellation
        }
    }

    // The counting thread.
    private void Count()
    {
        try
        {
            foreach (Batch batch in _full!.GetConsumingEnumerable())
            {
                batch.CountInto(this);
                batch.Clear();
                _free.Add(batch);
            }
        }
        catch (Exception e)
        {
            _error = ExceptionDispatchInfo.Capture(e);
            _failed!.Cancel();
        }
    }

    // Each feature's counts are found once, then kept here: the validator writes its FeatureStats for every record.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private TopValues FindTop(int feature) => _tops[feature] = _features[feature].Profile!.Strings;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private HyperLogLog FindDistinct(int feature) => _distinct[feature] = _features[feature].Distinct;

    /// <summary>Payloads back to back in one buffer, and the runs of values to count in them.</summary>
    private sealed class Batch
    {
        // The payloads lie between padding that HyperLogLog.Hash64Padded may read.
        private const int Padding = HyperLogLog.Padding;

        private byte[] _bytes = new byte[Padding + BatchBytes + Padding];
        private Run[] _runs = new Run[4096];
        private int _used = Padding;
        private int _record; // where the payload begun last starts
        private int _count;

        public bool IsEmpty => _used == Padding;

        /// <summary>Copies a payload if it fits; an empty batch takes any payload (growing for a larger one).</summary>
        public bool TryBeginRecord(ReadOnlySpan<byte> payload)
        {
            if (_used + payload.Length + Padding > _bytes.Length)
            {
                if (!IsEmpty)
                {
                    return false;
                }

                _bytes = new byte[Padding + payload.Length + Padding];
            }

            payload.CopyTo(_bytes.AsSpan(_used));
            _record = _used;
            _used += payload.Length;
            return true;
        }

        public void AddRun(int feature, BytesRun run, bool countDistinct)
        {
            if (_count == _runs.Length)
            {
                Array.Resize(ref _runs, _runs.Length * 2);
            }

            _runs[_count++] = new Run(feature, _record + run.Start, _record + run.LastStart, run.Length, run.Stride, countDistinct);
        }

        public void CountInto(TopValuesFeed feed)
        {
            ReadOnlySpan<byte> bytes = _bytes.AsSpan(0, _used);
            ref byte start = ref MemoryMarshal.GetArrayDataReference(_bytes);
            TopValues?[] tops = feed._tops;
            HyperLogLog?[] distincts = feed._distinct;
            foreach (Run run in _runs.AsSpan(0, _count))
            {
                TopValues top = tops[run.Feature] ?? feed.FindTop(run.Feature);
                HyperLogLog? distinct = run.CountDistinct ? distincts[run.Feature] ?? feed.FindDistinct(run.Feature) : null;
                for (int at = run.Start; at <= run.LastStart; at += run.Stride)
                {
                    // The slice checks that the value ends before the payloads do, and every run starts at or after
                    // its payload, which starts after the leading padding: so the padded read stays in the buffer.
                    ReadOnlySpan<byte> value = bytes.Slice(at, run.Length);
                    ulong hash = HyperLogLog.Hash64Padded(ref Unsafe.Add(ref start, at), run.Length);
                    distinct?.AddHash(hash); // one hash serves both counts
                    top.Add(hash, value);
                }
            }
        }

        public void Clear()
        {
            _used = Padding;
            _count = 0;
        }
    }

    /// <summary>A run's feature and where its values are in the batch (as <see cref="BytesRun"/> in a payload); and
    /// whether they go to the distinct count too.</summary>
    private readonly record struct Run(int Feature, int Start, int LastStart, int Length, int Stride, bool CountDistinct);
}
