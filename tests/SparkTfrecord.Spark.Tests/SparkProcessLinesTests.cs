using SparkTfrecord.Engine.Spark;

namespace SparkTfrecord.Spark.Tests;

/// <summary>
/// spark-submit prints on stdout and stderr at once, and .NET reads each stream on its own thread: the launcher's line
/// receiver (which writes the log) must be given one line at a time. Found by CI: a StringWriter given as the log was
/// written from both threads at once and the process crashed (StringBuilder's "Destination is too short").
/// </summary>
[TestFixture]
[Category("Process")]
public sealed class SparkProcessLinesTests
{
    [Test]
    public void Lines_of_both_streams_reach_the_receiver_one_at_a_time_and_all_of_them()
    {
        // Two writers in one shell, each printing 20,000 lines on its own stream, at the same time.
        const int Lines = 20_000;
        string script = $"for i in $(seq 1 {Lines}); do echo out$i; done & for i in $(seq 1 {Lines}); do echo err$i >&2; done; wait";
        int inside = 0;
        int overlaps = 0;
        var received = new List<string>();
        using (var process = SparkProcess.Start("/bin/sh", ["-c", script], line =>
        {
            if (Interlocked.Increment(ref inside) > 1)
            {
                Interlocked.Increment(ref overlaps);
            }

            received.Add(line);
            Thread.SpinWait(50);
            Interlocked.Decrement(ref inside);
        }))
        {
            Assert.That(process.WaitForExit(), Is.Zero);
        }

        Assert.That(overlaps, Is.Zero, "the receiver was entered by both reader threads at once");
        Assert.That(received.Count(l => l.StartsWith("out", StringComparison.Ordinal)), Is.EqualTo(Lines));
        Assert.That(received.Count(l => l.StartsWith("err", StringComparison.Ordinal)), Is.EqualTo(Lines));
    }
}
