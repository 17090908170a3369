using System.Reflection;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Spec;

namespace SparkTfrecord.Engine.Tests;

/// <summary>
/// YAML is read in one place: the spec library's YAML layer. YamlDotNet sits behind it, in no public signature of any
/// library and referenced by the spec library alone; every YAML file the repository ships still loads through it.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed class YamlLayerBoundaryTests
{
    private static readonly Assembly[] s_libraries =
    [
        typeof(Tfrecord.TfRecordFormatException).Assembly,
        typeof(FeatureSpec).Assembly,
        typeof(JobDefinition).Assembly,
    ];

    [Test]
    public void No_public_member_of_a_library_exposes_a_YamlDotNet_type()
    {
        var exposed = new List<string>();
        foreach (Assembly library in s_libraries)
        {
            foreach (Type type in library.GetExportedTypes())
            {
                foreach ((string where, Type used) in Signatures(type))
                {
                    if (Mentions(used, "YamlDotNet"))
                    {
                        exposed.Add($"{type.FullName}: {where} uses {used}");
                    }
                }
            }
        }

        Assert.That(exposed, Is.Empty);
    }

    [Test]
    public void The_check_finds_a_YamlDotNet_type_where_one_is_exposed()
    {
        // The walk above must see a YamlDotNet type in a base type, a property, a parameter and a generic argument.
        var found = Signatures(typeof(Exposing)).Where(s => Mentions(s.Type, "YamlDotNet")).Select(s => s.Where);

        Assert.That(found, Is.EquivalentTo(new[] { "base type", "get_Where returns", "Take(first)", "Take(others)" }));
    }

    [Test]
    public void Only_the_spec_library_references_YamlDotNet()
    {
        var referencing = s_libraries.Where(a => a.GetReferencedAssemblies().Any(r => r.Name == "YamlDotNet")).Select(a => a.GetName().Name);

        Assert.That(referencing, Is.EqualTo(new[] { "SparkTfrecord.Spec" }));
    }

    [Test]
    public void Every_spec_the_repository_ships_loads_with_its_job_section()
    {
        string root = RepositoryRoot();
        var files = Directory.GetFiles(Path.Combine(root, "conf"), "*.yaml")
            .Concat(Directory.GetFiles(Path.Combine(root, "tests", "SparkTfrecord.Spark.Tests", "specs"), "*.yaml"))
            .ToList();
        Assert.That(files, Has.Count.GreaterThanOrEqualTo(3));

        foreach (string file in files)
        {
            FeatureSpec spec = SpecLoader.Load(file);
            if (File.ReadAllLines(file).Any(l => l.StartsWith("job:", StringComparison.Ordinal)))
            {
                Assert.That(JobDefinition.FromSpec(spec).Job.Sources, Is.Not.Empty, file);
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "conf", "din.yaml")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (with conf/din.yaml) is not above the test directory");
    }

    // Every type a caller outside the assembly sees in the type's signature: base type, interfaces, and the types of
    // its public and protected fields, properties, events, methods and constructors.
    private static IEnumerable<(string Where, Type Type)> Signatures(Type type)
    {
        if (type.BaseType is { } baseType)
        {
            yield return ("base type", baseType);
        }

        foreach (Type i in type.GetInterfaces())
        {
            yield return ("interface", i);
        }

        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (FieldInfo f in type.GetFields(All).Where(f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly))
        {
            yield return ($"field {f.Name}", f.FieldType);
        }

        foreach (MethodBase m in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All))
            .Where(m => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly))
        {
            if (m is MethodInfo method)
            {
                yield return ($"{m.Name} returns", method.ReturnType);
            }

            foreach (ParameterInfo p in m.GetParameters())
            {
                yield return ($"{m.Name}({p.Name})", p.ParameterType);
            }
        }
    }

    private static bool Mentions(Type type, string assemblyName)
    {
        if (type.HasElementType)
        {
            return Mentions(type.GetElementType()!, assemblyName);
        }

        return type.Assembly.GetName().Name == assemblyName
            || (type.IsGenericType && !type.IsGenericTypeDefinition && type.GetGenericArguments().Any(a => Mentions(a, assemblyName)));
    }

    // A type that exposes YamlDotNet four ways, to show the walk finds each: a base type, a property, a parameter and a
    // generic argument.
    private sealed class Exposing : YamlDotNet.Core.Tokens.Token
    {
        public Exposing()
            : base(YamlDotNet.Core.Mark.Empty, YamlDotNet.Core.Mark.Empty)
        {
        }

        public YamlDotNet.Core.Mark Where => Start;

        public static void Take(YamlDotNet.Core.Mark first, List<YamlDotNet.Core.Mark> others) => ArgumentNullException.ThrowIfNull(others);
    }
}
