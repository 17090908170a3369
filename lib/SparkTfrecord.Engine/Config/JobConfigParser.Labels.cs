using System.Globalization;
using System.Text.RegularExpressions;
using SparkTfrecord.Spec.Yaml;

namespace SparkTfrecord.Engine.Config;

// Issue 13: the labels (`label:` for one, `labels:` for several, each with its own rule and an optional event filter)
// and sampling (negative down-sampling, the sample weight, the hash or time split).
public static partial class JobConfigParser
{
    private static readonly string[] s_labelRuleKeys = ["events", "match", "within", "filter"];

    // `label: {events, match, within, feature?, filter?}` (one label), or `labels: {primary: NAME, NAME: {events, match,
    // within, filter?}, ...}`; returns every rule in the order written and the primary one.
    private static IReadOnlyList<LabelRule> ParseLabels(Reader r, YamlMapping job, Dictionary<string, SourceConfig> sources,
        IReadOnlyList<FeatureColumn> features, Dictionary<string, FeatureColumn> byName, HashSet<string> used, out LabelRule? primary)
    {
        primary = null;
        var one = r.Child(job, "label");
        var several = r.Child(job, "labels");
        if (one is not null && several is not null)
        {
            throw r.Error(several, "the job has both label: and labels:; give one (labels: {primary: click, click: {...}, cart: {...}} for several).");
        }

        if (one is not null)
        {
            var map = r.Mapping(one, "label");
            r.OnlyKeys(map, "in 'label'", [.. s_labelRuleKeys, "feature"]);
            string feature = r.OptionalString(map, "feature") ?? features.FirstOrDefault(f => f.Role == "label")?.Name
                ?? throw r.Error(map, "no feature has role: label; name the label feature with feature: NAME.");
            r.Feature(byName, feature, r.Child(map, "feature") ?? map, used);
            primary = ParseLabelRule(r, feature, map, "the label", sources);
            return [primary];
        }

        if (several is null)
        {
            return [];
        }

        var labels = r.Mapping(several, "labels");
        var rules = new List<LabelRule>();
        foreach (var (keyNode, valueNode) in labels.Entries)
        {
            string name = r.Name(keyNode, "a label feature");
            if (name == "primary")
            {
                continue;
            }

            r.Feature(byName, name, keyNode, used);
            var map = r.Mapping(valueNode, $"label '{name}'");
            r.OnlyKeys(map, $"in label '{name}'", s_labelRuleKeys);
            rules.Add(ParseLabelRule(r, name, map, $"label '{name}'", sources));
        }

        if (rules.Count == 0)
        {
            throw r.Error(labels, "labels: names no label; write labels: {primary: click, click: {events: clicks, match: [request_id, item_id], within: 30m}}.");
        }

        if (r.Child(labels, "primary") is { } primaryNode)
        {
            string name = r.Scalar(primaryNode, "primary");
            primary = rules.FirstOrDefault(l => l.Feature == name)
                ?? throw r.Error(primaryNode, $"primary '{name}' is not one of the labels: {string.Join(", ", rules.Select(l => l.Feature))}.");
        }
        else if (rules.Count == 1)
        {
            primary = rules[0];
        }
        else
        {
            throw r.Error(labels, $"labels: has several labels ({string.Join(", ", rules.Select(l => l.Feature))}): say which one negative down-sampling, the weights and the positives count use, with primary: {rules[0].Feature}.");
        }

        return rules;
    }

    private static LabelRule ParseLabelRule(Reader r, string feature, YamlMapping map, string what, Dictionary<string, SourceConfig> sources)
    {
        string events = r.RequiredString(map, "events");
        SourceConfig clicks = r.Source(sources, events, r.Child(map, "events")!, $"{what}'s events");
        if (clicks.Time is null)
        {
            throw r.Error(r.Child(map, "events")!, $"{what}'s events '{events}' need a time column.");
        }

        var match = r.ColumnList(r.Required(map, "match"), "match");
        if (match.Count == 0)
        {
            throw r.Error(r.Child(map, "match")!, "match needs at least one column, for example [request_id, item_id].");
        }

        var filter = new List<LabelFilter>();
        if (r.Child(map, "filter") is { } filterNode)
        {
            var filterMap = r.Mapping(filterNode, "filter");
            foreach (var (columnNode, valuesNode) in filterMap.Entries)
            {
                string column = r.ColumnName(columnNode, "a filter column");
                if (valuesNode is not YamlSequence list || list.Items.Count == 0)
                {
                    throw r.Error(valuesNode, $"filter column '{column}' takes a list of the values that count, for example {column}: [cart].");
                }

                filter.Add(new LabelFilter(column, list.Items.Select(v => r.FreeText(v, $"a value of filter column '{column}'", allowEmpty: true)).Distinct(StringComparer.Ordinal).ToList()));
            }

            if (filter.Count == 0)
            {
                throw r.Error(filterNode, "filter is empty; give column: [values], for example filter: {behavior: [cart]}, or remove it.");
            }
        }

        return new LabelRule(feature, events, match, r.Duration(r.Required(map, "within"), "within")) { Filter = filter };
    }

    // sampling: {negative_rate, eval_fraction, salt, key, weight, split}.
    private static SamplingConfig ParseSampling(Reader r, YamlMapping job, Dictionary<string, FeatureColumn> byName, HashSet<string> used, LabelRule? primary)
    {
        if (r.Child(job, "sampling") is not { } samplingNode)
        {
            return new SamplingConfig(1.0, 0.0, "", []);
        }

        var map = r.Mapping(samplingNode, "sampling");
        r.OnlyKeys(map, "in 'sampling'", "negative_rate", "eval_fraction", "salt", "key", "weight", "split");
        double rate = r.OptionalFraction(map, "negative_rate") ?? 1.0;
        double eval = r.OptionalFraction(map, "eval_fraction") ?? 0.0;
        var key = r.Child(map, "key") is { } k ? r.ColumnList(k, "key") : (IReadOnlyList<string>)[];
        if ((rate < 1.0 || eval > 0.0) && key.Count == 0)
        {
            throw r.Error(map, "sampling needs key: [COLUMNS] (the impression columns whose hash decides, for example [request_id, item_id]).");
        }

        TimeSplit? timeSplit = null;
        if (r.Child(map, "split") is { } splitNode)
        {
            timeSplit = ParseSplit(r, r.Mapping(splitNode, "split"));
            if (timeSplit is not null && r.Child(map, "eval_fraction") is { } fractionNode)
            {
                throw r.Error(fractionNode, "eval_fraction is the hash split's; split: {by: time, ...} puts samples in eval/ by their time: remove one.");
            }
        }

        string? weight = null;
        if (r.Child(map, "weight") is { } weightNode)
        {
            // The spec loader has checked the feature (a float scalar, not a label: FeatureSpec.Weight, the same rule in
            // Python); here it gets its rule, so no other rule may name it.
            weight = r.Name(weightNode, "the weight feature");
            r.Feature(byName, weight, weightNode, used);
            if (primary is null)
            {
                throw r.Error(weightNode, $"weight '{weight}' undoes negative down-sampling of the label, but the job has no label: add label: or remove weight.");
            }

            if (rate == 0.0)
            {
                throw r.Error(weightNode, $"weight '{weight}' would be 1 / negative_rate on kept negatives, but negative_rate 0 keeps none: raise negative_rate or remove weight.");
            }
        }

        string salt = r.Child(map, "salt") is { } saltNode ? r.FreeText(saltNode, "salt", allowEmpty: true) : "";
        return new SamplingConfig(rate, eval, salt, key) { Weight = weight, TimeSplit = timeSplit };
    }

    // split: {by: hash} (the default: eval_fraction decides) or {by: time, eval_from: "HH:MM"} or {by: time, eval_last: 6h}.
    private static TimeSplit? ParseSplit(Reader r, YamlMapping split)
    {
        r.OnlyKeys(split, "in 'split'", "by", "eval_from", "eval_last");
        string by = r.RequiredString(split, "by");
        var from = r.Child(split, "eval_from");
        var last = r.Child(split, "eval_last");
        if (by == "hash")
        {
            return from is null && last is null ? null
                : throw r.Error(from ?? last!, "eval_from and eval_last go with split: {by: time}; the hash split takes eval_fraction.");
        }

        if (by != "time")
        {
            throw r.Error(r.Child(split, "by")!, $"split by '{by}' is not known: use by: time (with eval_from: \"18:00\" or eval_last: 6h) or by: hash (eval_fraction).");
        }

        if ((from is null) == (last is null))
        {
            throw r.Error(split, "split: {by: time} takes one of eval_from: \"18:00\" (a local time of the run day) and eval_last: 6h (the day's last hours).");
        }

        if (from is not null)
        {
            string text = r.Scalar(from, "eval_from");
            var m = TimeOfDayPattern().Match(text);
            if (!m.Success)
            {
                throw r.Error(from, $"eval_from '{text}' is not a time of day: write \"HH:MM\" (quoted), 00:00 to 23:59, such as \"18:00\".");
            }

            return new TimeSplit(new TimeOnly(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)), null);
        }

        var hours = r.Duration(last!, "eval_last");
        return hours <= TimeSpan.FromDays(1) ? new TimeSplit(null, hours)
            : throw r.Error(last!, $"eval_last '{r.Scalar(last!, "eval_last")}' is longer than a day; the split is of the run day's samples (at most 24h).");
    }

    [GeneratedRegex(@"^([01][0-9]|2[0-3]):([0-5][0-9])$")]
    private static partial Regex TimeOfDayPattern();
}
