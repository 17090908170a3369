namespace SparkTfrecord.Engine.Sql;

/// <summary>One statement of a rendered job, named for progress and errors.</summary>
/// <param name="Name">What it computes.</param>
/// <param name="Sql">The statement.</param>
internal sealed record SqlStatement(string Name, string Sql);
