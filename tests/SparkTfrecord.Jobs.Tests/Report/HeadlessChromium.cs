using System.Diagnostics;
using System.Text.Json;

namespace SparkTfrecord.Jobs.Tests.Report;

/// <summary>
/// Loads a local page in Debian's headless Chromium, as a reader of a report would open it, and keeps what the tests
/// look at: the console messages the page produced (Chromium logs them to stderr as <c>CONSOLE</c> lines), the requests
/// the page made (from Chromium's network log: a request a page starts has an initiator; the browser's own background
/// requests, to Google's update and sign-in services, have "not an origin"), and the DOM or a screenshot. Every host
/// name resolves to nothing, so a request that slips through reaches no network either.
/// </summary>
internal static class HeadlessChromium
{
    /// <summary>Chromium's stderr lines that are about the machine, not the page: no D-Bus, no GPU, no sandbox here.</summary>
    private static readonly string[] s_noise = ["dbus/", "bluez_dbus", "idle_linux", "vaapi_wrapper", "sandbox_linux", "gpu_", "/usr/bin/chromium: "];

    public sealed record Load(string Output, IReadOnlyList<string> ConsoleLines, IReadOnlyList<string> PageRequests, IReadOnlyList<string> OtherLog);

    public static string Program => Prerequisite.RequireProgram("chromium", "apt-get install chromium", "/usr/bin/chromium");

    /// <summary>Loads <paramref name="page"/> and returns its DOM after load (<c>--dump-dom</c>).</summary>
    public static Load DumpDom(string page, string scratch) => Run(page, scratch, "--dump-dom");

    /// <summary>Loads <paramref name="page"/> and writes a screenshot of its first <paramref name="width"/> x
    /// <paramref name="height"/> pixels to <paramref name="png"/>.</summary>
    public static Load Screenshot(string page, string scratch, string png, int width, int height) =>
        Run(page, scratch, "--screenshot=" + png, $"--window-size={width},{height}");

    private static Load Run(string page, string scratch, params string[] what)
    {
        string program = Program;
        string run = Directory.CreateDirectory(Path.Combine(scratch, "chromium-" + Guid.NewGuid().ToString("N"))).FullName;
        string netLog = Path.Combine(run, "net-log.json");
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in (string[])[
            "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
            "--host-resolver-rules=MAP * ~NOTFOUND", "--no-first-run", "--user-data-dir=" + Path.Combine(run, "profile"),
            "--log-net-log=" + netLog, .. what, new Uri(page).AbsoluteUri])
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(180_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"chromium did not finish loading {page} in 180 s");
        }

        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, $"chromium failed on {page}: {stderr.Result}");
        string[] lines = stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var console = lines.Where(l => l.Contains(":CONSOLE", StringComparison.Ordinal) || l.Contains("Uncaught", StringComparison.Ordinal)).ToList();
        var other = lines.Except(console).Where(l => !s_noise.Any(n => l.Contains(n, StringComparison.Ordinal))).ToList();
        return new Load(stdout.Result, console, PageRequests(netLog), other);
    }

    // The network log: {"constants": {"logEventTypes": {name: number}}, "events": [{"type": number, "params": {...}}]}.
    // URL_REQUEST_START_JOB is logged for every request that reaches the network stack, with the origin that asked.
    private static List<string> PageRequests(string netLog)
    {
        Assert.That(File.Exists(netLog), Is.True, $"chromium wrote no network log at {netLog}");
        using var log = JsonDocument.Parse(File.ReadAllBytes(netLog));
        int startJob = log.RootElement.GetProperty("constants").GetProperty("logEventTypes").GetProperty("URL_REQUEST_START_JOB").GetInt32();
        var requests = new List<string>();
        foreach (JsonElement e in log.RootElement.GetProperty("events").EnumerateArray())
        {
            if (e.GetProperty("type").GetInt32() == startJob && e.TryGetProperty("params", out JsonElement p) && p.TryGetProperty("url", out JsonElement url)
                && (p.TryGetProperty("initiator", out JsonElement initiator) ? initiator.GetString() : null) is var by && by != "not an origin")
            {
                requests.Add(url.GetString() + " (initiator " + (by ?? "none") + ")");
            }
        }

        return requests;
    }
}
