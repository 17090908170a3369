using System.Data.Common;
using SparkTfrecord.Engine.Config;

namespace SparkTfrecord.Engine.Planning;

/// <summary>
/// The typed contract between the SQL plan and whatever reads its rows (the embedded writer, the Spark script and
/// writers, <c>sparktf encode</c>, the statistics): the columns of the samples, by role. The renderer makes the
/// columns under these names and the readers find them by these names (<see cref="Find"/>), never by position.
/// </summary>
internal sealed class SampleColumns
{
    internal SampleColumns(JobPlan plan, TechnicalColumns names)
    {
        Names = names;
        Features = plan.Definition.Features;
        Keys = plan.Samples.KeyColumns.Select(k => new KeyCopy(k, names.Key(k))).ToList();
        Missing = JoinedTables(plan.Job).Select(t => new MissingFlag(t, names.Missing(t))).ToList();
        Invalid = Features.Where(f => CanBeInvalid(plan.Job, f)).Select(f => new InvalidFlag(f.Name, names.Invalid(f.Name))).ToList();
        var order = new List<string> { names.Hash, names.ShardKey, names.Time };
        order.AddRange(Keys.Select(k => k.Name));
        if (plan.Samples.Config.Dedup.Count == 0)
        {
            // Without de-duplication, records equal in time and keys are ordered by content: every scalar feature.
            order.AddRange(Features.Where(f => !f.IsList && plan.Job.Histories.All(h => h.Feature != f.Name)).Select(f => f.Name));
        }

        Order = order;
        var sortable = Features.Select(f => f.Name).Append(Hash).Append(Split).ToList();
        sortable.AddRange(order.Where(c => !sortable.Contains(c)));
        Sortable = sortable;
    }

    /// <summary>The technical names used.</summary>
    public TechnicalColumns Names { get; }

    /// <summary>The features, in spec order: the first columns of every output query.</summary>
    public IReadOnlyList<FeatureColumn> Features { get; }

    /// <summary>The shard hash column.</summary>
    public string Hash => Names.Hash;

    /// <summary>The split column.</summary>
    public string Split => Names.Split;

    /// <summary>The shard key text column.</summary>
    public string ShardKey => Names.ShardKey;

    /// <summary>The time column.</summary>
    public string Time => Names.Time;

    /// <summary>The copies of the samples source's key columns.</summary>
    public IReadOnlyList<KeyCopy> Keys { get; }

    /// <summary>The missing-profile flags, one per joined table.</summary>
    public IReadOnlyList<MissingFlag> Missing { get; }

    /// <summary>The invalid-value flags, one per feature whose source value can fail to convert (see
    /// <see cref="CanBeInvalid"/>), in spec order.</summary>
    public IReadOnlyList<InvalidFlag> Invalid { get; }

    /// <summary>The order of records within a shard: hash, shard key, time, the key copies, and without
    /// de-duplication every scalar feature that is not a history. The same order on every engine.</summary>
    public IReadOnlyList<string> Order { get; }

    /// <summary>The columns of the output with its order columns (what the Spark engine's native writer leaves as
    /// Parquet): the features, the hash, the split, then the other order columns.</summary>
    public IReadOnlyList<string> Sortable { get; }

    /// <summary>Whether a feature's value can be present in its source and yet not convert to its kind: a feature read
    /// from a source column (not the label, a derived hour or day, a history or the samples' time) that is a list, an
    /// int64 or a float (text never fails).</summary>
    /// <param name="job">The job.</param>
    /// <param name="feature">The feature.</param>
    /// <returns>True when the feature gets an invalid flag and an <c>invalid.FEATURE</c> count.</returns>
    internal static bool CanBeInvalid(JobConfig job, FeatureColumn feature)
    {
        if (job.LabelFeature == feature.Name || job.Histories.Any(h => h.Feature == feature.Name))
        {
            return false;
        }

        var rule = job.Columns.FirstOrDefault(c => c.Feature == feature.Name);
        if (rule is null || rule.Function != DerivedFunction.None)
        {
            return false;
        }

        var time = job.Sources[job.Samples].Time;
        if (rule.Ref.Source == job.Samples && time is not null && rule.Ref.Column == time.Column)
        {
            return false;
        }

        return feature.IsList || Sql.ValueRules.CanBeInvalid(feature.Kind);
    }

    /// <summary>The tables joined to the samples for a feature, in the order of the job's columns.</summary>
    /// <param name="job">The job.</param>
    /// <returns>The source names.</returns>
    internal static IEnumerable<string> JoinedTables(JobConfig job) =>
        job.Columns.Where(c => c.Ref.Source != job.Samples).Select(c => c.Ref.Source).Distinct();

    /// <summary>Finds the output's columns in a reader's row: once per reader, by name.</summary>
    /// <param name="reader">A reader over an output query.</param>
    /// <returns>The ordinals.</returns>
    /// <exception cref="InvalidOperationException">A column is missing (a query not made from this contract).</exception>
    public OutputOrdinals Find(DbDataReader reader) => OutputOrdinals.Find(reader, Features, Names);
}

