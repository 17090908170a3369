using System.Text.RegularExpressions;

namespace SparkTfrecord.Jobs.Tests.Report;

/// <summary>
/// The report of <c>sparktf validate --html</c> in a real browser (Debian's headless Chromium, installed by .ci/run):
/// it loads offline with no console message and no request, draws a non-blank page, and its DOM shows the features and
/// the numbers. The last test plants a bad page to show these checks catch what they look for.
/// </summary>
[TestFixture]
[Category("External")]
public sealed class ReportBrowserTests
{
    private string _temp = null!;
    private string _html = null!;

    [OneTimeSetUp]
    public void WriteReport()
    {
        _temp = Directory.CreateTempSubdirectory("sparktf-report-browser-").FullName;
        string data = HandMadeDin.Write(Path.Combine(_temp, "din.tfrecord"));
        _html = Path.Combine(_temp, "report.html");

        // With a baseline (the same data), so the page also draws the baseline's side and the distances.
        var r = Sparktf.Run("validate", "--spec", Path.Combine(Sparktf.RepoRoot, "conf", "din.yaml"), data, "--baseline", data, "--html", _html);
        Assert.That(r.ExitCode, Is.Zero, r.Stdout + r.Stderr);
    }

    [OneTimeTearDown]
    public void Remove() => Directory.Delete(_temp, recursive: true);

    [Test]
    public void The_report_loads_without_console_messages_or_requests_and_refers_to_nothing_outside_itself()
    {
        string html = File.ReadAllText(_html);
        foreach (string outside in new[] { "http://", "https://", "src=", "url(", "@import", "<script", "<link", "<img", "<iframe" })
        {
            Assert.That(html, Does.Not.Contain(outside).IgnoreCase, $"the report refers to something outside itself: {outside}");
        }

        var load = HeadlessChromium.DumpDom(_html, _temp);

        Assert.That(load.ConsoleLines, Is.Empty, "console messages while loading the report");
        Assert.That(load.PageRequests, Is.Empty, "requests the report made");
    }

    [Test]
    public void The_loaded_dom_shows_every_feature_and_the_numbers()
    {
        var load = HeadlessChromium.DumpDom(_html, _temp);
        var dom = new ReportPage(load.Output);

        Assert.That(dom.Features, Is.EquivalentTo(new[] { "label", "user_id", "age", "gender", "device", "item_id", "clicked_items_15d" }));
        Assert.That(dom.Header("records"), Is.EqualTo("10"));
        Assert.That(dom.Value("age", "min-mean-max"), Is.EqualTo(HandMadeDin.AgeMinMeanMax));
        Assert.That(dom.Value("age", "min-mean-max", "baseline"), Is.EqualTo(HandMadeDin.AgeMinMeanMax));
        Assert.That(dom.Top("gender"), Is.EqualTo(HandMadeDin.GenderTop.ToList()));
        Assert.That(load.Output, Does.Contain("20 / 24.5 / 29"), "the min / mean / max of age as the reader sees it");
        Assert.That(Regex.Count(load.Output, "<rect "), Is.GreaterThan(7 * 2), "the charts' bars");
    }

    [Test]
    public void A_screenshot_of_the_report_is_not_blank_and_shows_the_charts_bars()
    {
        string png = Path.Combine(_temp, "report.png");

        var load = HeadlessChromium.Screenshot(_html, _temp, png, 1200, 1600);

        Assert.That(load.ConsoleLines, Is.Empty);
        var image = Png.Read(png);
        Assert.That((image.Width, image.Height), Is.EqualTo((1200, 1600)));
        long pixels = (long)image.Width * image.Height;
        long inked = image.Count((r, g, b) => r < 230 || g < 230 || b < 230);
        long bars = image.Count((r, g, b) => Math.Abs(r - 0x4a) < 24 && Math.Abs(g - 0x78) < 24 && Math.Abs(b - 0xb5) < 24);
        Assert.That(inked, Is.GreaterThan(pixels / 100), $"only {inked} of {pixels} pixels are not white");
        Assert.That(bars, Is.GreaterThan(1000), "the histograms' bars (fill #4a78b5) are not drawn");
    }

    [Test]
    public void The_checks_catch_a_page_that_logs_throws_and_fetches()
    {
        string bad = Path.Combine(_temp, "bad.html");
        File.WriteAllText(bad, "<!DOCTYPE html><html><body><p>x</p><script>console.error('planted'); notDefined();</script><img src=\"http://example.com/x.png\"></body></html>");

        var load = HeadlessChromium.DumpDom(bad, _temp);

        Assert.That(load.ConsoleLines, Has.Some.Contains("planted"));
        Assert.That(load.ConsoleLines, Has.Some.Contains("Uncaught"));
        Assert.That(load.PageRequests, Has.Some.StartsWith("http://example.com/x.png"));
    }
}
