using SparkTfrecord.Engine.Config;

namespace SparkTfrecord.Engine.Tests;

/// <summary>
/// Versioned keyed tables (issue 13; docs/job.md, point-in-time rule 6; clause asof-versioned-table): a sample joins the
/// latest version of its user and item at or before its own time, and a history through a versioned table takes the
/// version at each event's time. Hand-written logs, expected values worked out by hand. The run date is 2024-01-15 in
/// Asia/Shanghai; times are local text.
/// </summary>
[TestFixture]
[Category("Fast")]
[Parallelizable(ParallelScope.None)]
public sealed class AsOfProfilesTests
{
    private const string Day = "2024-01-15";
    private TestLogs _logs = null!;

    private static string Versioned(int maxLength = 5) => Specs.Din(maxLength: maxLength)
        .Replace("key: user_id}", "key: user_id, as_of: {column: updated_at, unit: text, zone: Asia/Shanghai}}", StringComparison.Ordinal)
        .Replace("key: item_id}", "key: item_id, as_of: {column: updated_at, unit: text, zone: Asia/Shanghai}}", StringComparison.Ordinal);

    [SetUp]
    public void SetUp() => _logs = new TestLogs().ItemVersion("A", "shoes", "2024-01-01 00:00:00");

    [TearDown]
    public void TearDown() => _logs.Dispose();

    [Test]
    public void A_profile_changed_one_second_after_the_impression_is_not_seen_and_one_changed_one_second_before_is()
    {
        _logs.UserVersion("u1", 30, "1", "2024-01-15 09:59:59")
             .UserVersion("u1", 31, "0", "2024-01-15 10:00:01")
             .Imp("r1", "u1", "A", "2024-01-15 10:00:00")
             .Imp("r0", "u1", "A", "2024-01-15 09:59:58");

        var result = _logs.Run(Versioned(), Day);

        Assert.That(result["r1", "A"].Int("age"), Is.EqualTo(30), "the 09:59:59 version is the latest at or before 10:00:00");
        Assert.That(result["r1", "A"].Str("gender"), Is.EqualTo("1"), "the 10:00:01 version is one second in the future");
        Assert.That(result["r0", "A"].Int("age"), Is.Zero, "no version at or before 09:59:58: the spec's default");
        Assert.That(result.Count("missing.users"), Is.EqualTo(1), "r0 only");
    }

    [Test]
    public void A_version_at_exactly_the_impressions_instant_is_seen()
    {
        _logs.UserVersion("u1", 30, "1", "2024-01-15 08:00:00")
             .UserVersion("u1", 31, "0", "2024-01-15 10:00:00")
             .Imp("r1", "u1", "A", "2024-01-15 10:00:00");

        var result = _logs.Run(Versioned(), Day);

        Assert.That(result["r1", "A"].Int("age"), Is.EqualTo(31));
        Assert.That(result["r1", "A"].Str("gender"), Is.EqualTo("0"));
    }

    [Test]
    public void Several_versions_at_one_instant_keep_the_first_copy_by_the_tables_columns_whatever_their_file_order()
    {
        // The users table's columns in the job's order: user_id, age, gender. At 11:00 the smallest age (as read: text
        // "40" < "41") wins, its gender with it; at 12:00 the ages tie and the smaller gender wins.
        _logs.UserVersion("u1", 41, "0", "2024-01-15 11:00:00")
             .UserVersion("u1", 40, "1", "2024-01-15 11:00:00")
             .UserVersion("u1", 50, "1", "2024-01-15 12:00:00")
             .UserVersion("u1", 50, "0", "2024-01-15 12:00:00")
             .Imp("r1", "u1", "A", "2024-01-15 11:30:00")
             .Imp("r2", "u1", "A", "2024-01-15 12:30:00");

        var result = _logs.Run(Versioned(), Day);

        Assert.That((result["r1", "A"].Int("age"), result["r1", "A"].Str("gender")), Is.EqualTo((40L, "1")));
        Assert.That((result["r2", "A"].Int("age"), result["r2", "A"].Str("gender")), Is.EqualTo((50L, "0")));
        Assert.That(result.Count("duplicates.users"), Is.EqualTo(2), "one copy at each instant set aside");
        Assert.That(result.Count("missing.users"), Is.Zero);

        // The summary's dropped.duplicate_impressions counts the impressions' duplicates only, not a profile's copies.
        using var summary = System.Text.Json.JsonDocument.Parse(result.Summary.ToJson());
        Assert.That(summary.RootElement.GetProperty("dropped").GetProperty("duplicate_impressions").GetInt64(), Is.EqualTo(result.Count("duplicates.impressions")));
        Assert.That(summary.RootElement.GetProperty("counts").GetProperty("duplicates.users").GetInt64(), Is.EqualTo(2));
    }

    [Test]
    public void A_user_with_no_version_before_the_impression_takes_the_default_and_is_counted_in_missing_profiles()
    {
        _logs.UserVersion("u2", 25, "1", "2024-01-15 12:00:00")
             .Imp("early", "u2", "A", "2024-01-15 11:00:00")
             .Imp("late", "u2", "A", "2024-01-15 13:00:00")
             .Imp("ghost", "nobody", "A", "2024-01-15 13:00:00");

        var result = _logs.Run(Versioned(), Day);

        Assert.That(result["early", "A"].Int("age"), Is.Zero);
        Assert.That(result["early", "A"].Str("gender"), Is.EqualTo("未知"));
        Assert.That(result["late", "A"].Int("age"), Is.EqualTo(25));
        Assert.That(result["ghost", "A"].Int("age"), Is.Zero);
        Assert.That(result.Count("missing.users"), Is.EqualTo(2), "early (only a later version) and ghost (no version at all)");
    }

    [Test]
    public void An_items_category_changed_mid_window_gives_each_history_entry_the_category_of_its_own_time()
    {
        // Item A: shoes from 01-01, boots from 01-14 12:00. Item B: first version only on 01-12.
        _logs.UserVersion("u1", 30, "1", "2024-01-01 00:00:00")
             .ItemVersion("A", "boots", "2024-01-14 12:00:00")
             .ItemVersion("B", "bags", "2024-01-12 00:00:00")
             .Click("c1", "u1", "B", "2024-01-10 09:00:00")
             .Click("c2", "u1", "A", "2024-01-13 10:00:00")
             .Click("c3", "u1", "A", "2024-01-14 12:00:00")
             .Click("c4", "u1", "A", "2024-01-14 13:00:00")
             .Click("c5", "u1", "B", "2024-01-14 14:00:00")
             .Imp("r1", "u1", "A", "2024-01-15 09:00:00")
             .Imp("r2", "u1", "B", "2024-01-14 14:00:00", partition: Day);

        var result = _logs.Run(Versioned(), Day);

        var r1 = result["r1", "A"];
        Assert.That(r1.List("clicked_items"), Is.EqualTo(new[] { "B", "A", "A", "A", "B" }));
        Assert.That(r1.List("clicked_categories"), Is.EqualTo(new[] { "bags", "boots", "boots", "shoes", "unknown" }),
            "c5 bags; c4 and c3 (the change's own instant) boots; c2 shoes; c1 before B's first version: missing");
        Assert.That(r1.Str("category"), Is.EqualTo("boots"), "the impression's own item, as of 01-15 09:00");
    }

    [Test]
    public void A_table_without_as_of_keeps_the_first_copy_whatever_the_versions_times()
    {
        _logs.UserVersion("u1", 31, "0", "2024-01-15 10:00:01")
             .UserVersion("u1", 30, "1", "2024-01-16 10:00:00")
             .Imp("r1", "u1", "A", "2024-01-15 10:00:00");

        var result = _logs.Run(Specs.Din(), Day);

        Assert.That(result["r1", "A"].Int("age"), Is.EqualTo(30), "key: alone: one copy per key (the smallest by columns), read as it is now");
        Assert.That(result.Count("missing.users"), Is.Zero);
    }

    [Test]
    public void As_of_on_a_source_without_a_key_is_refused_naming_the_place()
    {
        string yaml = Specs.Din().Replace(
            "clicks:      {path: \"{input}/clicks/dt={date-15d..date+1d}\", format: jsonl, time: {column: ts, unit: text, zone: Asia/Shanghai}}",
            "clicks:      {path: \"{input}/clicks/dt={date-15d..date+1d}\", format: jsonl, time: {column: ts, unit: text, zone: Asia/Shanghai}, as_of: {column: ts}}",
            StringComparison.Ordinal);
        string spec = Path.Combine(_logs.Root, "bad.yaml");
        File.WriteAllText(spec, yaml);

        var e = Assert.Throws<JobConfigException>(() => JobDefinition.Load(spec))!;

        Assert.That(e.Message, Does.Contain("bad.yaml:").And.Contain("as_of versions a keyed table"));
    }
}
