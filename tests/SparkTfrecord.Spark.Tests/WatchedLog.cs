namespace SparkTfrecord.Spark.Tests;

/// <summary>The launcher's log, kept, with an event set when a line containing the awaited text arrives.</summary>
internal sealed class WatchedLog(string awaited) : StringWriter
{
    public ManualResetEventSlim Seen { get; } = new();

    public override void WriteLine(string? value)
    {
        lock (this)
        {
            base.WriteLine(value);
        }

        if (value?.Contains(awaited, StringComparison.Ordinal) == true)
        {
            Seen.Set();
        }
    }

    public override string ToString()
    {
        lock (this)
        {
            return base.ToString();
        }
    }

    protected override void Dispose(bool disposing)
    {
        Seen.Dispose();
        base.Dispose(disposing);
    }
}
