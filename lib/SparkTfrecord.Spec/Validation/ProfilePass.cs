using System.Runtime.ExceptionServices;
using SparkTfrecord.Spec.Statistics;
using SparkTfrecord.Tfrecord.Example;

namespace SparkTfrecord.Spec.Validation;

/// <summary>
/// Gathers what the statistics add to the checks (each declared feature's <see cref="FeatureProfile"/>: values per
/// record, the numbers' sketch, the top string values) on a second thread. The validator's thread, which reads and checks,
/// only copies each checked payload into a batch; a pool thread decodes the batches again and profiles them, one batch
/// after the other and one record after the other, so the figures are those of one sequential pass in the records' order
/// (the top values' purges depend on it) whatever the threads' timing. A user then waits for the checks and the copy,
/// while the second core does the statistics. Only this pass touches the profiles until <see cref="Complete"/> returns.
/// </summary>
internal sealed class ProfilePass
{
    /// <summary>A batch is handed over when this full (a larger payload has a batch of its own).</summary>
    private const int BatchBytes = 1 << 19;

    /// <summary>Batches waiting at most: the reader waits beyond, so memory stays bounded (a few MB).</summary>
    private const int QueuedBatches = 8;

    private readonly Plan[] _plans;
    private readonly ExpectedFeature[] _expected;
    private readonly bool _sequence;
    private readonly object _gate = new();
    private readonly Queue<Batch> _queue = new();
    private readonly Stack<Batch> _free = new();
    private Worker? _worker;
    private Batch _filling = new();
    private bool _draining;
    private ExceptionDispatchInfo? _failure;

    public ProfilePass(Plan[] plans, ExpectedFeature[] expected, bool sequence)
    {
        _plans = plans;
        _expected = expected;
        _sequence = sequence;
    }

    /// <summary>Queues a checked record's payload (copied: the caller's buffer is reused).</summary>
    public void Add(ReadOnlySpan<byte> payload)
    {
        if (_filling.Count > 0 && _filling.Used + payload.Length > BatchBytes)
        {
            Publish();
        }

        _filling.Append(payload);
    }

    /// <summary>Waits until every payload added so far is profiled.</summary>
    public void Complete()
    {
        if (_filling.Count > 0)
        {
            Publish();
        }

        lock (_gate)
        {
            while (_draining)
            {
                Monitor.Wait(_gate);
            }
        }

        _failure?.Throw();
        _worker ??= new Worker(_plans, _expected, _sequence);
        for (int i = 0; i < _plans.Length; i++)
        {
            _plans[i].Stats.Profile = _worker.Profiles[i];
        }
    }

    private void Publish()
    {
        bool start;
        lock (_gate)
        {
            while (_queue.Count >= QueuedBatches && _failure is null)
            {
                Monitor.Wait(_gate);
            }

            _failure?.Throw();
            _queue.Enqueue(_filling);
            _filling = _free.Count > 0 ? _free.Pop() : new Batch();
            start = !_draining;
            _draining = true;
        }

        // One drainer at a time, taking the batches in their order; it ends when the queue is empty (so no thread is
        // left waiting when a validator is dropped after a damaged file) and the next batch starts another.
        if (start)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static pass => pass.Drain(), this, preferLocal: false);
        }
    }

    private void Drain()
    {
        while (true)
        {
            Batch? batch;
            lock (_gate)
            {
                if (!_queue.TryDequeue(out batch))
                {
                    _draining = false;
                    Monitor.PulseAll(_gate);
                    return;
                }
            }

            try
            {
                // Made on the pool thread, so what it writes for every value lies in that thread's allocation area, not
                // on the cache lines of the validator's counters (which the other core writes for every record).
                _worker ??= new Worker(_plans, _expected, _sequence);
                _worker.Profile(batch);
            }
            catch (Exception e) // a defect, not the data's (the payload decoded on the validator's thread): reported there
            {
                lock (_gate)
                {
                    _failure = ExceptionDispatchInfo.Capture(e);
                    _queue.Clear();
                    _draining = false;
                    Monitor.PulseAll(_gate);
                }

                return;
            }

            batch.Clear();
            lock (_gate)
            {
                _free.Push(batch);
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>The pool thread's side: its own decoder, feature lookup, copy of each plan's facts, and the profiles.</summary>
    private sealed class Worker
    {
        private readonly Facts[] _facts;
        private readonly bool _sequence;
        private readonly ExampleDecoder _decoder = new();
        private FeatureFinder _finder;

        public Worker(Plan[] plans, ExpectedFeature[] expected, bool sequence)
        {
            _facts = [.. plans.Select(p => new Facts(p.Kind, p.HasKind, p.Skip, p.Scalar != ScalarPath.None))];
            Profiles = [.. plans.Select(_ => new FeatureProfile())];
            _sequence = sequence;
            _finder = new FeatureFinder(expected);
        }

        public FeatureProfile[] Profiles { get; }

        public void Profile(Batch batch)
        {
            int start = 0;
            for (int i = 0; i < batch.Count; i++)
            {
                int end = batch.Ends[i];
                ReadOnlySpan<byte> payload = batch.Bytes.AsSpan(start, end - start);
                start = end;
                _finder.Restart();
                if (_sequence)
                {
                    SequenceExampleView seq = _decoder.DecodeSequenceExample(payload);
                    ProfileFeatures(seq.Context);
                    for (int l = 0; l < seq.FeatureListCount; l++)
                    {
                        ProfileList(seq.GetFeatureList(l));
                    }
                }
                else
                {
                    ProfileFeatures(_decoder.DecodeExample(payload));
                }
            }
        }

        // The values profiled are those the checks accept as of the declared kind (DatasetValidator.ObserveFeatures).
        private void ProfileFeatures(FeaturesView features)
        {
            foreach (FeatureView feature in features)
            {
                if (feature.Kind == FeatureKind.None)
                {
                    continue;
                }

                int index = _finder.Find(feature.Utf8Name, inSequence: false);
                if (index < 0)
                {
                    continue; // a feature the spec does not know has no profile
                }

                ref readonly Facts plan = ref _facts[index];
                FeatureProfile profile = Profiles[index];
                if (feature.Count == 1 && feature.Kind == plan.Kind && plan.Single)
                {
                    // The validator's inline path: its length (one) is added at the end, with the records it counted.
                    ProfileValues(profile, in feature);
                    continue;
                }

                profile.Lengths.Add(feature.Count);
                if (plan.Skip || (plan.HasKind && feature.Kind != plan.Kind))
                {
                    continue;
                }

                ProfileValues(profile, in feature);
            }
        }

        private void ProfileList(FeatureListView list)
        {
            int index = _finder.Find(list.Utf8Name, inSequence: true);
            if (index < 0)
            {
                return;
            }

            ref readonly Facts plan = ref _facts[index];
            FeatureProfile profile = Profiles[index];
            profile.Lengths.Add(list.Count);
            if (plan.Skip)
            {
                return;
            }

            for (int f = 0; f < list.Count; f++)
            {
                FeatureView frame = list[f];
                if (plan.HasKind && frame.Kind != plan.Kind)
                {
                    return; // the checks stop at a frame of another kind
                }

                ProfileValues(profile, in frame);
            }
        }

        private static void ProfileValues(FeatureProfile profile, scoped in FeatureView feature)
        {
            switch (feature.Kind)
            {
                case FeatureKind.Int64:
                    foreach (long v in feature.GetInt64s())
                    {
                        profile.Numbers.Add(v);
                    }

                    return;
                case FeatureKind.Float:
                    foreach (float v in feature.GetFloats())
                    {
                        profile.AddFloat(v);
                    }

                    return;
                case FeatureKind.Bytes:
                    profile.AddStrings(feature.GetBytes());
                    return;
                default:
                    return;
            }
        }
    }

    /// <summary>What the profile of a feature depends on in its <see cref="Plan"/>, copied (a plan lies next to the
    /// validator's counters).</summary>
    private readonly record struct Facts(FeatureKind Kind, bool HasKind, bool Skip, bool Single);

    /// <summary>Payloads one after the other, and where each ends.</summary>
    private sealed class Batch
    {
        public byte[] Bytes { get; private set; } = new byte[BatchBytes];

        public int[] Ends { get; private set; } = new int[1024];

        public int Count { get; private set; }

        public int Used { get; private set; }

        public void Append(ReadOnlySpan<byte> payload)
        {
            if (Used + payload.Length > Bytes.Length)
            {
                byte[] larger = new byte[Used + payload.Length];
                Bytes.AsSpan(0, Used).CopyTo(larger);
                Bytes = larger;
            }

            if (Count == Ends.Length)
            {
                int[] more = new int[Ends.Length * 2];
                Ends.CopyTo(more, 0);
                Ends = more;
            }

            payload.CopyTo(Bytes.AsSpan(Used));
            Used += payload.Length;
            Ends[Count++] = Used;
        }

        public void Clear()
        {
            Count = 0;
            Used = 0;
        }
    }
}
