using SparkTfrecord.Spec;
using SparkTfrecord.Spec.Yaml;

namespace SparkTfrecord.Engine.Config;

/// <summary>The per-step companions of sequence histories (issue 14): their <c>history:</c> entries.</summary>
public static partial class JobConfigParser
{
    private static readonly string[] s_timeDeltaUnits = ["seconds"];

    // A companion's entry: `{value: COLUMN | table.COLUMN, missing: V}` or `{time_delta: seconds}`. The events, window,
    // max_length and order are the history's (the spec's `of:` names it), so the lists stay aligned.
    private static StepRule ParseStep(Reader r, FeatureColumn f, YamlNode node, Dictionary<string, SourceConfig> sources)
    {
        string what = $"history '{f.Name}'";
        var map = r.Mapping(node, what);
        r.OnlyKeys(map, $"in {what} (a step of '{f.StepOf}': its events, window and max_length are the history's)", "value", "missing", "time_delta");
        var valueNode = r.Child(map, "value");
        var deltaNode = r.Child(map, "time_delta");
        if ((valueNode is null) == (deltaNode is null))
        {
            throw r.Error(node, $"{what} is a step of '{f.StepOf}': give it either value: (a column of the events, or table.column) or time_delta: seconds.");
        }

        string missing = r.Child(map, "missing") is { } missingNode ? r.MissingValue(missingNode, f.Kind, f.Name) : f.PaddingText!;
        if (deltaNode is not null)
        {
            string unit = r.Scalar(deltaNode, "time_delta");
            if (!s_timeDeltaUnits.Contains(unit, StringComparer.Ordinal))
            {
                throw r.Error(deltaNode, $"time_delta '{unit}' is not supported: write time_delta: seconds.");
            }

            if (f.Kind == FeatureDtype.String)
            {
                throw r.Error(deltaNode, $"'{f.Name}' is a string feature; a time_delta is a number: give the feature dtype int64 (whole seconds) or float.");
            }

            return new StepRule(f.Name, null, missing, TimeDelta: true);
        }

        // The history's events are known once every entry is read (AttachSteps); a bare column is theirs.
        string text = r.Scalar(valueNode!, "value");
        ColumnRef value = text.Contains('.', StringComparison.Ordinal)
            ? r.ColumnRef(valueNode!, text, sources)
            : new ColumnRef("", r.ColumnName(valueNode!, "value"));
        return new StepRule(f.Name, value, missing, TimeDelta: false) { At = valueNode };
    }

    // Gives each sequence history its companions, in the order written, checking that each names a history with a rule
    // and takes its value from the history's events or a keyed table.
    private static void AttachSteps(Reader r, List<HistoryRule> histories, List<(string Of, YamlNode At, StepRule Rule)> steps, Dictionary<string, SourceConfig> sources)
    {
        foreach (var (of, at, rule) in steps)
        {
            int k = histories.FindIndex(h => h.Feature == of);
            if (k < 0)
            {
                throw r.Error(at, $"'{rule.Feature}' is a step of history '{of}', which has no entry in history: (give '{of}' its events, value, window and max_length there).");
            }

            var h = histories[k];
            var step = rule;
            if (step.Value is { Source: "" } bare)
            {
                step = step with { Value = new ColumnRef(h.Events, bare.Column) };
            }
            else if (step.Value is { } v && v.Source != h.Events && sources[v.Source].Key is null)
            {
                throw r.Error(rule.At!, $"'{v.Source}.{v.Column}': a step's value comes from the history's events ({h.Events}) or from a table with a key (key: COLUMN) joined on it.");
            }

            histories[k] = h with { Steps = [.. h.Steps, step] };
        }
    }
}
