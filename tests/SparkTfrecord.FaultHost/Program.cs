using System.Diagnostics;
using System.Globalization;
using SparkTfrecord.Engine.Output;
using SparkTfrecord.FaultHost;
using SparkTfrecord.Jobs;

// sparktf with the fault the environment names (see Faults), installed through the library's seams; then the program
// itself runs (Cli.Run), so everything else is exactly what a user gets.
using var context = CliContext.ForConsole();
CliContext run = context;
string? kill = Environment.GetEnvironmentVariable(Faults.KillAtStep);
string[] pause = (Environment.GetEnvironmentVariable(Faults.PauseAtStep) ?? "").Split(':');
string? outOfMemory = Environment.GetEnvironmentVariable(Faults.OutOfMemoryAtStep);
CommitStepObserver.Install(step =>
{
    if (step == outOfMemory)
    {
        outOfMemory = null;
        throw new OutOfMemoryException($"test fault: out of memory after step {step}");
    }

    if (step == kill)
    {
        Process.GetCurrentProcess().Kill();
    }

    if (pause.Length is 2 or 3 && step == pause[0])
    {
        context.Err.WriteLine($"sparktf: test hook: pausing after step {step}");
        context.Err.Flush();
        CancellationToken stop = context.Termination.Token;
        stop.WaitHandle.WaitOne(int.Parse(pause[1], CultureInfo.InvariantCulture));
        if (pause.Length == 2)
        {
            stop.ThrowIfCancellationRequested();
        }
    }
});

if (Environment.GetEnvironmentVariable(Faults.Throw) is { } kind)
{
    run = new CliContext(new ThrowingStream(context.Stdout, kind), context.Err, context.Stdin, context.StderrIsTerminal, context.Termination);
}

return Cli.Run(args, run);

/// <summary>Standard output whose first write throws what <c>kind</c> names (later writes go through).</summary>
internal sealed class ThrowingStream(Stream inner, string kind) : Stream
{
    private bool _thrown;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count)
    {
        if (!_thrown)
        {
            _thrown = true;
            throw kind == "oom" ? new OutOfMemoryException() : new InvalidOperationException("test fault: a bug");
        }

        inner.Write(buffer, offset, count);
    }

    public override void Flush() => inner.Flush();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
