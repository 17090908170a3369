using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Engines;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Engine.Sql;

namespace SparkTfrecord.Engine.Jobs;

/// <summary>
/// Clause <c>key-text</c> on the embedded engine: keys are compared and hashed as text (the plan casts every key
/// column to text), which both engines print alike for integers and text; a float (<c>1.0E10</c> on Spark,
/// <c>10000000000.0</c> in DuckDB) or a timestamp (zone suffixes, fractions) prints differently, so its hashes, samples
/// and splits would differ between engines. A Parquet source whose key column has such a type is refused before the
/// run. (CSV and JSON-lines fields are text already.)
/// </summary>
internal static class KeyColumnTypes
{
    /// <summary>Refuses a Parquet source whose key column is a float or timestamp in its files.</summary>
    /// <param name="engine">The engine (reads the files' schemas only).</param>
    /// <param name="plan">The plan, its files resolved.</param>
    /// <exception cref="InputDataException">A key column has such a type.</exception>
    public static void Check(DuckDbEngine engine, JobPlan plan)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(plan);
        var d = DuckDbDialect.Instance;
        foreach (var s in plan.Sources.Values.Where(s => s.Config.Format == SourceFormat.Parquet && s.Files.Count > 0 && s.KeyColumns.Count > 0))
        {
            var types = new Dictionary<string, string>(StringComparer.Ordinal);
            engine.Query($"DESCRIBE SELECT * FROM read_parquet({d.FileList(s)}, union_by_name = true)", r =>
            {
                while (r.Read())
                {
                    types[r.GetString(0)] = r.GetString(1);
                }
            });

            foreach (string key in s.KeyColumns)
            {
                string physical = s.Config.Rename.TryGetValue(key, out var p) ? p : key;
                if (types.TryGetValue(physical, out var type) && IsNotText(type))
                {
                    throw new InputDataException(InputProblem.KeyColumnType,
                        $"source '{s.Name}': key column '{physical}' is {type} in its Parquet files ({s.Files[0]}{(s.Files.Count > 1 ? $" and {s.Files.Count - 1} more" : "")}). " +
                        "Keys are compared and hashed as text, and a float or timestamp prints differently on Spark and on the embedded engine, so the samples would differ between engines. " +
                        "Key on an integer or text column (write the key as text or as an integer upstream).",
                        s.Files[0]);
                }
            }
        }
    }

    // DuckDB's type names of floats and timestamps (every precision and the zoned one).
    private static bool IsNotText(string type) =>
        type is "FLOAT" or "DOUBLE" or "REAL" || type.StartsWith("TIMESTAMP", StringComparison.Ordinal);
}
