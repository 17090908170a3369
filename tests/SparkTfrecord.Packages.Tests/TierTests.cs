namespace SparkTfrecord.Packages.Tests;

/// <summary>Every fixture of this project carries exactly one tier category (Fast, Process or External).</summary>
[TestFixture]
[Category("Fast")]
public sealed class TierTests
{
    [Test]
    public void Every_fixture_has_exactly_one_tier() => TestTiers.AssertEveryFixtureHasOneTier(typeof(TierTests).Assembly);
}
