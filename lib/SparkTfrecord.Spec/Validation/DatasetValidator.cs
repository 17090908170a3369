using System.Runtime.CompilerServices;
using System.Text;
using SparkTfrecord.Spec.Statistics;
using SparkTfrecord.Tfrecord.Example;
using SparkTfrecord.Tfrecord.Files;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Spec.Validation;

/// <summary>
/// Checks records one by one against <see cref="ValidationRules"/> and gathers per-feature statistics and anomalies
/// (with TFDV's anomaly names). Feed it every record's payload with <see cref="Add"/>, then call
/// <see cref="GetReport"/>. Not thread-safe; allocation-free per record once warm. With statistics on a machine of more
/// than one core, the first <see cref="AddFile"/> starts a thread that counts the string features' top values and
/// distinct counts beside the checks, and <see cref="GetReport"/> waits for it (the counts are those of one thread).
/// </summary>
public sealed class DatasetValidator
{
    private readonly ValidationRules _rules;
    private readonly ExpectedFeature[] _expected;
    private readonly Plan[] _plans;
    private readonly long[] _seenAt;
    private readonly int[] _framesAt; // a feature list's frames in the record being checked (valid where _seenAt is the record)
    private readonly int _firstSequence; // the first expected feature list, where a record that is no SequenceExample is reported
    private readonly bool _hasSteps;
    private readonly Dictionary<byte[], FeatureStats> _unknown = new(ByteKeyComparer.Instance);
    private readonly Dictionary<byte[], FeatureStats>.AlternateLookup<ReadOnlySpan<byte>> _unknownLookup;
    private readonly ExampleDecoder _decoder = new();
    private readonly bool _statistics;
    private TopValuesFeed? _feed; // made by the first AddFile that counts the top values on a second thread
    private TopValuesFeed? _topValuesBeside; // _feed while its thread runs: from that AddFile to GetReport
    private readonly List<string> _files = [];
    private string _file = "";
    private long _recordInFile;
    private int _nextGuess;

    /// <summary>Creates a validator.</summary>
    /// <param name="rules">What to check.</param>
    /// <param name="statistics">Also gather each declared feature's distributions in the same pass (histograms,
    /// quantiles, top values: <see cref="FeatureSummary.Statistics"/>), for the HTML report and comparisons.</param>
    public DatasetValidator(ValidationRules rules, bool statistics = false)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _rules = rules;
        _statistics = statistics;
        _expected = [.. rules.Features];
        _plans = [.. _expected.Select((e, i) => new Plan(e, i, new FeatureStats(e.Name, e) { Profile = statistics ? new FeatureProfile() : null }))];

        _seenAt = new long[_expected.Length];
        Array.Fill(_seenAt, -1);
        _framesAt = new int[_expected.Length];
        _firstSequence = Array.FindIndex(_expected, e => e.InSequence);
        _hasSteps = _expected.Any(e => e.StepOf >= 0);
        _unknownLookup = _unknown.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    /// <summary>Whether, with statistics, <see cref="AddFile"/> starts a second thread that counts the string features'
    /// top values and distinct counts while the records are checked, until <see cref="GetReport"/> (<see cref="TopValuesFeed"/>;
    /// the counts are the same either way). Internal: the tests run both.</summary>
    internal bool TopValuesBeside { get; init; } = Environment.ProcessorCount > 1;

    /// <summary>The record being checked, for anomalies (built only when one is found).</summary>
    private RecordRef At => new(_file, _recordInFile);

    /// <summary>Records seen so far.</summary>
    public long RecordCount { get; private set; }

    /// <summary>Starts a new file: later records are reported by their index in it.</summary>
    /// <param name="path">The file's path.</param>
    public void BeginFile(string path)
    {
        _file = path;
        _files.Add(path);
        _recordInFile = 0;
    }

    /// <summary>Checks every record of a TFRecord file (see <see cref="BeginFile"/> and <see cref="Add"/>).</summary>
    /// <param name="path">The file.</param>
    /// <param name="reading">The reader's options (skip mode, record length cap), or null for the defaults.</param>
    /// <returns>The file's records and what a reader in skip mode dropped.</returns>
    /// <exception cref="Tfrecord.TfRecordFormatException">The file or a record is damaged (naming the file and the record's offset).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public TfRecordFileSummary AddFile(string path, TfRecordReaderOptions? reading = null)
    {
        using TfRecordReader reader = TfRecordReader.Open(path, reading);
        BeginFile(path);
        if (_topValuesBeside is null && TopValuesBeside && _statistics)
        {
            _feed ??= new TopValuesFeed([.. _plans.Select(p => p.Stats)]);
            _feed.Start();
            _topValuesBeside = _feed;
        }

        try
        {
            while (reader.TryRead(out ReadOnlySpan<byte> payload))
            {
                try
                {
                    Add(payload);
                }
                catch (Tfrecord.TfRecordFormatException e)
                {
                    throw e.InRecord(path, reader.RecordOffset);
                }
            }
        }
        catch
        {
            // The records before the failure are counted (as the checks counted them); the failure is the error to report.
            _topValuesBeside?.Stop();
            _topValuesBeside = null;
            throw;
        }

        return TfRecordFileSummary.Of(path, reader);
    }

    /// <summary>Checks one record.</summary>
    /// <param name="payload">The record's payload (a serialized Example, or SequenceExample when the rules say so).</param>
    /// <exception cref="Tfrecord.TfRecordFormatException">The payload is not a valid message.</exception>
    public void Add(ReadOnlySpan<byte> payload)
    {
        _topValuesBeside?.BeginRecord(payload);
        long record = RecordCount;
        _nextGuess = 0;
        int seen;
        if (_rules.IsSequence)
        {
            // Both messages parse either payload; only a feature_lists field tells a SequenceExample (the jobs always write one).
            if (_firstSequence >= 0 && !ExampleDecoder.LooksLikeSequenceExample(payload))
            {
                _plans[_firstSequence].Stats.Flag(AnomalyType.NotSequenceExample, At, "");
            }

            SequenceExampleView seq = _decoder.DecodeSequenceExample(payload);
            seen = ObserveFeatures(seq.Context, record, inSequence: false);
            for (int i = 0; i < seq.FeatureListCount; i++)
            {
                FeatureListView list = seq.GetFeatureList(i);
                int index = Find(list.Utf8Name, inSequence: true);
                if (index < 0)
                {
                    FeatureStats unknownList = Unknown(list.Utf8Name);
                    unknownList.Present++;
                    unknownList.ObserveCount(list.Count);
                    continue;
                }

                if (_seenAt[index] != record)
                {
                    _seenAt[index] = record;
                    seen++;
                }

                _framesAt[index] = list.Count;
                ObserveList(index, list);
            }

            if (_hasSteps)
            {
                CheckSteps(record);
            }
        }
        else
        {
            seen = ObserveFeatures(_decoder.DecodeExample(payload), record, inSequence: false);
        }

        if (seen < _expected.Length)
        {
            for (int i = 0; i < _expected.Length; i++)
            {
                if (_seenAt[i] != record)
                {
                    FeatureStats s = _plans[i].Stats;
                    s.Missing++;
                    s.FirstMissing ??= At;
                }
            }
        }

        RecordCount++;
        _recordInFile++;
    }

    /// <summary>The statistics and anomalies of the records seen so far.</summary>
    /// <returns>The report.</returns>
    public ValidationReport GetReport()
    {
        if (_topValuesBeside is { } beside)
        {
            _topValuesBeside = null;
            beside.Finish();
        }

        var summaries = new List<FeatureSummary>();
        for (int i = 0; i < _expected.Length; i++)
        {
            summaries.Add(_plans[i].Stats.Summarize(RecordCount, known: true));
        }

        foreach (FeatureStats s in _unknown.Values.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            summaries.Add(s.Summarize(RecordCount, known: false));
        }

        return new ValidationReport(_rules.Source, [.. _files], RecordCount, summaries);
    }

    /// <summary>Observes the features of a record; returns how many declared features it has.</summary>
    private int ObserveFeatures(FeaturesView features, long record, bool inSequence)
    {
        int seen = 0;
        foreach (FeatureView feature in features)
        {
            if (feature.Kind == FeatureKind.None)
            {
                continue; // TensorFlow treats a feature with no list set as missing
            }

            int index = Find(feature.Utf8Name, inSequence);
            if (index < 0)
            {
                FeatureStats unknown = Unknown(feature.Utf8Name);
                unknown.Present++;
                unknown.ObserveKind(feature.Kind);
                unknown.ObserveCount(feature.Count);
                continue;
            }

            if (_seenAt[index] != record)
            {
                _seenAt[index] = record;
                seen++;
            }

            // Most features of most records are one value of the declared kind: those are checked without a call.
            Plan plan = _plans[index];
            if (feature.Count == 1 && feature.Kind == plan.Kind && plan.Scalar != ScalarPath.None)
            {
                ObserveSingleValue(plan, feature);
                continue;
            }

            Observe(plan, feature);
        }

        return seen;
    }

    private int Find(ReadOnlySpan<byte> name, bool inSequence)
    {
        // Writers emit features in the same order in every record: try the feature that came next last time first.
        ExpectedFeature[] expected = _expected;
        int guess = _nextGuess;
        if ((uint)guess < (uint)expected.Length)
        {
            ExpectedFeature e = expected[guess];
            if (e.InSequence == inSequence && name.SequenceEqual(e.Utf8Name))
            {
                _nextGuess = guess + 1;
                return guess;
            }
        }

        for (int i = 0; i < expected.Length; i++)
        {
            byte[] candidate = expected[i].Utf8Name;
            if (candidate.Length == name.Length && name.SequenceEqual(candidate) && expected[i].InSequence == inSequence)
            {
                _nextGuess = i + 1;
                return i;
            }
        }

        return -1;
    }

    private FeatureStats Unknown(ReadOnlySpan<byte> name)
    {
        if (!_unknownLookup.TryGetValue(name, out FeatureStats? stats))
        {
            stats = new FeatureStats(Encoding.UTF8.GetString(name), null) { FirstPresent = At };
            _unknown[name.ToArray()] = stats;
        }

        return stats;
    }

    /// <summary>
    /// Checks the one value of a feature of the declared kind. Neither presence nor the value count is counted here:
    /// <see cref="FeatureStats"/> derives both at the end, which keeps the commonest visit short.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ObserveSingleValue(Plan plan, FeatureView feature)
    {
        FeatureStats s = plan.Stats;
        switch (plan.Scalar)
        {
            case ScalarPath.Bytes:
                ObserveStrings(plan, s, feature.GetBytes());
                return;
            case ScalarPath.Word:
                foreach (ReadOnlySpan<byte> v in feature.GetBytes())
                {
                    if (!plan.CountWord(v, s.Distinct))
                    {
                        FlagOutside(s, v);
                    }
                }

                if (s.Profile is not null)
                {
                    CountTopValues(plan, feature.GetBytes());
                }

                return;
            default:
                foreach (long v in feature.GetInt64s())
                {
                    s.ObserveInt(v, v);
                    s.Profile?.Numbers.Add(v);
                    if (v < plan.IntLow || v > plan.IntHigh)
                    {
                        FlagInt64s(plan.Expected, s, v, v, notInSet: false, 0);
                    }
                }

                return;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Observe(Plan plan, FeatureView feature)
    {
        FeatureStats s = plan.Stats;
        FeatureKind actual = feature.Kind;
        int count = feature.Count;
        s.ObserveKind(actual);
        s.ObserveCount(count);
        if (plan.Skip)
        {
            return;
        }

        if (plan.HasKind && actual != plan.Kind)
        {
            FlagKind(s, actual);
            return;
        }

        if (count < plan.FewestValues || count > plan.MostValues)
        {
            FlagCount(plan.Expected, s, count);
        }

        ObserveValues(plan, s, in feature);
    }

    // Each per-step companion present in the record has as many frames as its history (when that is present too).
    private void CheckSteps(long record)
    {
        for (int i = 0; i < _expected.Length; i++)
        {
            int history = _expected[i].StepOf;
            if (history >= 0 && _seenAt[i] == record && _seenAt[history] == record && _framesAt[i] != _framesAt[history])
            {
                _plans[i].Stats.Flag(AnomalyType.StepsMisaligned, At,
                    $"{_framesAt[i]} frames against {_framesAt[history]} of '{_expected[history].Name}'");
            }
        }
    }

    private void ObserveList(int index, FeatureListView list)
    {
        Plan plan = _plans[index];
        FeatureStats s = plan.Stats;
        s.ObserveCount(list.Count);
        if (plan.Skip)
        {
            return;
        }

        // A history's frames (and so its companions') are at most its max_length.
        if (plan.Expected.MaxValues is { } maxFrames && list.Count > maxFrames)
        {
            s.Flag(AnomalyType.HighNumberValues, At, list.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        for (int f = 0; f < list.Count; f++)
        {
            FeatureView frame = list[f];
            s.ObserveKind(frame.Kind);
            if (plan.HasKind && frame.Kind != plan.Kind)
            {
                FlagKind(s, frame.Kind);
                return;
            }

            if (plan.Expected.FrameCount is { } perFrame && frame.Count != perFrame)
            {
                s.Flag(AnomalyType.InvalidFeatureShape, At, $"a frame of {frame.Count}");
            }

            ObserveValues(plan, s, in frame);
        }
    }

    /// <summary>Checks and gathers the values of a feature (or of one frame of a feature list).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ObserveValues(Plan plan, FeatureStats s, scoped in FeatureView feature)
    {
        if (s.Profile is { } profile)
        {
            Profile(profile, in feature);
        }

        switch (feature.Kind)
        {
            case FeatureKind.Int64:
                ObserveInt64s(plan, s, in feature);
                return;
            case FeatureKind.Float:
                ObserveFloats(plan.Expected, s, in feature);
                return;
            case FeatureKind.Bytes:
                if (plan.SmallVocabulary is not null)
                {
                    ObserveBytesInSmallVocabulary(plan, s, feature.GetBytes());
                }
                else if (plan.Expected.VocabularyLookup is null)
                {
                    ObserveStrings(plan, s, feature.GetBytes());
                    return;
                }
                else
                {
                    ObserveBytesInVocabulary(plan.Expected, s, feature.GetBytes());
                }

                if (s.Profile is not null)
                {
                    CountTopValues(plan, feature.GetBytes());
                }

                return;
            default:
                return;
        }
    }

    /// <summary>Adds a list's values to the feature's statistics (only when they were asked for).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Profile(FeatureProfile profile, scoped in FeatureView feature)
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
            default:
                return; // bytes: where the distinct count hashes them (ObserveValues), to hash each value once
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void FlagOutside(FeatureStats s, ReadOnlySpan<byte> value) =>
        s.Flag(AnomalyType.UnexpectedStringValues, At, $"\"{Encoding.UTF8.GetString(value.Length > 64 ? value[..64] : value)}\"");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void FlagKind(FeatureStats s, FeatureKind actual) =>
        s.Flag(AnomalyType.UnexpectedDataType, At, actual.ToString().ToLowerInvariant());

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void FlagCount(ExpectedFeature e, FeatureStats s, int count)
    {
        if (e.ExactCount is { } exact && count != exact)
        {
            s.Flag(AnomalyType.InvalidFeatureShape, At, count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (e.MinValues is { } minValues && count < minValues)
        {
            s.Flag(AnomalyType.LowNumberValues, At, count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (e.MaxValues is { } maxValues && count > maxValues)
        {
            s.Flag(AnomalyType.HighNumberValues, At, count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ObserveInt64s(Plan plan, FeatureStats s, scoped in FeatureView feature)
    {
        long min = long.MaxValue;
        long max = long.MinValue;
        bool notInSet = false;
        long notInSetValue = 0;
        HashSet<long>? set = plan.Integers;
        foreach (long v in feature.GetInt64s())
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
            if (set is not null && !notInSet && !set.Contains(v))
            {
                notInSet = true;
                notInSetValue = v;
            }
        }

        if (feature.Count == 0)
        {
            return;
        }

        s.ObserveInt(min, max);
        if (min < plan.IntLow || max > plan.IntHigh || notInSet)
        {
            FlagInt64s(plan.Expected, s, min, max, notInSet, notInSetValue);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void FlagInt64s(ExpectedFeature e, FeatureStats s, long min, long max, bool notInSet, long notInSetValue)
    {
        if (e.IntMin is { } lo && min < lo)
        {
            s.Flag(AnomalyType.SmallInt, At, min.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (e.IntMax is { } hi && max > hi)
        {
            s.Flag(AnomalyType.BigInt, At, max.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (notInSet)
        {
            s.Flag(AnomalyType.IntNotInDomain, At, notInSetValue.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ObserveFloats(ExpectedFeature e, FeatureStats s, scoped in FeatureView feature)
    {
        double min = double.PositiveInfinity;
        double max = double.NegativeInfinity;
        bool nan = false;
        bool inf = false;
        bool finite = false;
        foreach (float v in feature.GetFloats())
        {
            if (float.IsFinite(v))
            {
                finite = true;
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
            else if (float.IsNaN(v))
            {
                nan = true;
            }
            else
            {
                inf = true;
            }
        }

        if (nan)
        {
            s.Flag(AnomalyType.HasNan, At, "NaN");
        }

        if (inf)
        {
            s.Flag(AnomalyType.HasInf, At, "Infinity");
        }

        if (!finite)
        {
            return;
        }

        s.ObserveFloat(min, max);
        if (e.FloatMin is { } lo && min < lo)
        {
            s.Flag(AnomalyType.SmallFloat, At, Json.PythonFloat.Repr(min));
        }

        if (e.FloatMax is { } hi && max > hi)
        {
            s.Flag(AnomalyType.BigFloat, At, Json.PythonFloat.Repr(max));
        }
    }

    /// <summary>The values of a string feature without a vocabulary: the distinct count, and the top values with statistics.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ObserveStrings(Plan plan, FeatureStats s, BytesValues values)
    {
        if (s.Profile is null)
        {
            HyperLogLog distinct = s.Distinct;
            foreach (ReadOnlySpan<byte> v in values)
            {
                distinct.Add(v);
            }

            return;
        }

        ObserveStringsWithTopValues(plan, s, values);
    }

    /// <summary>
    /// With statistics. Kept out of the callers (they inline <see cref="ObserveStrings"/>), so the JIT compiles the
    /// checks' paths as small as without statistics. One hash per value serves the distinct count and the top values,
    /// on the counting thread while <see cref="AddFile"/> runs one (the checks need nothing else of these values).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ObserveStringsWithTopValues(Plan plan, FeatureStats s, BytesValues values)
    {
        if (_topValuesBeside is { } beside)
        {
            beside.Add(plan.Index, values, countDistinct: true);
        }
        else
        {
            CountStrings(s, values);
        }
    }

    // On this thread (one core, or records given one by one): kept apart so that the call above, made for every string
    // feature of every record, has a small frame to set up rather than this loop's.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CountStrings(FeatureStats s, BytesValues values)
    {
        HyperLogLog distinct = s.Distinct;
        TopValues top = s.Profile!.Strings;
        foreach (ReadOnlySpan<byte> v in values)
        {
            ulong hash = HyperLogLog.Hash64(v);
            distinct.AddHash(hash);
            top.Add(hash, v);
        }
    }

    /// <summary>Adds a string feature's values to its top values, here or on the counting thread.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void CountTopValues(Plan plan, BytesValues values)
    {
        if (_topValuesBeside is { } beside)
        {
            beside.Add(plan.Index, values, countDistinct: false);
        }
        else
        {
            plan.Stats.Profile!.AddStrings(values);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ObserveBytesInSmallVocabulary(Plan plan, FeatureStats s, BytesValues values)
    {
        bool flagged = false; // an anomaly counts records: the first value outside is the record's example
        foreach (ReadOnlySpan<byte> v in values)
        {
            if (!plan.CountWord(v, s.Distinct) && !flagged)
            {
                flagged = true;
                FlagOutside(s, v);
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ObserveBytesInVocabulary(ExpectedFeature e, FeatureStats s, BytesValues values)
    {
        HyperLogLog distinct = s.Distinct;
        var vocabulary = e.VocabularyLookup!.Value;
        bool flagged = false;
        foreach (ReadOnlySpan<byte> v in values)
        {
            distinct.Add(v);
            if (!flagged && !vocabulary.Contains(v))
            {
                flagged = true;
                FlagOutside(s, v);
            }
        }
    }
}

/// <summary>
/// What <see cref="DatasetValidator"/> checks of one declared feature, flattened from its <see cref="ExpectedFeature"/>
/// when the validator is made, so a visit tests plain fields rather than nullable properties. A plan belongs to one
/// validator: it remembers which vocabulary words that validator has counted.
/// </summary>
internal sealed class Plan
{
    /// <summary>Vocabularies up to this size are searched by comparing each word, which is faster than hashing.</summary>
    private const int SmallVocabularySize = 8;

    private readonly bool[]? _wordCounted;

    public Plan(ExpectedFeature expected, int index, FeatureStats stats)
    {
        Expected = expected;
        Index = index;
        Stats = stats;
        Skip = expected.Skip;
        HasKind = expected.Kind is not null;
        Kind = expected.Kind ?? FeatureKind.None;
        FewestValues = Math.Max(expected.ExactCount ?? 0, expected.MinValues ?? 0);
        MostValues = Math.Min(expected.ExactCount ?? long.MaxValue, expected.MaxValues ?? long.MaxValue);
        IntLow = expected.IntMin ?? long.MinValue;
        IntHigh = expected.IntMax ?? long.MaxValue;
        Integers = expected.Integers;
        if (expected.Vocabulary is { Count: <= SmallVocabularySize } words)
        {
            SmallVocabulary = [.. words.Select(Encoding.UTF8.GetBytes)];
            _wordCounted = new bool[SmallVocabulary.Length];
        }

        if (!Skip && HasKind && FewestValues <= 1 && MostValues >= 1)
        {
            Scalar = Kind switch
            {
                FeatureKind.Bytes when expected.Vocabulary is null => ScalarPath.Bytes,
                FeatureKind.Bytes when SmallVocabulary is not null => ScalarPath.Word,
                FeatureKind.Int64 when Integers is null => ScalarPath.Int64,
                _ => ScalarPath.None,
            };
        }
    }

    public ExpectedFeature Expected { get; }

    /// <summary>The feature's index among the declared ones.</summary>
    public int Index { get; }

    public FeatureStats Stats { get; }

    public bool Skip { get; }

    public bool HasKind { get; }

    public FeatureKind Kind { get; }

    /// <summary>The fewest values a record may have without an anomaly (0 when the spec sets no bound).</summary>
    public long FewestValues { get; }

    /// <summary>The most values a record may have without an anomaly.</summary>
    public long MostValues { get; }

    /// <summary>The vocabulary's words as UTF-8, when it is small enough to search word by word.</summary>
    public byte[][]? SmallVocabulary { get; }

    /// <summary>How a record's single value of the declared kind is checked without a call, if it can be.</summary>
    public ScalarPath Scalar { get; }

    /// <summary>The domain's lower int64 bound (the type's own when the domain has none).</summary>
    public long IntLow { get; }

    /// <summary>The domain's upper int64 bound (the type's own when the domain has none).</summary>
    public long IntHigh { get; }

    /// <summary>The domain's list of allowed integers, if it has one.</summary>

    public HashSet<long>? Integers { get; }

    /// <summary>
    /// Finds a value in the small vocabulary and adds it to the distinct count the first time that word is seen (adding
    /// it again would change nothing); a value outside the vocabulary is added every time.
    /// </summary>
    /// <returns>False when the value is not in the vocabulary.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool CountWord(ReadOnlySpan<byte> value, HyperLogLog distinct)
    {
        byte[][] words = SmallVocabulary!;
        for (int i = 0; i < words.Length; i++)
        {
            byte[] word = words[i];
            if (word.Length == value.Length && value.SequenceEqual(word))
            {
                bool[] counted = _wordCounted!;
                if (!counted[i])
                {
                    counted[i] = true;
                    distinct.Add(value);
                }

                return true;
            }
        }

        distinct.Add(value);
        return false;
    }
}

/// <summary>The checks of a single value that <see cref="DatasetValidator"/> makes inline.</summary>
internal enum ScalarPath
{
    /// <summary>None: the value goes through the general path.</summary>
    None,

    /// <summary>A bytes value without a vocabulary: counted towards the distinct estimate.</summary>
    Bytes,

    /// <summary>An int64 value without a list domain: min, max and the domain's bounds.</summary>
    Int64,

    /// <summary>A bytes value with a small vocabulary: looked up in it and counted towards the distinct estimate.</summary>
    Word,
}
