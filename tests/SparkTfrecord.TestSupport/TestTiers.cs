using System.Reflection;
using NUnit.Framework.Interfaces;

namespace SparkTfrecord.TestSupport;

/// <summary>
/// The test tiers, as NUnit categories on each fixture class (exactly one): <c>Fast</c> runs in the test process with
/// no child process and no tool outside .NET; <c>Process</c> starts sparktf or another child process (bash, dotnet, a
/// fake spark-submit) but needs nothing outside the repository and .NET; <c>External</c> needs a prerequisite
/// installed on the machine (Debian's python3 modules, protoc, node, a real Spark). <c>dotnet test --filter
/// TestCategory=Fast</c> runs one tier; docs/contributing.md says what each costs.
/// </summary>
public static class TestTiers
{
    /// <summary>The tier category names, cheapest first.</summary>
    public static IReadOnlyList<string> Names { get; } = ["Fast", "Process", "External"];

    /// <summary>
    /// One line for each fixture of <paramref name="assembly"/> without exactly one tier category on its class, and
    /// for each test method that carries a tier itself (the tier belongs to the fixture: split the fixture instead).
    /// </summary>
    public static IReadOnlyList<string> Violations(Assembly assembly)
    {
        var violations = new List<string>();
        foreach (Type type in assembly.GetTypes().Where(IsFixture).OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            var tiers = Tiers(type.GetCustomAttributes<CategoryAttribute>(inherit: true));
            if (tiers.Count != 1)
            {
                string found = tiers.Count == 0 ? "none" : string.Join(", ", tiers);
                violations.Add($"{type.FullName}: tier categories {found}; add exactly one of [Category(\"{string.Join("\")], [Category(\"", Names)}\")] to the class");
            }

            foreach (MethodInfo method in TestMethods(type))
            {
                var onMethod = Tiers(method.GetCustomAttributes<CategoryAttribute>(inherit: true));
                if (onMethod.Count > 0)
                {
                    violations.Add($"{type.FullName}.{method.Name}: tier {string.Join(", ", onMethod)} on a test method; tiers go on the fixture (split it by tier)");
                }
            }
        }

        return violations;
    }

    /// <summary>Fails naming every fixture of <paramref name="assembly"/> without exactly one tier.</summary>
    public static void AssertEveryFixtureHasOneTier(Assembly assembly)
    {
        var violations = Violations(assembly);
        Assert.That(violations, Is.Empty, "fixtures without exactly one tier category:\n  " + string.Join("\n  ", violations));
    }

    private static List<string> Tiers(IEnumerable<CategoryAttribute> categories) =>
        [.. categories.Select(c => c.Name).Where(Names.Contains)];

    private static bool IsFixture(Type type) =>
        type.IsClass
        && !(type.IsAbstract && !type.IsSealed) // an abstract base is checked through the fixtures that derive from it
        && (type.GetCustomAttributes(inherit: true).OfType<IFixtureBuilder>().Any() || TestMethods(type).Any());

    private static IEnumerable<MethodInfo> TestMethods(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)
            .Where(m => m.GetCustomAttributes(inherit: true).Any(a => a is ISimpleTestBuilder or ITestBuilder));
}
