using System.Globalization;
using DuckDB.NET.Data;

namespace SparkTfrecord.Engine.Tests;

/// <summary>A DuckDB of the tests' own, in memory, for counting what the log generator wrote (independently of the
/// job's plan): <c>using static</c> it, then <c>Scalar(db, sql)</c>.</summary>
internal static class InMemoryDuckDb
{
    /// <summary>Opens a new in-memory database.</summary>
    public static DuckDBConnection Open()
    {
        var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        return db;
    }

    /// <summary>The first value of a query, as a long.</summary>
    public static long Scalar(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
