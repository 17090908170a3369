using System.Globalization;
using System.Text.RegularExpressions;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Spec;
using SparkTfrecord.Spec.Yaml;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Engine.Config;

/// <summary>
/// Reads the <c>job:</c> section of a feature spec file from its YAML node, checking it against the spec's features;
/// every error names the file, line and column of the node at fault. Values are read through the spec library's YAML
/// layer (<see cref="YamlNode"/>), the same strict dialect and messages as the features.
/// </summary>
public static partial class JobConfigParser
{
    private static readonly string[] s_sourceKeys = ["path", "table", "partition", "format", "csv", "time", "key", "dedup", "rename", "as_of"];

    /// <summary>Parses a <c>job:</c> node.</summary>
    /// <param name="job">The node (it knows its file, for messages).</param>
    /// <param name="features">The spec's features, in spec order.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="JobConfigException">The section is invalid; the message names the place.</exception>
    internal static JobConfig Parse(YamlMapping job, IReadOnlyList<FeatureColumn> features)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(features);
        try
        {
            return Read(job, features);
        }
        catch (SpecException e)
        {
            // A value the YAML layer refused (a tag, a yes for a boolean, .5 for a number, an unknown key): its
            // message already names the place and the fix.
            throw new JobConfigException(e.Message, e);
        }
    }

    private static JobConfig Read(YamlMapping job, IReadOnlyList<FeatureColumn> features)
    {
        string file = job.Location.File;
        var r = new Reader();
        job.RefuseTags();
        r.OnlyKeys(job, "in the job section", "sources", "samples", "timezone", "label", "labels", "history", "columns", "sampling", "output", "quarantine", "checks", "state");

        var sourcesNode = r.Mapping(r.Required(job, "sources"), "sources");
        var sources = new Dictionary<string, SourceConfig>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in sourcesNode.Entries)
        {
            string name = r.SourceName(keyNode, sources.Keys);
            sources[name] = ParseSource(r, name, r.Mapping(valueNode, $"source '{name}'"));
        }

        string samples = r.OptionalString(job, "samples") ?? "impressions";
        SourceConfig samplesSource = r.Source(sources, samples, r.Child(job, "samples") ?? sourcesNode, "the samples source");
        if (samplesSource.Time is null)
        {
            throw r.Error(r.Child(job, "samples") ?? sourcesNode, $"the samples source '{samples}' needs a time column (time: {{column: ts, unit: ms}}).");
        }

        TimeZoneInfo zone = TimeZoneInfo.Utc;
        string timeZone = r.Child(job, "timezone") is { } zoneNode ? r.Zone(zoneNode, "timezone", out zone) : "UTC";

        var byName = features.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);

        // The labels (issue 13: several labels, each by its own rule; JobConfigParser.Labels.cs).
        var labels = ParseLabels(r, job, sources, features, byName, used, out LabelRule? label);
        string? labelFeature = label?.Feature;

        // Histories.
        var histories = new List<HistoryRule>();
        var steps = new List<(string Of, YamlNode At, StepRule Rule)>();
        if (r.Child(job, "history") is { } historyNode)
        {
            foreach (var (keyNode, valueNode) in r.Mapping(historyNode, "history").Entries)
            {
                string feature = r.Name(keyNode, "a history feature");
                var f = r.Feature(byName, feature, keyNode, used);
                if (f.StepOf is { } of)
                {
                    steps.Add((of, keyNode, ParseStep(r, f, valueNode, sources)));
                    continue;
                }

                if (!f.IsList)
                {
                    throw r.Error(keyNode, $"history feature '{feature}' must be a list in the spec (shape: var).");
                }

                var map = r.Mapping(valueNode, $"history '{feature}'");
                r.OnlyKeys(map, $"in history '{feature}'", "events", "value", "window", "max_length", "order", "user", "missing");
                string events = r.RequiredString(map, "events");
                SourceConfig source = r.Source(sources, events, r.Child(map, "events")!, "the history's events");
                if (source.Time is null)
                {
                    throw r.Error(r.Child(map, "events")!, $"the history's events '{events}' need a time column.");
                }

                var valueNodeRef = r.Required(map, "value");
                string valueText = r.Scalar(valueNodeRef, "value");
                ColumnRef value = valueText.Contains('.', StringComparison.Ordinal)
                    ? r.ColumnRef(valueNodeRef, valueText, sources)
                    : new ColumnRef(events, r.ColumnName(valueNodeRef, "value"));
                if (value.Source != events && sources[value.Source].Key is null)
                {
                    throw r.Error(valueNodeRef, $"'{valueText}': a history value comes from the events or from a table with a key (key: COLUMN) joined on it.");
                }

                string order = r.OptionalString(map, "order") ?? "newest_first";
                if (order != "newest_first")
                {
                    throw r.Error(r.Child(map, "order")!, $"order '{order}' is not supported: histories are newest_first (ties broken by value ascending).");
                }

                int maxLength = r.OptionalInt(map, "max_length") ?? 50;
                if (maxLength < 1)
                {
                    throw r.Error(r.Child(map, "max_length")!, "max_length must be at least 1.");
                }

                histories.Add(new HistoryRule(feature, events, value, r.Duration(r.Required(map, "window"), "window"), maxLength,
                    r.Child(map, "user") is { } userNode ? r.ColumnName(userNode, "user") : "user_id",
                    r.Child(map, "missing") is { } missingNode ? r.MissingValue(missingNode, f.Kind, feature) : null));
            }
        }

        AttachSteps(r, histories, steps, sources);

        // Plain and derived columns.
        var columns = new List<ColumnRule>();
        var columnsNode = r.Child(job, "columns");
        if (columnsNode is not null)
        {
            foreach (var (keyNode, valueNode) in r.Mapping(columnsNode, "columns").Entries)
            {
                string feature = r.Name(keyNode, "a feature");
                if (r.Feature(byName, feature, keyNode, used).IsSequence)
                {
                    throw r.Error(keyNode, $"feature '{feature}' is a sequence (shape: seq): its feature list comes from history:, one frame per event, not from a column.");
                }

                string text = r.Scalar(valueNode, $"column '{feature}'");
                var call = CallPattern().Match(text);
                DerivedFunction function = DerivedFunction.None;
                string refText = text;
                if (call.Success)
                {
                    function = call.Groups[1].Value switch
                    {
                        "hour_of_day" => DerivedFunction.HourOfDay,
                        "day_of_week" => DerivedFunction.DayOfWeek,
                        _ => throw r.Error(valueNode, $"unknown function '{call.Groups[1].Value}': the derived features are hour_of_day(SOURCE.TIME) and day_of_week(SOURCE.TIME)."),
                    };
                    refText = call.Groups[2].Value.Trim();
                }

                ColumnRef reference = r.ColumnRef(valueNode, refText, sources);
                if (reference.Source != samples && sources[reference.Source].Key is null)
                {
                    throw r.Error(valueNode, $"'{text}': a column comes from the samples source '{samples}' or from a table with a key (key: COLUMN) joined on it.");
                }

                if (function != DerivedFunction.None && (reference.Source != samples || samplesSource.Time!.Column != reference.Column))
                {
                    throw r.Error(valueNode, $"'{text}': {call.Groups[1].Value} applies to the samples' time column {samples}.{samplesSource.Time!.Column}.");
                }

                columns.Add(new ColumnRule(feature, reference, function));
            }
        }

        // Sampling (JobConfigParser.Labels.cs: the weight feature gets its rule there).
        var sampling = ParseSampling(r, job, byName, used, label);

        foreach (var f in features)
        {
            if (!used.Contains(f.Name) && f.StepOf is { } of)
            {
                throw r.Error(r.Child(job, "history") ?? job, $"feature '{f.Name}' (a step of '{of}') has no rule: add it to history, for example {f.Name}: {{value: COLUMN}} or {{time_delta: seconds}}.");
            }

            if (!used.Contains(f.Name))
            {
                throw r.Error(columnsNode ?? job, $"feature '{f.Name}' has no rule: add it to columns (for example {f.Name}: {samples}.{f.Name}), history or label.");
            }
        }

        // Output, quarantine.
        var output = new OutputConfig(1, TfRecordCompression.None, []);
        if (r.Child(job, "output") is { } outputNode)
        {
            var map = r.Mapping(outputNode, "output");
            r.OnlyKeys(map, "in 'output'", "shards", "compression", "shard_key", ShardLimit.KeyOf(ShardLimitUnit.Records), ShardLimit.KeyOf(ShardLimitUnit.Bytes));
            var limit = ParseShardLimit(r, map);
            int shards = r.OptionalInt(map, "shards") ?? 1;
            if (shards is < 1 or > 100_000)
            {
                throw r.Error(r.Child(map, "shards")!, "shards must be between 1 and 100000.");
            }

            var compression = TfRecordCompression.None;
            if (r.OptionalString(map, "compression") is { } c && !TryParseCompression(c, out compression))
            {
                throw r.Error(r.Child(map, "compression")!, $"compression must be none, gzip or zlib, not '{c}'.");
            }

            var shardKey = r.Child(map, "shard_key") is { } sk ? r.ColumnList(sk, "shard_key") : (IReadOnlyList<string>)[];
            output = new OutputConfig(shards, compression, shardKey) { Limit = limit };
        }

        if (output.ShardKey.Count == 0)
        {
            output = output with { ShardKey = samplesSource.Dedup.Count > 0 ? samplesSource.Dedup : [samplesSource.Time!.Column] };
        }

        double maxBad = 0.0;
        if (r.Child(job, "quarantine") is { } quarantineNode)
        {
            var map = r.Mapping(quarantineNode, "quarantine");
            r.OnlyKeys(map, "in 'quarantine'", "max_bad_fraction");
            maxBad = r.OptionalFraction(map, "max_bad_fraction") ?? 0.0;
        }

        // Every column the rules read, per source, so the engine selects only those (and checks they exist).
        var config = new JobConfig(file, sources, samples, timeZone, zone, label, labelFeature, histories, columns, sampling, output, maxBad) { Labels = labels };
        var needed = ColumnUsage.Read(config);
        var finalSources = sources.Values.ToDictionary(
            s => s.Name,
            s => s with { Columns = needed[s.Name].Where(c => s.Time is null || c != s.Time.Column).ToList() },
            StringComparer.Ordinal);
        r.CheckReadableColumns(finalSources.Values, job);
        return config with { Sources = finalSources, Checks = ParseChecks(r, job), State = ParseState(r, job) };
    }

    // Issue 12: `state: "{input}/../state"`, the folder of the incremental state's snapshots (DIR/dt=DATE/ below it),
    // so no day in it; --state overrides it.
    private static string? ParseState(Reader r, YamlMapping job)
    {
        if (r.Child(job, "state") is not { } node)
        {
            return null;
        }

        string template = r.PathTemplateText(node);
        if (template.Contains("{date", StringComparison.Ordinal))
        {
            throw r.Error(node, $"state '{template}' names a day: give the state's folder, which holds one dt=DATE/ snapshot per day (docs/state.md).");
        }

        return template;
    }

    /// <summary>Finds a time zone by IANA name.</summary>
    /// <param name="name">The name.</param>
    /// <param name="zone">The zone.</param>
    /// <returns>Whether it exists.</returns>
    internal static bool TryFindZone(string name, out TimeZoneInfo zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(name);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            zone = TimeZoneInfo.Utc;
            return false;
        }
    }

    /// <summary>Parses none, gzip or zlib (any case).</summary>
    /// <param name="text">The text.</param>
    /// <param name="compression">The value.</param>
    /// <returns>Whether it parsed.</returns>
    public static bool TryParseCompression(string text, out TfRecordCompression compression)
    {
        compression = TfRecordCompression.None;
        return !int.TryParse(text, out _) && Enum.TryParse(text, ignoreCase: true, out compression);
    }

    /// <summary>Parses a duration such as <c>30m</c>, <c>15d</c>, <c>2h</c> or <c>45s</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The duration.</param>
    /// <returns>Whether it parsed.</returns>
    internal static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = default;
        var m = DurationPattern().Match(text ?? "");
        if (!m.Success || !long.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long n))
        {
            return false;
        }

        try
        {
            value = m.Groups[2].Value switch
            {
                "d" => TimeSpan.FromDays(n),
                "h" => TimeSpan.FromHours(n),
                "m" => TimeSpan.FromMinutes(n),
                "s" => TimeSpan.FromSeconds(n),
                _ => TimeSpan.FromMilliseconds(n),
            };
        }
        catch (Exception e) when (e is OverflowException or ArgumentOutOfRangeException)
        {
            // A duration beyond TimeSpan's range is read as the longest one, for the caller's limit to refuse.
            value = TimeSpan.MaxValue;
        }

        return true;
    }

    // checks: {min_samples: N, max_outside_day_fraction: F}, the day's sanity checks (see Jobs.DayChecks).
    private static DayChecksConfig ParseChecks(Reader r, YamlMapping job)
    {
        if (r.Child(job, "checks") is not { } checksNode)
        {
            return DayChecksConfig.Default;
        }

        var map = r.Mapping(checksNode, "checks");
        r.OnlyKeys(map, "in 'checks'", "min_samples", "max_outside_day_fraction", "baseline");
        long minSamples = DayChecksConfig.Default.MinSamples;
        if (r.Child(map, "min_samples") is { } minNode)
        {
            string text = r.Scalar(minNode, "min_samples");
            if (!minNode.TryReadInteger(out minSamples) || minSamples < 0)
            {
                throw r.Error(minNode, $"min_samples must be a whole number of samples, 0 or more (0 allows an empty day), not '{text}'.");
            }
        }

        var baseline = StatisticsBaseline.None;
        if (r.Child(map, "baseline") is { } baselineNode)
        {
            string text = r.Scalar(baselineNode, "baseline");
            baseline = text == "previous_day"
                ? StatisticsBaseline.PreviousDay
                : throw r.Error(baselineNode, $"baseline '{text}' is not known: the one baseline is previous_day (the previous day's output's _stats.json, compared with the spec's drift: thresholds).");
        }

        return new DayChecksConfig(minSamples, r.OptionalFraction(map, "max_outside_day_fraction")) { Baseline = baseline };
    }

    private static SourceConfig ParseSource(Reader r, string name, YamlMapping map)
    {
        r.OnlyKeys(map, $"in source '{name}'", s_sourceKeys);
        var table = ParseTable(r, name, map);
        string path = table is null ? r.PathTemplateText(r.Required(map, "path")) : "";
        string formatText = r.OptionalString(map, "format") ?? "parquet";
        SourceFormat format = formatText switch
        {
            "parquet" => SourceFormat.Parquet,
            "csv" => SourceFormat.Csv,
            "jsonl" or "json" => SourceFormat.JsonLines,
            _ => throw r.Error(r.Child(map, "format")!, $"format '{formatText}' is not supported: use parquet, csv or jsonl."),
        };

        var csv = new CsvOptions(true, ',', []);
        if (r.Child(map, "csv") is { } csvNode)
        {
            var c = r.Mapping(csvNode, "csv");
            r.OnlyKeys(c, $"in 'csv' of source '{name}'", "header", "delimiter", "columns");
            bool header = r.OptionalBool(c, "header") ?? true;
            char delimiter = r.Child(c, "delimiter") is { } delimiterNode ? r.Delimiter(delimiterNode) : ',';
            var columns = r.Child(c, "columns") is { } cols ? r.ColumnList(cols, "columns") : (IReadOnlyList<string>)[];
            if (!header && columns.Count == 0)
            {
                throw r.Error(c, "a CSV source without a header needs columns: [NAMES] in file order.");
            }

            csv = new CsvOptions(header, delimiter, columns);
        }

        TimeColumn? time = r.Child(map, "time") is { } timeNode ? ParseTimeColumn(r, name, timeNode, "time") : null;

        string? key = r.Child(map, "key") is { } keyNode ? r.ColumnName(keyNode, "key") : null;
        if (time is null && key is null)
        {
            throw r.Error(map, $"source '{name}' needs time: {{column: ..., unit: ...}} (an event source) or key: COLUMN (a profile table).");
        }

        var dedup = r.Child(map, "dedup") is { } d ? r.ColumnList(d, "dedup") : (IReadOnlyList<string>)[];
        var rename = new Dictionary<string, string>(StringComparer.Ordinal);
        if (r.Child(map, "rename") is { } renameNode)
        {
            foreach (var (k, v) in r.Mapping(renameNode, "rename").Entries)
            {
                rename[r.ColumnName(k, "a column")] = r.FileColumn(v);
            }
        }

        return new SourceConfig(name, path, format, csv, time, key, dedup, rename, [], table, ParseAsOf(r, name, map, time, key));
    }

    // A source's time column ({column, unit, zone}): an event's time (time:) or a version's (as_of:), read alike.
    private static TimeColumn ParseTimeColumn(Reader r, string name, YamlNode node, string what)
    {
        var t = r.Mapping(node, what);
        r.OnlyKeys(t, $"in '{what}' of source '{name}'", "column", "unit", "zone");
        string unitText = r.OptionalString(t, "unit") ?? "ms";
        TimeUnit unit = unitText switch
        {
            "s" => TimeUnit.Seconds,
            "ms" => TimeUnit.Milliseconds,
            "us" => TimeUnit.Microseconds,
            "text" or "timestamp" => TimeUnit.Text,
            _ => throw r.Error(r.Child(t, "unit")!, $"unit '{unitText}' is not supported: use s, ms, us (epoch) or text."),
        };
        string zone = r.Child(t, "zone") is { } zoneNode ? r.Zone(zoneNode, "zone", out _) : "UTC";
        return new TimeColumn(r.ColumnName(r.Required(t, "column"), what == "time" ? "the time column" : "the as_of column"), unit, zone);
    }

    // Issue 13: `as_of: {column: updated_at, unit: ms, zone: UTC}` makes a keyed table versioned: each row is its key's
    // version from that instant on, and a sample (or a history event) joins the latest version at or before its time.
    // Only a keyed table has versions; an event source (time:) has its own time already.
    private static TimeColumn? ParseAsOf(Reader r, string name, YamlMapping map, TimeColumn? time, string? key)
    {
        if (r.Child(map, "as_of") is not { } node)
        {
            return null;
        }

        if (key is null || time is not null)
        {
            throw r.Error(node, $"source '{name}' has as_of: but {(key is null ? "no key:" : "a time: too")}; as_of versions a keyed table (key: COLUMN, as_of: {{column: updated_at, unit: ms}}), while an event source has time: alone.");
        }

        return ParseTimeColumn(r, name, node, "as_of");
    }

    /// <summary>
    /// A metastore source (<c>table: db.name</c>, optionally <c>partition: {column, format, days}</c>), or null for a
    /// path source. A source has exactly one of path and table; a table has no format or csv (the metastore knows
    /// them), and partition goes with table only.
    /// </summary>
    private static TableSource? ParseTable(Reader r, string name, YamlMapping map)
    {
        var pathNode = r.Child(map, "path");
        var tableNode = r.Child(map, "table");
        var partitionNode = r.Child(map, "partition");
        if (tableNode is null && pathNode is null)
        {
            throw r.Error(map, $"source '{name}' needs path: (a template of its files' path) or table: (a metastore table db.name, read by --engine spark).");
        }

        if (tableNode is null)
        {
            return partitionNode is null ? null
                : throw r.Error(partitionNode, $"source '{name}' has partition: but no table: partition names a metastore table's date column; a path source puts its days in the path ({{date}}, {{date-15d..date}}).");
        }

        if (pathNode is not null)
        {
            throw r.Error(tableNode, $"source '{name}' has both path: and table:; give one: the files' path template, or the metastore table (Spark engine only).");
        }

        foreach (string fileOnly in new[] { "format", "csv" })
        {
            if (r.Child(map, fileOnly) is { } node)
            {
                throw r.Error(node, $"source '{name}' reads the table {r.Scalar(tableNode, "table")}: the metastore knows its format, so {fileOnly}: is not taken with table:; remove it.");
            }
        }

        string tableText = r.Scalar(tableNode, "table");
        var parts = tableText.Split('.');
        if (parts.Length > 3 || parts.Any(part => !NamePattern().IsMatch(part)))
        {
            throw r.Error(tableNode, $"table '{tableText}' is not a table name: write db.name (or name, or catalog.db.name), each part letters, digits and '_', not starting with a digit.");
        }

        PartitionConfig? partition = null;
        if (partitionNode is not null)
        {
            var p = r.Mapping(partitionNode, "partition");
            r.OnlyKeys(p, $"in 'partition' of source '{name}'", "column", "format", "days");
            string column = r.ColumnName(r.Required(p, "column"), "the partition column");
            string format = r.OptionalString(p, "format") ?? PartitionConfig.DefaultFormat;
            if (PartitionConfig.CheckFormat(format) is { } wrongFormat)
            {
                throw r.Error(r.Child(p, "format")!, wrongFormat + ".");
            }

            string days = r.OptionalString(p, "days") ?? PartitionConfig.DefaultDays;
            if (!DaysPattern().IsMatch(days) || days.Contains("{input}", StringComparison.Ordinal) || PathTemplate.Check(days) is not null)
            {
                throw r.Error(r.Child(p, "days")!, $"days '{days}' is not one day or range placeholder: write {{date}}, {{date+1d}} or a range such as {{date-15d..date+1d}}" +
                    (PathTemplate.Check(days) is { } why ? $" ({why})." : "."));
            }

            partition = new PartitionConfig(column, format, days);
        }

        return new TableSource(parts, partition);
    }

    [GeneratedRegex(@"^\s*([a-z_]+)\s*\((.*)\)\s*$")]
    private static partial Regex CallPattern();

    [GeneratedRegex(@"^\s*(\d+)\s*(d|h|m|s|ms)\s*$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^\{[^{}]+\}$")]
    private static partial Regex DaysPattern();

    // Issue 14: output.max_records_per_shard or output.target_shard_bytes, the alternatives to output.shards (one of
    // the three at most: each decides how many files there are).
    private static ShardLimit? ParseShardLimit(Reader r, YamlMapping map)
    {
        string[] layouts = ["shards", ShardLimit.KeyOf(ShardLimitUnit.Records), ShardLimit.KeyOf(ShardLimitUnit.Bytes)];
        var given = layouts.Where(k => r.Child(map, k) is not null).ToList();
        if (given.Count > 1)
        {
            throw r.Error(r.Child(map, given[1])!,
                $"output has both {given[0]} and {given[1]}: each decides how the samples are cut into files (shards: a fixed number of files; " +
                "max_records_per_shard: files of at most that many records; target_shard_bytes: files of at most that many bytes). Keep one.");
        }

        foreach (var (unit, what) in new[] { (ShardLimitUnit.Records, "records"), (ShardLimitUnit.Bytes, "bytes") })
        {
            string key = ShardLimit.KeyOf(unit);
            if (r.Child(map, key) is { } node)
            {
                long v = node.ReadInteger(key);
                return v >= 1 ? new ShardLimit(unit, v)
                    : throw r.Error(node, $"{key} must be a whole number of {what} of at least 1 (for example {(unit == ShardLimitUnit.Records ? "100000" : "268435456 for 256 MiB")}), not {v}.");
            }
        }

        return null;
    }

    private sealed partial class Reader
    {
        public JobConfigException Error(YamlNode node, string what) =>
            JobConfigException.At(node.Location.File, node.Location.Line, node.Location.Column, what);

        public YamlNode? Child(YamlMapping map, string key) => map.Get(key);

        public YamlNode Required(YamlMapping map, string key) =>
            map.Get(key) ?? throw Error(map, $"'{key}' is required here.");

        public void OnlyKeys(YamlMapping map, string where, params string[] keys) => map.CheckKeys(keys, where);

        public YamlMapping Mapping(YamlNode node, string what) =>
            node as YamlMapping ?? throw Error(node, $"{what} must be a mapping ({{key: value, ...}}), not {node.Describe()}.");

        public string Scalar(YamlNode node, string what) => node.AsScalar(what, "a single value").Value;

        public string Name(YamlNode node, string what) => CheckedName(node, what);

        public string RequiredString(YamlMapping map, string key) => Required(map, key).ReadString(key);

        public string? OptionalString(YamlMapping map, string key) => map.Get(key)?.ReadString(key);

        public int? OptionalInt(YamlMapping map, string key)
        {
            if (map.Get(key) is not { } n)
            {
                return null;
            }

            long v = n.ReadInteger(key);
            return v is >= int.MinValue and <= int.MaxValue ? (int)v : throw Error(n, $"{key} is {v}, beyond the 32-bit range this setting takes.");
        }

        public bool? OptionalBool(YamlMapping map, string key) => map.Get(key)?.ReadBool(key);

        public double? OptionalFraction(YamlMapping map, string key)
        {
            if (map.Get(key) is not { } n)
            {
                return null;
            }

            double v = n.ReadFloat(key);
            return v is >= 0 and <= 1 ? v : throw Error(n, $"{key} must be a number from 0 to 1 (0.05, 1.0, 0 or 1), not '{Scalar(n, key)}'.");
        }

        public TimeSpan Duration(YamlNode node, string what)
        {
            string s = Scalar(node, what);
            if (TryParseDuration(s, out var d) && d > TimeSpan.FromDays(MaxDurationDays))
            {
                throw Error(node, $"{what} '{s}' is longer than {MaxDurationDays} days.");
            }

            return TryParseDuration(s, out d) && d > TimeSpan.Zero
                ? d : throw Error(node, $"{what} '{s}' is not a duration: write a number and a unit, such as 30m, 2h, 15d, 45s or 500ms.");
        }

        public SourceConfig Source(Dictionary<string, SourceConfig> sources, string name, YamlNode at, string what) =>
            sources.TryGetValue(name, out var s) ? s
                : throw Error(at, $"{what} '{name}' is not a source: the sources are {string.Join(", ", sources.Keys)}.");

        public ColumnRef ColumnRef(YamlNode node, string text, Dictionary<string, SourceConfig> sources)
        {
            int dot = text.IndexOf('.', StringComparison.Ordinal);
            if (dot <= 0 || dot == text.Length - 1)
            {
                throw Error(node, $"'{text}' must be SOURCE.COLUMN, for example impressions.user_id.");
            }

            string source = text[..dot];
            string column = text[(dot + 1)..];
            Source(sources, source, node, $"in '{text}', the source");
            if (!NamePattern().IsMatch(column))
            {
                throw Error(node, $"'{column}' in '{text}' is not a column name.");
            }

            return new ColumnRef(source, RegisterColumn(node, CheckName(node, column, $"the column in '{text}'")));
        }

        public FeatureColumn Feature(Dictionary<string, FeatureColumn> byName, string name, YamlNode at, HashSet<string> used)
        {
            if (!byName.TryGetValue(name, out var f))
            {
                throw Error(at, $"'{name}' is not a feature of the spec: the features are {string.Join(", ", byName.Keys)}.");
            }

            if (!used.Add(name))
            {
                throw Error(at, $"feature '{name}' has more than one rule (label, history and columns each name a feature once).");
            }

            return f;
        }
    }
}
