namespace SparkTfrecord.Engine.Planning;

/// <summary>
/// The names of the job's technical columns: every column the SQL plan makes besides the features (the shard hash,
/// the split, the keys, the missing-profile flags, time, the reader's row bookkeeping, and the aliases local to one
/// statement). The only place these names are spelled: the renderer, the dialects, the Spark script and the writers
/// all take them from here, so renaming one is a change of one line. Every name starts with <see cref="Prefix"/>,
/// which feature and source column names may not use (the job's config rules refuse them).
/// </summary>
internal sealed class TechnicalColumns
{
    /// <summary>The prefix reserved for technical columns: no feature or source column may start with it, so no
    /// technical name can meet a user's.</summary>
    public const string ReservedPrefix = "__";

    private const string KeyTag = "key_";

    private TechnicalColumns(string prefix)
    {
        Prefix = prefix;
    }

    /// <summary>The names every run uses: the prefix <c>__</c> (<c>__h</c>, <c>__split</c>, ...). The Parquet the Spark
    /// engine's native writer leaves for <c>sparktf encode</c> has these names.</summary>
    public static TechnicalColumns Default { get; } = new(ReservedPrefix);

    /// <summary>The prefix every technical name starts with.</summary>
    public string Prefix { get; }

    /// <summary>The project hash of the shard key (<see cref="Hashing.ProjectHash"/>): picks the shard and leads the
    /// order of records.</summary>
    public string Hash => Prefix + "h";

    /// <summary>The split of a sample: <c>'train'</c> or <c>'eval'</c>.</summary>
    public string Split => Prefix + "split";

    /// <summary>The shard key's text (hashed into <see cref="Hash"/>, and the order's second column).</summary>
    public string ShardKey => Prefix + "k";

    /// <summary>The sampling key's text (hashed to down-sample negatives and split).</summary>
    public string SamplingKey => Prefix + "sk";

    /// <summary>An event's time in epoch microseconds.</summary>
    public string Time => Prefix + "ts";

    /// <summary>Whether a sample survives down-sampling.</summary>
    public string Kept => Prefix + "kept";

    /// <summary>A row id, unique within one run, that joins a sample's derived values back to it.</summary>
    public string RowId => Prefix + "id";

    /// <summary>The labels' column: the row id of the impression a click labels.</summary>
    public string LabelledImpression => Prefix + "imp";

    /// <summary>The reader's file column: the file's name or its index in the source's sorted files.</summary>
    public string File => Prefix + "file";

    /// <summary>The reader's row column: the row's (or line's) number in its file.</summary>
    public string Row => Prefix + "row";

    /// <summary>The reader's column saying why it could not make a row of a line, or null.</summary>
    public string Bad => Prefix + "bad";

    /// <summary>The reader's column marking what is not a row at all (a blank line).</summary>
    public string Skip => Prefix + "skip";

    /// <summary>The reader's raw text of a line it could not make a row of (a malformed CSV record or JSON line), or
    /// null; in a typed row on an engine that keeps no line numbers (<see cref="Sql.SqlDialect.KeepsRawRows"/>), that
    /// line or else the row as read (a JSON object of the columns): what the quarantine shows of a bad row.</summary>
    public string Raw => Prefix + "raw";

    /// <summary>Spark's corrupt-record column (the CSV and JSON readers' <c>columnNameOfCorruptRecord</c>): the raw
    /// record of a line the reader could not parse, null for a good one.</summary>
    public string Corrupt => Prefix + "corrupt";

    /// <summary>Why a typed row is bad (quarantined), or null for a good row.</summary>
    public string Reason => Prefix + "reason";

    /// <summary>The source a quarantined row comes from.</summary>
    public string Source => Prefix + "source";


    /// <summary>A sample's copy of a key column of the samples source (its text), for the order and the audit.</summary>
    /// <param name="column">The key column.</param>
    /// <returns>The name.</returns>
    public string Key(string column) => Prefix + KeyTag + column;

    /// <summary>Whether a column is a key copy (<see cref="Key"/>).</summary>
    /// <param name="name">The column.</param>
    /// <returns>True for a key copy.</returns>
    public bool IsKey(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.StartsWith(Prefix + KeyTag, StringComparison.Ordinal);
    }

    /// <summary>Whether a sample found no row in a joined table (a missing profile).</summary>
    /// <param name="table">The joined source.</param>
    /// <returns>The name.</returns>
    public string Missing(string table) => Prefix + "miss_" + table;

    /// <summary>Whether a sample's feature value was present in its source but did not convert to the feature's kind
    /// (the feature then has its default; counted as <c>invalid.FEATURE</c>).</summary>
    /// <param name="feature">The feature.</param>
    /// <returns>The name.</returns>
    public string Invalid(string feature) => Prefix + "invalid_" + feature;

    /// <summary>An alias local to one statement (a rank, a block, a list, ...): never read outside the SQL that makes it.</summary>
    /// <param name="name">The alias without the prefix.</param>
    /// <returns>The name.</returns>
    public string Local(string name) => Prefix + name;

    // Issue 12 (incremental state, docs/state.md).

    /// <summary>The partition day of a row or event a state snapshot carries (a column of its Parquet files).</summary>
    public string Partition => Prefix + "partition";

    /// <summary>Names with another prefix, for tests that rename every technical column.</summary>
    /// <param name="prefix">The prefix (starting with <see cref="ReservedPrefix"/>, so that no feature or source column can take it).</param>
    /// <returns>The names.</returns>
    internal static TechnicalColumns WithPrefix(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        if (!prefix.StartsWith(ReservedPrefix, StringComparison.Ordinal) || !prefix.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new ArgumentException("a technical prefix starts with two underscores and holds only letters, digits and underscores", nameof(prefix));
        }

        return new TechnicalColumns(prefix);
    }
}
