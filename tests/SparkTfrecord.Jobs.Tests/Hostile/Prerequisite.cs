namespace SparkTfrecord.Jobs.Tests.Hostile;

/// <summary>
/// A test's prerequisite that this machine lacks (root for a mount, node for the grammar check): skipped on a laptop,
/// a failure on CI (<c>CI=true</c>), so CI can never pass by skipping.
/// </summary>
internal static class Prerequisite
{
    public static bool OnCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Fails on CI, else ignores the test, with <paramref name="why"/>; never returns (callers write
    /// <c>throw Prerequisite.Missing(...)</c> so the compiler knows).</summary>
    public static Exception Missing(string why)
    {
        if (OnCi)
        {
            Assert.Fail(why);
        }

        Assert.Ignore(why);
        return new System.Diagnostics.UnreachableException();
    }
}
