namespace SparkTfrecord.Spark.Tests;

// The tier guard, added by the test-support work of issue 10; it fails until this project's fixtures carry their
// tiers (the helper that owns this project sets them); the lead reconciles the two at the merge.
/// <summary>Every fixture of this project carries exactly one tier category (Fast, Process or External).</summary>
[TestFixture]
[Category("Fast")]
public sealed class TierTests
{
    [Test]
    public void Every_fixture_has_exactly_one_tier() => TestTiers.AssertEveryFixtureHasOneTier(typeof(TierTests).Assembly);
}
