namespace SparkTfrecord.Engine.Config;

/// <summary>
/// Which columns of which source the job's rules use, and in what role: the one walk over the config. A column is
/// <em>read</em> when any rule needs it (the engines select only these and check they exist), and a <em>key</em> when
/// it is used to join, de-duplicate or hash (read as text; a null one quarantines the row).
/// </summary>
/// <remarks>
/// The two lists keep the orders the job has always used, because both are visible: the read columns' order is the
/// order of the typed views' columns in the rendered SQL, and the keys' order is the order of the reasons a bad row is
/// given and of the key columns that break ties in the output order. They differ only in where the joined tables'
/// keys come: with the feature columns (read) or after the label and histories (keys).
/// </remarks>
internal static class ColumnUsage
{
    // The rules in the order of the read columns.
    private static readonly Step[] s_readOrder = [Step.Sources, Step.Columns, Step.Label, Step.Histories, Step.Output];

    // The rules in the order of the keys.
    private static readonly Step[] s_keyOrder = [Step.Sources, Step.Label, Step.Histories, Step.Columns, Step.Output];

    private enum Step
    {
        Sources,
        Columns,
        Label,
        Histories,
        Output,
    }

    /// <summary>Every column each source's rules read, per source, first use first.</summary>
    /// <param name="job">The job (its sources' own column lists are not used).</param>
    /// <returns>The columns by source name (every source, possibly empty).</returns>
    public static Dictionary<string, IReadOnlyList<string>> Read(JobConfig job) => Collect(job, s_readOrder, keysOnly: false);

    /// <summary>The columns each source's rules join, de-duplicate or hash on, per source, first use first.</summary>
    /// <param name="job">The job.</param>
    /// <returns>The key columns by source name (every source, possibly empty).</returns>
    public static Dictionary<string, IReadOnlyList<string>> Keys(JobConfig job) => Collect(job, s_keyOrder, keysOnly: true);

    private static Dictionary<string, IReadOnlyList<string>> Collect(JobConfig job, Step[] order, bool keysOnly)
    {
        ArgumentNullException.ThrowIfNull(job);
        var found = job.Sources.Keys.ToDictionary(k => k, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var step in order)
        {
            foreach (var (source, column, isKey) in Uses(job, step))
            {
                if ((isKey || !keysOnly) && !found[source].Contains(column))
                {
                    found[source].Add(column);
                }
            }
        }

        return found.ToDictionary(k => k.Key, k => (IReadOnlyList<string>)k.Value, StringComparer.Ordinal);
    }

    // The columns one kind of rule uses, in the rules' order: (source, column, whether a key).
    private static IEnumerable<(string Source, string Column, bool IsKey)> Uses(JobConfig job, Step step)
    {
        string samples = job.Samples;
        switch (step)
        {
            case Step.Sources:
                foreach (var s in job.Sources.Values)
                {
                    if (s.Key is not null)
                    {
                        yield return (s.Name, s.Key, true);
                    }

                    foreach (string d in s.Dedup)
                    {
                        yield return (s.Name, d, true);
                    }
                }

                break;
            case Step.Columns:
                foreach (var c in job.Columns)
                {
                    // A derived column reads the time, which every event source reads anyway.
                    if (c.Function == DerivedFunction.None && !(c.Ref.Source == samples && c.Ref.Column == job.Sources[samples].Time!.Column))
                    {
                        yield return (c.Ref.Source, c.Ref.Column, false);
                    }

                    if (c.Ref.Source != samples)
                    {
                        yield return (samples, job.Sources[c.Ref.Source].Key!, true);
                    }
                }

                break;
            case Step.Label:
                foreach (var label in job.Labels)
                {
                    foreach (string m in label.Match)
                    {
                        yield return (samples, m, true);
                        yield return (label.Events, m, true);
                    }

                    // An event filter's column is read as it is, not as a key: an event whose value is null counts for
                    // no label, and is no bad row (the same events feed other labels and histories).
                    foreach (var f in label.Filter)
                    {
                        yield return (label.Events, f.Column, false);
                    }
                }

                break;
            case Step.Histories:
                foreach (var h in job.Histories)
                {
                    yield return (samples, h.User, true);
                    yield return (h.Events, h.User, true);
                    if (h.Value.Source == h.Events)
                    {
                        yield return (h.Events, h.Value.Column, false);
                    }
                    else
                    {
                        yield return (h.Events, job.Sources[h.Value.Source].Key!, true);
                        yield return (h.Value.Source, h.Value.Column, false);
                    }

                    // A sequence history's per-step companions read their column the same way (issue 14).
                    foreach (var companion in h.Steps.Where(st => st.Value is not null))
                    {
                        if (companion.Value!.Source == h.Events)
                        {
                            yield return (h.Events, companion.Value.Column, false);
                        }
                        else
                        {
                            yield return (h.Events, job.Sources[companion.Value.Source].Key!, true);
                            yield return (companion.Value.Source, companion.Value.Column, false);
                        }
                    }
                }

                break;
            case Step.Output:
                foreach (string k in job.Output.ShardKey.Concat(job.Sampling.Key))
                {
                    yield return (samples, k, true);
                }

                break;
        }
    }
}
