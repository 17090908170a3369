namespace SparkTfrecord.FaultHost;

/// <summary>The environment variables that choose the fault (tests set them on the host's process).</summary>
public static class Faults
{
    /// <summary>SIGKILL the process right after the named commit step (see OutputCommitter.Steps): no cleanup of any
    /// kind, as a crash would be.</summary>
    public const string KillAtStep = "SPARKTF_FAULT_KILL_AT_STEP";

    /// <summary><c>STEP:MILLISECONDS</c>: after the step, say so on stderr ("pausing after step STEP") and wait, until
    /// the time is up or a signal stops the command, which then stops there; <c>STEP:MILLISECONDS:continue</c> goes on
    /// after a signal, as a run whose signal came just after the step would.</summary>
    public const string PauseAtStep = "SPARKTF_FAULT_PAUSE_AT_STEP";

    /// <summary><c>bug</c> or <c>oom</c>: the first write to standard output throws what a bug or an exhausted heap
    /// would, to prove that neither reaches the user as a stack trace.</summary>
    public const string Throw = "SPARKTF_FAULT_THROW";

    /// <summary>The out-of-memory error .NET raises when the heap is exhausted, thrown once, right after the named step
    /// (for an output pass's start, <c>write-pass-P-of-N</c>): the embedded engine's retry in more passes, which no memory
    /// limit can force reliably (DuckDB's sort spills).</summary>
    public const string OutOfMemoryAtStep = "SPARKTF_FAULT_OOM_AT_STEP";

    /// <summary>Whether <paramref name="environment"/> asks for a fault (the tests then run this host, not sparktf).</summary>
    public static bool AnyIn(IEnumerable<string> environment) => environment.Any(name => name is KillAtStep or PauseAtStep or Throw or OutOfMemoryAtStep);
}
