namespace SparkTfrecord.Engine.Tests;

/// <summary>
/// The point-in-time rules (docs/job.md, "The point-in-time rules"), each on hand-written logs with the expected samples worked out by hand. The run date
/// is Monday 2024-01-15 in Asia/Shanghai (UTC+8); windows are 15 days (history) and 30 minutes (label); the history
/// cap is 3.
/// </summary>
[TestFixture]
[Category("Fast")]
[Parallelizable(ParallelScope.None)]
public sealed class PointInTimeRulesTests
{
    private const string Day = "2024-01-15";
    private TestLogs _logs = null!;

    [SetUp]
    public void SetUp() => _logs = new TestLogs().User("u1", 30, "1").Item("A", "shoes").Item("B", "bags");

    [TearDown]
    public void TearDown() => _logs.Dispose();

    [Test]
    public void A_click_at_the_same_second_as_the_impression_is_not_history()
    {
        _logs.Click("r0", "u1", "B", "2024-01-15 10:00:00")
             .Imp("r1", "u1", "A", "2024-01-15 10:00:00");

        var result = _logs.Run(Specs.Din(), Day);

        Assert.That(result["r1", "A"].List("clicked_items"), Is.Empty);
        Assert.That(result["r1", "A"].Int("label"), Is.Zero);
    }

    [Test]
    public void The_impressions_own_click_labels_it_and_is_history_only_for_later_impressions()
    {
        _logs.Imp("r2", "u1", "A", "2024-01-15 11:00:00")
             .Click("r2", "u1", "A", "2024-01-15 11:00:00")
             .Click("r2", "u1", "A", "2024-01-15 11:00:05")
             .Imp("r3", "u1", "B", "2024-01-15 11:00:05")
             .Imp("r4", "u1", "B", "2024-01-15 12:00:00");

        var result = _logs.Run(Specs.Din(), Day);

        Assert.That(result["r2", "A"].Int("label"), Is.EqualTo(1), "two clicks on one impression label it once");
        Assert.That(result["r2", "A"].List("clicked_items"), Is.Empty);
        Assert.That(result["r3", "B"].List("clicked_items"), Is.EqualTo(new[] { "A" }), "the 11:00:00 click is before 11:00:05; the 11:00:05 one is a tie");
        Assert.That(result["r4", "B"].List("clicked_items"), Is.EqualTo(new[] { "A", "A" }));
        Assert.That(result["r4", "B"].List("clicked_categories"), Is.EqualTo(new[] { "shoes", "shoes" }));
        Assert.That(result.Count("positives"), Is.EqualTo(1));
    }

    [Test]
    public void A_click_exactly_15_days_before_is_history_and_one_microsecond_more_is_not()
    {
        _logs.Click("old1", "u1", "A", "2023-12-31 09:00:00")
             .Click("old2", "u1", "B", "2023-12-31 08:59:59.999999")
             .Imp("r5", "u1", "A", "2024-01-15 09:00:00");

        var result = _logs.Run(Specs.Din(), Day);

        Assert.That(result["r5", "A"].List("clicked_items"), Is.EqualTo(new[] { "A" }));
    }

    [Test]
    public void The_day_is_cut_in_the_jobs_zone_and_impressions_outside_it_are_dropped_and_counted()
    {
        _logs.Imp("early", "u1", "A", "2024-01-15 00:30:00")
             .Imp("before", "u1", "A", "2024-01-14 23:59:59", partition: Day)
             .Imp("after", "u1", "A", "2024-01-16 00:00:00", partition: Day)
             .Imp("last", "u1", "A", "2024-01-15 23:59:59.999");

        var result = _logs.Run(Specs.Din(), Day);

        Assert.That(result.Samples.Select(s => s.Str("request_id")), Is.EquivalentTo(new[] { "early", "last" }));
        Assert.That(result["early", "A"].Int("hour"), Is.Zero, "00:30 in UTC+8 is 16:30 UTC the day before");
        Assert.That(result["early", "A"].Int("weekday"), Is.EqualTo(1), "2024-01-15 is a Monday in Shanghai (a Sunday in UTC)");
        Assert.That(result["last", "A"].Int("hour"), Is.EqualTo(23));
        Assert.That(result.Count("outside_day"), Is.EqualTo(2));
    }

    [Test]
    public void Duplicate_impressions_keep_the_earliest_copy_and_are_counted()
    {
        _logs.Imp("r6", "u1", "A", "2024-01-15 13:00:02", device: "second")
             .Imp("r6", "u1", "A", "2024-01-15 13:00:00", device: "first")
             .Imp("r6", "u1", "A", "2024-01-15 13:00:05", device: "third", partition: "2024-01-16")
             .Click("r6", "u1", "A", "2024-01-15 13:00:01");

        var result = _logs.Run(Specs.Din(), Day);

        Assert.That(result.Samples, Has.Count.EqualTo(1));
        Assert.That(result["r6", "A"].Str("device"), Is.EqualTo("first"));
        Assert.That(result["r6", "A"].Int("label"), Is.EqualTo(1), "the click at 13:00:01 follows the surviving copy");
        Assert.That(result.Count("duplicates.impressions"), Is.EqualTo(2));
    }

    [Test]
    public void Clicks_without_impressions_make_no_label_and_no_sample_but_are_history()
    {
        _logs.Click("r9", "u1", "B", "2024-01-15 14:00:00")
             .Click("r10", "u1", "A", "2024-01-15 14:05:00")
             .Imp("r10", "u1", "B", "2024-01-15 14:00:00")
             .Imp("r11", "u1", "A", "2024-01-15 15:00:00");

        var result = _logs.Run(Specs.Din(), Day);

        Assert.That(result.Samples, Has.Count.EqualTo(2));
        Assert.That(result["r10", "B"].Int("label"), Is.Zero, "r10's click is on A, which r10 did not show");
        Assert.That(result["r11", "A"].Int("label"), Is.Zero);
        Assert.That(result["r11", "A"].List("clicked_items"), Is.EqualTo(new[] { "A", "B" }));
    }

    [Test]
    public void Clicks_after_the_attribution_window_do_not_label_and_the_window_end_is_included()
    {
        _logs.Imp("late", "u1", "A", "2024-01-15 16:00:00")
             .Click("late", "u1", "A", "2024-01-15 16:30:00.001")
             .Imp("edge", "u1", "B", "2024-01-15 17:00:00")
             .Click("edge", "u1", "B", "2024-01-15 17:30:00")
             .Imp("midnight", "u1", "A", "2024-01-15 23:50:00")
             .Click("midnight", "u1", "A", "2024-01-16 00:10:00");

        var result = _logs.Run(Specs.Din(), Day);

        Assert.That(result["late", "A"].Int("label"), Is.Zero);
        Assert.That(result["edge", "B"].Int("label"), Is.EqualTo(1));
        Assert.That(result["midnight", "A"].Int("label"), Is.EqualTo(1), "the job reads clicks up to the end of the day plus the window");
        Assert.That(result["midnight", "A"].List("clicked_items"), Is.EqualTo(new[] { "B", "A" }), "the next day's click is not history");
    }

    [Test]
    public void Users_and_items_missing_from_the_profiles_get_the_specs_defaults_and_are_counted()
    {
        _logs.Imp("r12", "ghost", "X", "2024-01-15 09:00:00")
             .Click("c", "ghost", "X", "2024-01-14 09:00:00")
             .Imp("r13", "u1", "A", "2024-01-15 09:00:00");

        var result = _logs.Run(Specs.Din(), Day);

        var ghost = result["r12", "X"];
        Assert.That(ghost.Int("age"), Is.Zero);
        Assert.That(ghost.Str("gender"), Is.EqualTo("未知"));
        Assert.That(ghost.Str("category"), Is.EqualTo("unknown"));
        Assert.That(ghost.List("clicked_categories"), Is.EqualTo(new[] { "unknown" }));
        Assert.That(result["r13", "A"].Int("age"), Is.EqualTo(30));
        Assert.That(result["r13", "A"].Str("category"), Is.EqualTo("shoes"));
        Assert.That(result.Count("missing.users"), Is.EqualTo(1));
        Assert.That(result.Count("missing.items"), Is.EqualTo(1));
    }

    [Test]
    public void A_history_longer_than_the_cap_keeps_the_newest()
    {
        for (int day = 1; day <= 5; day++)
        {
            _logs.Click($"h{day}", "u1", $"I{day}", $"2024-01-{day + 8:D2} 12:00:00");
        }

        _logs.Imp("r14", "u1", "A", "2024-01-15 12:00:00");

        var result = _logs.Run(Specs.Din(maxLength: 3), Day);

        Assert.That(result["r14", "A"].List("clicked_items"), Is.EqualTo(new[] { "I5", "I4", "I3" }));
        Assert.That(result.Summary.Histories["clicked_items"], Is.EqualTo((3L, 3.0, 3L)));
    }

    [Test]
    public void Ties_in_time_are_ordered_by_value_ascending()
    {
        _logs.Click("t1", "u1", "b", "2024-01-15 08:00:00")
             .Click("t2", "u1", "a", "2024-01-15 08:00:00")
             .Click("t3", "u1", "c", "2024-01-15 07:00:00")
             .Click("t4", "u1", "d", "2024-01-15 08:00:00")
             .Imp("r15", "u1", "A", "2024-01-15 09:00:00");

        var result = _logs.Run(Specs.Din(maxLength: 3), Day);

        Assert.That(result["r15", "A"].List("clicked_items"), Is.EqualTo(new[] { "a", "b", "d" }));
    }

    [Test]
    public void Without_request_ids_a_click_labels_only_the_latest_earlier_impression_of_that_user_and_item()
    {
        _logs.Imp("q1", "u1", "A", "2024-01-15 10:00:00")
             .Imp("q2", "u1", "A", "2024-01-15 10:10:00")
             .Imp("q3", "u1", "A", "2024-01-15 10:20:00")
             .Click("", "u1", "A", "2024-01-15 10:15:00");

        var result = _logs.Run(Specs.Din(match: "[user_id, item_id]"), Day);

        Assert.That(result["q1", "A"].Int("label"), Is.Zero);
        Assert.That(result["q2", "A"].Int("label"), Is.EqualTo(1));
        Assert.That(result["q3", "A"].Int("label"), Is.Zero);
    }
}
