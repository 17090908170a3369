using System.Numerics;
using SparkTfrecord.Spec.Statistics;
using SparkTfrecord.Tfrecord.Example;

namespace SparkTfrecord.Spec.Validation;

/// <summary>Mutable statistics of one feature while records are read.</summary>
internal sealed class FeatureStats(string name, ExpectedFeature? expected)
{
    private readonly Dictionary<AnomalyType, Tally> _anomalies = [];
    private HyperLogLog? _distinct;
    private long _valuesMin = long.MaxValue;
    private long _valuesMax = long.MinValue;
    private long _valuesSum;
    private long _countedRecords; // records whose value count went through ObserveCount
    private long _intMin = long.MaxValue;
    private long _intMax = long.MinValue;
    private double _floatMin = double.PositiveInfinity;
    private double _floatMax = double.NegativeInfinity;
    private int _kindsSeen; // bit (1 << kind) for each list kind seen

    public string Name { get; } = name;

    /// <summary>The statistics gathered beyond the checks (for the report and comparisons), or null when not asked for.</summary>
    public FeatureProfile? Profile { get; init; }

    /// <summary>
    /// Records that have a feature the spec does not know, counted as they come. A declared feature's presence is not
    /// counted: a name is at most once in a record (the decoder keeps the last of repeats), so it is the records less
    /// <see cref="Missing"/>.
    /// </summary>
    public long Present { get; set; }

    public long Missing { get; set; }

    public RecordRef? FirstMissing { get; set; }

    public RecordRef? FirstPresent { get; set; }

    public HyperLogLog Distinct
    {
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        get => _distinct ??= new HyperLogLog();
    }

    // Both run for every feature of every record: a value already recorded is only read, not written again.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void ObserveKind(FeatureKind kind)
    {
        int bit = 1 << (int)kind;
        if ((_kindsSeen & bit) == 0)
        {
            _kindsSeen |= bit;
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void ObserveCount(int count)
    {
        _countedRecords++;
        _valuesSum += count;
        Profile?.Lengths.Add(count);
        if (count < _valuesMin || count > _valuesMax)
        {
            WidenCounts(count);
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void WidenCounts(int count)
    {
        _valuesMin = Math.Min(_valuesMin, count);
        _valuesMax = Math.Max(_valuesMax, count);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void ObserveInt(long min, long max)
    {
        if (min < _intMin)
        {
            _intMin = min;
        }

        if (max > _intMax)
        {
            _intMax = max;
        }
    }

    public void ObserveFloat(double min, double max)
    {
        _floatMin = Math.Min(_floatMin, min);
        _floatMax = Math.Max(_floatMax, max);
    }

    public void Flag(AnomalyType type, RecordRef at, string example)
    {
        if (_anomalies.TryGetValue(type, out Tally? tally))
        {
            tally.Count++;
            return;
        }

        _anomalies[type] = new Tally { Count = 1, First = at, Example = example };
    }

    public FeatureSummary Summarize(long records, bool known)
    {
        long present = known ? records - Missing : Present;
        var anomalies = new List<Anomaly>();
        if (!known)
        {
            anomalies.Add(new Anomaly(AnomalyTypes.Name(AnomalyType.NewColumn), $"not in the spec or schema; present in {present} records", present, FirstPresent));
        }
        else if (expected is { Skip: false } e && records > 0)
        {
            double fraction = (double)present / records;
            if (present == 0 && (e.MinFraction > 0 || e.MinCount > 0))
            {
                anomalies.Add(new Anomaly(AnomalyTypes.Name(AnomalyType.MissingColumn), $"missing from all {records} records", records, FirstMissing));
            }
            else
            {
                if (fraction < e.MinFraction)
                {
                    string required = e.MinFraction >= 1.0 ? "required in every record" : $"min_fraction {Json.PythonFloat.Repr(e.MinFraction)}";
                    anomalies.Add(new Anomaly(AnomalyTypes.Name(AnomalyType.LowFractionPresent), $"missing from {Missing} of {records} records ({required})", Missing, FirstMissing));
                }

                if (present < e.MinCount)
                {
                    anomalies.Add(new Anomaly(AnomalyTypes.Name(AnomalyType.LowNumberPresent), $"present in {present} records, fewer than min_count {e.MinCount}", present, FirstPresent));
                }
            }
        }

        foreach ((AnomalyType type, Tally t) in _anomalies.OrderBy(a => a.Key))
        {
            anomalies.Add(new Anomaly(AnomalyTypes.Name(type), Describe(type, t), t.Count, t.First));
        }

        // Records present but not passed to ObserveCount held one value of the expected kind (the validator's inline
        // path for single values counts nothing, to keep the commonest visit short).
        long single = present - _countedRecords;
        long valuesSum = _valuesSum;
        long valuesMin = _valuesMin;
        long valuesMax = _valuesMax;
        int kinds = _kindsSeen & ~(1 << (int)FeatureKind.None);
        if (single > 0 && expected?.Kind is { } expectedKind)
        {
            valuesSum += single;
            valuesMin = Math.Min(valuesMin, 1);
            valuesMax = Math.Max(valuesMax, 1);
            kinds |= 1 << (int)expectedKind;
        }

        string kind = BitOperations.PopCount((uint)kinds) > 1 ? "mixed"
            : Saw(FeatureKind.Int64) ? "int64" : Saw(FeatureKind.Float) ? "float" : Saw(FeatureKind.Bytes) ? "bytes"
            : expected?.Kind is { } k ? k.ToString().ToLowerInvariant() : "none";
        object? min = _intMin <= _intMax ? _intMin : _floatMin <= _floatMax ? _floatMin : null;
        object? max = _intMin <= _intMax ? _intMax : _floatMin <= _floatMax ? _floatMax : null;
        var summary = new FeatureSummary(
            Name,
            kind,
            known,
            present,
            present > 0 ? valuesMin : null,
            present > 0 ? (double)valuesSum / present : null,
            present > 0 ? valuesMax : null,
            min,
            max,
            _distinct?.Estimate(),
            anomalies);
        return Profile is { } profile ? summary with { Statistics = Statistics(profile, summary, single) } : summary;

        bool Saw(FeatureKind seen) => (kinds & (1 << (int)seen)) != 0;
    }

    private FeatureStatistics Statistics(FeatureProfile profile, FeatureSummary summary, long single)
    {
        // The inline path for single values counted no lengths: those records held one value each.
        ValueSketch lengths = profile.Lengths;
        if (single > 0)
        {
            lengths = lengths.Copy();
            lengths.Add(1, single);
        }

        return new FeatureStatistics(
            Name,
            summary.Kind,
            expected?.IsList ?? false,
            summary.Present,
            Distribution.Of(lengths, 0, 0),
            summary.Kind is "int64" or "float" ? Distribution.Of(profile.Numbers, profile.NaN, profile.Infinities) : null,
            summary.Kind == "bytes" ? new StringValues(profile.Strings.Total, profile.Strings.Top(StringValues.Limit)) : null,
            summary.DistinctApprox);
    }

    private string Describe(AnomalyType type, Tally t)
    {
        ExpectedFeature? e = expected;
        string records = t.Count == 1 ? "1 record" : $"{t.Count} records";
        return type switch
        {
            AnomalyType.UnexpectedDataType => $"{records} hold {t.Example} values, expected {e?.Kind?.ToString().ToLowerInvariant()}",
            AnomalyType.InvalidFeatureShape => e?.FrameCount is { } perFrame && e.InSequence
                ? $"{records} have frames without exactly {perFrame} value (for example {t.Example})"
                : $"{records} have a number of values other than {e?.ExactCount} (for example {t.Example})",
            AnomalyType.LowNumberValues => $"{records} have fewer than {e?.MinValues} values (for example {t.Example})",
            AnomalyType.HighNumberValues => $"{records} have more than {e?.MaxValues} values (for example {t.Example})",
            AnomalyType.UnexpectedStringValues => $"{records} have values outside the domain (for example {t.Example})",
            AnomalyType.SmallInt => $"{records} have values below the domain's min {e?.IntMin} (for example {t.Example})",
            AnomalyType.BigInt => $"{records} have values above the domain's max {e?.IntMax} (for example {t.Example})",
            AnomalyType.IntNotInDomain => $"{records} have values outside the domain's list (for example {t.Example})",
            AnomalyType.SmallFloat => $"{records} have values below the domain's min {Fmt(e?.FloatMin)} (for example {t.Example})",
            AnomalyType.BigFloat => $"{records} have values above the domain's max {Fmt(e?.FloatMax)} (for example {t.Example})",
            AnomalyType.HasNan => $"{records} have NaN values",
            AnomalyType.HasInf => $"{records} have infinite values",
            _ => records,
        };
    }

    private static string Fmt(double? value) => value is { } v ? Json.PythonFloat.Repr(v) : "";

    private sealed class Tally
    {
        public long Count;
        public RecordRef First;
        public string Example = "";
    }
}
