using System.Diagnostics;
using System.Globalization;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Engines;
using SparkTfrecord.Engine.Jobs;
using SparkTfrecord.Engine.Planning;
using SparkTfrecord.Engine.Sql;

/// <summary>
/// The job's statements one by one, timed, as <c>sparktf samples</c> runs them on the embedded engine (the same plan,
/// the same engine settings, the same number of output passes), each output pass read to its end as the writer reads
/// it: where the time of a big day goes. With <c>--explain</c>, DuckDB's EXPLAIN ANALYZE of the slowest statement and
/// of the first output pass are printed too.
/// </summary>
internal static class StatementProfile
{
    /// <summary>Runs the profile; prints one line per statement (seconds, name) to stdout.</summary>
    public static void Run(string spec, string date, string input, string memoryLimit, bool explain, long? samplesPerPass = null)
    {
        var definition = JobDefinition.Load(spec);
        var plan = InputScan.Apply(JobPlan.Create(definition, DateOnly.Parse(date, CultureInfo.InvariantCulture), input));
        var sql = PlanRenderer.Render(plan, DuckDbDialect.Instance);
        using var engine = new DuckDbEngine(new DuckDbEngineOptions { MemoryLimit = memoryLimit });
        var total = CpuClock.Start();
        Console.WriteLine("    wall      cpu  statement (cpu: the whole process, DuckDB's threads included)");
        (string Name, string Sql, double Seconds) slowest = ("", "", 0);
        foreach (var statement in sql.Statements)
        {
            var clock = CpuClock.Start();
            engine.Execute(statement.Sql);
            double s = clock.Wall;
            Console.WriteLine($"{clock}  {statement.Name}");
            if (s > slowest.Seconds)
            {
                slowest = (statement.Name, statement.Sql, s);
            }
        }

        var counter = CpuClock.Start();
        var row = engine.Row(sql.StatsQuery);
        long written = Convert.ToInt64(row[sql.Counts.First(c => c.Count == RunCounts.Written).Column], CultureInfo.InvariantCulture);
        Console.WriteLine($"{counter}  counts ({written} samples)");
        int passes = SamplesJob.Passes(written, sql.OutputPasses.MaxPasses, samplesPerPass ?? SamplesJobOptions.DefaultSamplesPerPass);
        for (int pass = 0; pass < passes; pass++)
        {
            var clock = CpuClock.Start();
            long n = 0;
            engine.Query(sql.OutputPasses.Pass(pass, passes), r =>
            {
                while (r.Read())
                {
                    for (int i = 0; i < r.FieldCount; i++)
                    {
                        _ = r.GetValue(i);
                    }

                    n++;
                }
            });
            Console.WriteLine($"{clock}  output pass {pass + 1} of {passes} ({n} samples)");
        }

        Console.WriteLine($"{total}  total");
        if (explain)
        {
            foreach (var (name, query) in new[] { (slowest.Name, slowest.Sql), ("output pass 1", sql.OutputPasses.Pass(0, passes)) })
            {
                Console.WriteLine($"---- EXPLAIN ANALYZE {name}");
                engine.Query("EXPLAIN ANALYZE " + query, r =>
                {
                    while (r.Read())
                    {
                        Console.WriteLine(r.GetValue(r.FieldCount - 1));
                    }
                });
            }
        }
    }
}
