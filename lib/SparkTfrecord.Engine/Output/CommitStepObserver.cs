namespace SparkTfrecord.Engine.Output;

/// <summary>
/// The fault-injection seam of the commit protocol: one observer, for the whole process, told after every step of every
/// <see cref="OutputCommitter"/> (the names of <see cref="OutputCommitter.Steps"/>) and at the start of each of the
/// embedded engine's output passes (<c>write-pass-P-of-N</c>). Nothing in the shipped program sets it; the test host
/// (tests/SparkTfrecord.FaultHost) does, to SIGKILL, pause or fail a real run at a step.
/// </summary>
internal static class CommitStepObserver
{
    private static volatile Action<string>? s_observer;

    /// <summary>Installs the observer (null removes it).</summary>
    public static void Install(Action<string>? observer) => s_observer = observer;

    /// <summary>Tells the observer, if any, that <paramref name="step"/> is done.</summary>
    public static void After(string step) => s_observer?.Invoke(step);
}
