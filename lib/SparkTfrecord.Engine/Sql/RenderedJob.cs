using System.Text;
using SparkTfrecord.Engine.Planning;

namespace SparkTfrecord.Engine.Sql;

/// <summary>The SQL of a job plan in one dialect.</summary>
/// <param name="Dialect">The dialect.</param>
/// <param name="Statements">The statements to run in order; they leave the samples in <see cref="SamplesTable"/>.</param>
/// <param name="SamplesTable">The table (or cached view) of all samples with internal columns.</param>
/// <param name="OutputQuery">The samples to write: the features in spec order, then the shard hash and the split (see
/// <see cref="JobPlan.Columns"/>), in the order of <see cref="SampleColumns.Order"/>.</param>
/// <param name="AuditQuery">The samples with their key and time columns, for audit output.</param>
/// <param name="StatsQuery">One row of counts, its columns <see cref="Counts"/>.</param>
/// <param name="QuarantineQuery">The bad input rows: source, file, row (or line), reason, and the raw row where the
/// dialect keeps it (<see cref="SqlDialect.KeepsRawRows"/>); run
/// <see cref="QuarantineStatements"/> first.</param>
/// <param name="OutputPasses">The output in passes, for the embedded engine: each pass the samples of the shards
/// <c>s</c> with <c>s % n == p</c>, in the same order; pass 0 of 1 is <see cref="OutputQuery"/>. Passes bound the
/// engine's memory on big days (the sort of each pass).</param>
internal sealed record RenderedJob(
    SqlDialect Dialect,
    IReadOnlyList<SqlStatement> Statements,
    string SamplesTable,
    string OutputQuery,
    string AuditQuery,
    string StatsQuery,
    string QuarantineQuery,
    OutputPasses OutputPasses)
{
    /// <summary>The columns of <see cref="StatsQuery"/>'s row, in order: each count's name and column.</summary>
    public IReadOnlyList<CountColumn> Counts { get; init; } = [];

    /// <summary>The samples to write without an order and with the order columns (<see cref="SampleColumns.Sortable"/>),
    /// so that a writer can sort within files, or <c>sparktf encode</c> can, as the embedded engine orders its output.</summary>
    public string SortableOutputQuery { get; init; } = "";

    /// <summary>Statements to run, after <see cref="Statements"/>, before <see cref="QuarantineQuery"/> (the engine may
    /// need to look at the input again to number the bad rows' lines); run only when there are bad rows.</summary>
    public IReadOnlyList<SqlStatement> QuarantineStatements { get; init; } = [];

    /// <summary>The whole job as one script: statements and queries, each ending with <c>;</c>.</summary>
    /// <returns>The script.</returns>
    public string Script()
    {
        var sb = new StringBuilder();
        foreach (var s in Statements)
        {
            sb.Append(s.Sql).Append(";\n\n");
        }

        sb.Append(StatsQuery).Append(";\n\n").Append(OutputQuery).Append(";\n");
        return sb.ToString();
    }
}
