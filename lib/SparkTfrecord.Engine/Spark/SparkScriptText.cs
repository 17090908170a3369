using System.Text;
using SparkTfrecord.Engine.Sql;

namespace SparkTfrecord.Engine.Spark;

/// <summary>A rendered Spark SQL script and what the launcher needs to know about it.</summary>
/// <param name="Statements">The statements, without their terminating <c>;</c>.</param>
/// <param name="Report">The report row's columns, in order; the first is <c>sparktf_samples_written</c>.</param>
/// <param name="Dialect">The dialect used.</param>
/// <param name="Header">A one-line description put at the top of the script as a comment.</param>
internal sealed record SparkScriptText(IReadOnlyList<string> Statements, IReadOnlyList<CountColumn> Report, SparkDialect Dialect, string Header)
{
    /// <summary>The columns of the input counts row the script prints before its bad-rows check (see
    /// <see cref="SparkScript.InputCountsView"/>): <c>sparktf_rows_read</c>, <c>sparktf_rows_bad</c>, then
    /// <c>read_SOURCE</c> and <c>quarantined_SOURCE</c> per source.</summary>
    public IReadOnlyList<CountColumn> InputCounts { get; init; } = [];

    /// <summary>The script: a comment, then every statement ending with <c>;</c> on its own line.</summary>
    /// <returns>The text.</returns>
    public string Text()
    {
        var sb = new StringBuilder();
        sb.Append("/* ").Append(Header).Append(" */\n");
        foreach (string s in Statements)
        {
            sb.Append(s).Append(";\n\n");
        }

        return sb.ToString().TrimEnd('\n') + "\n";
    }
}
