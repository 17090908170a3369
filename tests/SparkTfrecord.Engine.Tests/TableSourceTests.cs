using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Spark;
using SparkTfrecord.Spec;

namespace SparkTfrecord.Engine.Tests;

/// <summary>
/// Metastore sources (<c>table: db.name</c> with <c>partition: {column, format, days}</c>): read from the config with
/// each mistake reported at its place, and rendered for Spark as a read of the table pruned to the partition values of
/// the days, written in the partition's format (checked against values computed by hand).
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class TableSourceTests
{
    private const string Base = """
        spec: 1
        features:
          - {name: label, dtype: int64, role: label}
          - {name: user_id, dtype: string, role: user}
          - {name: age, dtype: int64, role: user, default: 0}
        job:
          sources:
            impressions: {path: "{input}/impressions/dt={date}", format: parquet, time: {column: ts, unit: ms}}
            clicks:
              table: logs.clicks
              partition: {column: dt, format: yyyyMMdd, days: "{date-2d..date+1d}"}
              time: {column: ts, unit: ms}
            users: {table: dim.users, key: user_id}
          timezone: UTC
          label: {events: clicks, match: [request_id, item_id], within: 30m}
          columns: {user_id: impressions.user_id, age: users.age}
          sampling: {negative_rate: 1.0, eval_fraction: 0, salt: s1, key: [request_id, item_id]}
          output: {shards: 1, compression: none}

        """;

    private static JobDefinition Definition(string yaml) => JobDefinition.FromSpec(SpecLoader.Parse(yaml, "spec.yaml"));

    [Test]
    public void A_table_source_is_read_with_its_partition()
    {
        var sources = Definition(Base).Job.Sources;

        Assert.Multiple(() =>
        {
            Assert.That(sources["clicks"].Table!.Parts, Is.EqualTo(new[] { "logs", "clicks" }));
            Assert.That(sources["clicks"].Table!.Partition, Is.EqualTo(new PartitionConfig("dt", "yyyyMMdd", "{date-2d..date+1d}")));
            Assert.That(sources["clicks"].PathTemplate, Is.Empty);
            Assert.That(sources["users"].Table!.Partition, Is.Null, "a profile table is read whole");
            Assert.That(sources["impressions"].Table, Is.Null);
        });
    }

    [Test]
    public void The_partition_defaults_are_hive_days_and_the_run_date()
    {
        var clicks = Definition(Base.Replace("partition: {column: dt, format: yyyyMMdd, days: \"{date-2d..date+1d}\"}", "partition: {column: dt}", StringComparison.Ordinal)).Job.Sources["clicks"];

        Assert.That(clicks.Table!.Partition, Is.EqualTo(new PartitionConfig("dt", "yyyy-MM-dd", "{date}")));
    }

    public static IEnumerable<TestCaseData> Mistakes()
    {
        TestCaseData Case(string name, string from, string to, string at, string message) =>
            new TestCaseData(from, to, at, message).SetName($"Table_mistake_{name}_is_reported_at_its_place");

        yield return Case("path_and_table", "table: logs.clicks", "path: \"{input}/c\"\n      table: logs.clicks", "logs.clicks", "source 'clicks' has both path: and table:; give one");
        yield return Case("neither_path_nor_table", "users: {table: dim.users, key: user_id}", "users: {key: user_id}", "{key: user_id}", "source 'users' needs path: (a template of its files' path) or table:");
        yield return Case("format_with_table", "users: {table: dim.users, key: user_id}", "users: {table: dim.users, format: csv, key: user_id}", "csv,", "the metastore knows its format, so format: is not taken with table:");
        yield return Case("csv_with_table", "users: {table: dim.users, key: user_id}", "users: {table: dim.users, csv: {header: true}, key: user_id}", "{header: true}", "so csv: is not taken with table:");
        yield return Case("partition_without_table", "impressions: {path: \"{input}/impressions/dt={date}\",", "impressions: {path: \"{input}/impressions/dt={date}\", partition: {column: dt},", "{column: dt},", "source 'impressions' has partition: but no table:");
        yield return Case("table_name_with_a_dash", "table: logs.clicks", "table: logs.click-log", "logs.click-log", "table 'logs.click-log' is not a table name");
        yield return Case("table_name_with_four_parts", "table: logs.clicks", "table: a.b.c.d", "a.b.c.d", "table 'a.b.c.d' is not a table name");
        yield return Case("format_with_hours", "format: yyyyMMdd", "format: yyyyMMddHH", "yyyyMMddHH", "format 'yyyyMMddHH' is not a day pattern of yyyy, MM and dd");
        yield return Case("format_without_day", "format: yyyyMMdd", "format: yyyy-MM", "yyyy-MM,", "format 'yyyy-MM' must hold dd exactly once");
        yield return Case("format_two_digit_year", "format: yyyyMMdd", "format: yyMMdd", "yyMMdd", "format 'yyMMdd' is not a day pattern");
        yield return Case("days_without_braces", "days: \"{date-2d..date+1d}\"", "days: date", "days: date}", "days 'date' is not one day or range placeholder");
        yield return Case("days_with_input", "days: \"{date-2d..date+1d}\"", "days: \"{input}\"", "\"{input}\"", "days '{input}' is not one day or range placeholder");
        yield return Case("days_reversed", "days: \"{date-2d..date+1d}\"", "days: \"{date+1d..date-2d}\"", "\"{date+1d", "ends before it starts");
        yield return Case("unknown_partition_key", "partition: {column: dt,", "partition: {colum: dt, column: dt,", "colum: dt", "unknown key 'colum' in 'partition' of source 'clicks'");
    }

    [TestCaseSource(nameof(Mistakes))]
    public void Table_mistake_is_reported_at_the_value(string from, string to, string at, string message)
    {
        Assert.That(Base.Split(from).Length, Is.EqualTo(2), $"'{from}' must occur once in the base config");
        string yaml = Base.Replace(from, to, StringComparison.Ordinal);
        int index = yaml.IndexOf(at, StringComparison.Ordinal);
        Assert.That(index, Is.GreaterThanOrEqualTo(0), $"'{at}' is not in the config");
        int line = yaml[..index].Count(c => c == '\n') + 1;

        var e = Assert.Throws<JobConfigException>(() => Definition(yaml))!;

        Assert.That(e.Message, Does.StartWith($"spec.yaml:{line}:").And.Contain(message));
    }

    [Test]
    public void Spark_reads_the_table_pruned_to_the_days_in_the_partition_format()
    {
        string script = Script(Base, new DateOnly(2024, 3, 1));

        // {date-2d..date+1d} of 2024-03-01 in a leap year: Feb 28, Feb 29, Mar 1, Mar 2, as yyyyMMdd.
        Assert.That(script, Does.Contain("FROM `logs`.`clicks` WHERE `dt` IN ('20240228', '20240229', '20240301', '20240302'))"));
        Assert.That(script, Does.Contain("input_file_name() AS __file, CAST(NULL AS BIGINT) AS __row, CAST(NULL AS STRING) AS __bad, FALSE AS __skip, CAST(NULL AS STRING) AS __raw FROM `logs`.`clicks`"));
        Assert.That(script, Does.Contain("FROM `dim`.`users`)"), "a table without partition is read whole");
        Assert.That(script, Does.Not.Contain("`dim`.`users` WHERE"));
    }

    [Test]
    public void Names_are_quoted_and_the_format_keeps_its_separators()
    {
        string yaml = Base.Replace("table: logs.clicks", "table: spark_catalog.select.order", StringComparison.Ordinal)
            .Replace("partition: {column: dt, format: yyyyMMdd, days: \"{date-2d..date+1d}\"}", "partition: {column: from, format: dd/MM/yyyy}", StringComparison.Ordinal);

        string script = Script(yaml, new DateOnly(2024, 12, 31));

        Assert.That(script, Does.Contain("FROM `spark_catalog`.`select`.`order` WHERE `from` IN ('31/12/2024'))"));
    }

    private static string Script(string yaml, DateOnly date) =>
        SparkSetup.Create(Definition(yaml), new SparkRunOptions { Date = date, Input = "hdfs:///logs", Output = "hdfs:///out", Master = "yarn", Version = SparkVersion.Parse("3.5") }, resolveLocalInputs: false).ScriptText();
}
