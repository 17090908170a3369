using System.Text.Json.Nodes;

namespace SparkTfrecord.Jobs.Tests.Report;

/// <summary>
/// Planted drift is caught (issue 15's acceptance): copies of a generated day where one categorical feature's
/// distribution moved, or the history lengths collapsed, exceed conf/din.yaml's drift thresholds against the day as
/// written (<c>sparktf validate --baseline</c> exits 3 and names the feature); an unchanged copy does not.
/// </summary>
[TestFixture]
[Category("Process")]
public sealed class PlantedDriftTests
{
    private LogsFolder _folder = null!;
    private string _day = null!;

    private static string Spec => SamplesRuns.Spec;

    [OneTimeSetUp]
    public void WriteDay()
    {
        _folder = new LogsFolder("sparktf-planted-drift-");
        _day = _folder.Out("day");
        var r = Sparktf.Run(_folder.SamplesArgs(_day));
        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
    }

    [OneTimeTearDown]
    public void Remove() => _folder.Dispose();

    private string Copy(string name, Action<long, JsonObject> change)
    {
        string copy = Path.Combine(_folder.Root, "copies", name);
        TfRecordRewrite.Folder(_day, copy, change);
        return copy;
    }

    [Test]
    public void An_unchanged_copy_is_within_every_threshold()
    {
        string copy = Copy("unchanged", (_, _) => { });

        var r = Sparktf.Run("validate", "--spec", Spec, copy, "--baseline", _day);

        Assert.That(r.ExitCode, Is.Zero, r.Stdout + r.Stderr);
        Assert.That(r.Stdout, Does.Contain("comparison: within the thresholds").And.Contain("gender: infinity_norm of values 0 "));
    }

    [Test]
    public void A_copy_where_most_genders_became_0_exceeds_the_gender_threshold_and_names_it()
    {
        // Four records in five get gender "0": its share moves from about a third to over 80%.
        string copy = Copy("gender", (i, record) => { if (i % 5 != 0) { TfRecordRewrite.Bytes(record, "gender")[0] = "0"; } });

        var r = Sparktf.Run("validate", "--spec", Spec, copy, "--baseline", _day);

        Assert.That(r.ExitCode, Is.EqualTo(3), r.Stdout + r.Stderr);
        Assert.That(r.Stdout, Does.Contain("anomaly: feature 'gender': COMPARATOR_L_INFTY_HIGH").And.Contain("(the share of \"0\" changed most)"));
        Assert.That(r.Stdout, Does.Not.Contain("anomaly: feature 'item_id'"), "only the planted feature moved");
    }

    [Test]
    public void A_copy_where_half_the_impressions_show_one_item_exceeds_the_item_id_threshold()
    {
        string copy = Copy("item", (i, record) => { if (i % 2 == 0) { TfRecordRewrite.Bytes(record, "item_id")[0] = "i1"; } });

        var r = Sparktf.Run("validate", "--spec", Spec, copy, "--baseline", _day);

        Assert.That(r.ExitCode, Is.EqualTo(3), r.Stdout + r.Stderr);
        Assert.That(r.Stdout, Does.Contain("anomaly: feature 'item_id': COMPARATOR_L_INFTY_HIGH").And.Contain("(the share of \"i1\" changed most)"));
    }

    [Test]
    public void A_copy_whose_histories_collapsed_to_at_most_one_item_exceeds_the_length_threshold()
    {
        string copy = Copy("history", (_, record) =>
        {
            JsonArray items = TfRecordRewrite.Bytes(record, "clicked_items_15d");
            while (items.Count > 1)
            {
                items.RemoveAt(items.Count - 1);
            }
        });

        var r = Sparktf.Run("validate", "--spec", Spec, copy, "--baseline", _day);

        Assert.That(r.ExitCode, Is.EqualTo(3), r.Stdout + r.Stderr);
        Assert.That(r.Stdout, Does.Contain("anomaly: feature 'clicked_items_15d': COMPARATOR_JENSEN_SHANNON_DIVERGENCE_HIGH: the Jensen-Shannon divergence of its values per record"));
    }

    [Test]
    public void The_baseline_may_be_the_days_saved_statistics_instead_of_the_day()
    {
        string stats = Path.Combine(_folder.Root, "day-stats.json");
        var save = Sparktf.Run("validate", "--spec", Spec, _day, "--save-stats", stats);
        Assert.That(save.ExitCode, Is.Zero, save.Stdout + save.Stderr);
        string copy = Copy("gender-vs-stats", (i, record) => { if (i % 5 != 0) { TfRecordRewrite.Bytes(record, "gender")[0] = "0"; } });

        var r = Sparktf.Run("validate", "--spec", Spec, copy, "--baseline", stats);

        Assert.That(r.ExitCode, Is.EqualTo(3), r.Stdout + r.Stderr);
        Assert.That(r.Stdout, Does.Contain("anomaly: feature 'gender': COMPARATOR_L_INFTY_HIGH"));
    }
}
