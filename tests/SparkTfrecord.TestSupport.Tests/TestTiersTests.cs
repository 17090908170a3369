using System.Reflection;
using System.Reflection.Emit;

namespace SparkTfrecord.TestSupport.Tests;

/// <summary>
/// The tier guard, over assemblies emitted for each test (fixtures declared here would be run and guarded as this
/// project's own).
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class TestTiersTests
{
    [Test]
    public void Every_fixture_of_this_project_has_exactly_one_tier() =>
        TestTiers.AssertEveryFixtureHasOneTier(typeof(TestTiersTests).Assembly);

    [Test]
    public void A_fixture_with_one_tier_and_other_categories_passes()
    {
        var assembly = Emit(new Sample("Good", ["Fast", "Slowish"]), new Sample("AlsoGood", ["External"], FixtureAttribute: false));

        Assert.That(TestTiers.Violations(assembly), Is.Empty);
    }

    [Test]
    public void Fixtures_without_a_tier_or_with_two_are_named()
    {
        var assembly = Emit(
            new Sample("NoTier", []),
            new Sample("TwoTiers", ["Fast", "Process"]),
            new Sample("OnlyTestMethods", ["Smoke"], FixtureAttribute: false),
            new Sample("Good", ["Process"]));

        var violations = TestTiers.Violations(assembly);

        Assert.That(violations, Has.Count.EqualTo(3));
        Assert.That(violations[0], Does.StartWith("Samples.NoTier: tier categories none"));
        Assert.That(violations[1], Does.StartWith("Samples.OnlyTestMethods: tier categories none"));
        Assert.That(violations[2], Does.StartWith("Samples.TwoTiers: tier categories Fast, Process"));
        Assert.That(() => TestTiers.AssertEveryFixtureHasOneTier(assembly), Throws.TypeOf<AssertionException>().With.Message.Contains("Samples.NoTier"));
    }

    [Test]
    public void A_tier_on_a_test_method_is_named()
    {
        var assembly = Emit(new Sample("Mixed", ["Fast"], MethodCategories: ["External"]));

        Assert.That(TestTiers.Violations(assembly), Is.EqualTo(new[] { "Samples.Mixed.Check: tier External on a test method; tiers go on the fixture (split it by tier)" }));
    }

    [Test]
    public void A_class_without_tests_or_fixture_attribute_is_not_a_fixture()
    {
        var assembly = Emit(new Sample("Helper", [], FixtureAttribute: false, TestMethod: false));

        Assert.That(TestTiers.Violations(assembly), Is.Empty);
    }

    private sealed record Sample(string Name, string[] Categories, bool FixtureAttribute = true, bool TestMethod = true, string[]? MethodCategories = null);

    private static Assembly Emit(params Sample[] samples)
    {
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("TierSamples" + Guid.NewGuid().ToString("N")), AssemblyBuilderAccess.Run);
        ModuleBuilder module = assembly.DefineDynamicModule("TierSamples");
        foreach (Sample sample in samples)
        {
            TypeBuilder type = module.DefineType("Samples." + sample.Name, TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class);
            if (sample.FixtureAttribute)
            {
                type.SetCustomAttribute(Attribute<TestFixtureAttribute>());
            }

            foreach (string category in sample.Categories)
            {
                type.SetCustomAttribute(Attribute<CategoryAttribute>(category));
            }

            MethodBuilder method = type.DefineMethod("Check", MethodAttributes.Public, typeof(void), Type.EmptyTypes);
            method.GetILGenerator().Emit(OpCodes.Ret);
            if (sample.TestMethod)
            {
                method.SetCustomAttribute(Attribute<TestAttribute>());
            }

            foreach (string category in sample.MethodCategories ?? [])
            {
                method.SetCustomAttribute(Attribute<CategoryAttribute>(category));
            }

            type.CreateType();
        }

        return assembly;
    }

    private static CustomAttributeBuilder Attribute<T>(params string[] arguments) =>
        new(typeof(T).GetConstructor([.. arguments.Select(_ => typeof(string))])!, [.. arguments]);
}
