namespace SparkTfrecord.Jobs.Tests.Report;

/// <summary>
/// The numbers <c>sparktf validate --html</c> shows for ten hand-made records equal the statistics computed by hand
/// (<see cref="HandMadeDin"/>): counts, min / mean / max, zeros, quantiles, histograms and top values.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class ReportNumbersTests
{
    private string _temp = null!;
    private ReportPage _page = null!;

    [OneTimeSetUp]
    public void WriteReport()
    {
        _temp = Directory.CreateTempSubdirectory("sparktf-report-numbers-").FullName;
        string data = HandMadeDin.Write(Path.Combine(_temp, "din.tfrecord"));
        string html = Path.Combine(_temp, "report.html");
        var r = InProcess.Run("validate", "--spec", Path.Combine(Sparktf.RepoRoot, "conf", "din.yaml"), data, "--html", html);
        Assert.That(r.ExitCode, Is.Zero, r.Stdout + r.Stderr);
        _page = new ReportPage(File.ReadAllText(html));
    }

    [OneTimeTearDown]
    public void Remove() => Directory.Delete(_temp, recursive: true);

    [Test]
    public void The_header_gives_the_record_count_and_every_declared_feature_has_a_section()
    {
        Assert.That(_page.Header("records"), Is.EqualTo("10"));
        Assert.That(_page.Features, Is.EquivalentTo(new[] { "label", "user_id", "age", "gender", "device", "item_id", "clicked_items_15d" }));
    }

    [Test]
    public void Numeric_features_show_the_hand_computed_count_min_mean_max_zeros_quantiles_and_histogram()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_page.Value("age", "count"), Is.EqualTo("10"));
            Assert.That(_page.Value("age", "min-mean-max"), Is.EqualTo(HandMadeDin.AgeMinMeanMax));
            Assert.That(_page.Value("age", "zeros"), Is.EqualTo("0"));
            Assert.That(_page.Value("age", "quantiles"), Is.EqualTo(HandMadeDin.AgeQuantiles));
            Assert.That(_page.Histogram("age", "histogram"), Is.EqualTo(HandMadeDin.AgeHistogram));
            Assert.That(_page.Value("label", "min-mean-max"), Is.EqualTo(HandMadeDin.LabelMinMeanMax));
            Assert.That(_page.Value("label", "zeros"), Is.EqualTo(HandMadeDin.LabelZeros.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(_page.Value("label", "present"), Is.EqualTo("10"));
        });
    }

    [Test]
    public void String_features_show_the_hand_computed_top_values_with_their_counts()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_page.Top("gender"), Is.EqualTo(HandMadeDin.GenderTop.ToList()));
            Assert.That(_page.Top("user_id"), Is.EqualTo(HandMadeDin.UserTop.ToList()));
            Assert.That(_page.Top("device"), Is.EqualTo(new List<(string, long)> { ("pixel 6", 7), ("iphone", 3) }));
            Assert.That(_page.Top("item_id"), Is.EquivalentTo(Enumerable.Range(0, 10).Select(i => ("i" + i, 1L))));
            Assert.That(_page.TopOf("item_id"), Is.EqualTo(10));
        });
    }

    [Test]
    public void A_history_shows_its_length_statistics_length_histogram_and_item_counts()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_page.Value("clicked_items_15d", "values-per-record"), Is.EqualTo(HandMadeDin.HistoryLengths));
            Assert.That(_page.Histogram("clicked_items_15d", "values-per-record-histogram"), Is.EqualTo(HandMadeDin.HistoryLengthHistogram));
            Assert.That(_page.Top("clicked_items_15d"), Is.EqualTo(HandMadeDin.HistoryTop.ToList()));
            Assert.That(_page.TopOf("clicked_items_15d"), Is.EqualTo(HandMadeDin.HistoryValues));
        });
    }
}
