using System.Text.RegularExpressions;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Spark;

namespace SparkTfrecord.Spark.Tests;

/// <summary>
/// The acceptance of issue 11 over every Spark script sparktf renders: every spec with a job section (conf/*.yaml,
/// tests/*/specs/*.yaml, the conformance cases' specs) in every writer and connector, master, deploy mode and Spark
/// version spelling is pure ASCII (contract clause ascii-script), casts no text to an array (list-json-text: Spark's
/// <c>Cast.canCast</c> has no string-to-array cast), and gives rows no <c>monotonically_increasing_id</c>
/// (row-identity). Each rendering is checked three ways: without state, and for a job that keeps history state
/// (docs/state.md, "The Spark side") without a usable snapshot and with the day before's (<see cref="StateScripts"/>;
/// the launcher keeps state only for a local input, so those read <c>file:</c> input). Each spec is one test; its
/// message lists every rendering and construct at fault.
/// </summary>
[TestFixture]
[Category("Fast")]
public sealed partial class WholeScriptAcceptanceTests
{
    private static readonly DateOnly s_date = new(2024, 5, 1);

    // Functions that give an array: a cast whose operand is one of these converts an array's elements, which Spark
    // allows (Cast.canCast: ArrayType to ArrayType). Any other operand of a cast to ARRAY (a column, a literal, a cast
    // to STRING) may be text, and text has no cast to an array in Spark.
    private static readonly string[] s_arrayFunctions =
    [
        "array", "from_json", "transform", "filter", "slice", "reverse", "flatten", "sort_array", "array_distinct", "array_except",
        "array_union", "array_remove", "array_compact", "concat", "collect_list", "split", "sequence",
    ];

    /// <summary>The renderings: name, master, deploy mode, writer, connector, Spark version (null: not told).</summary>
    private static readonly (string Name, string Master, SparkDeployMode Mode, SparkWriter Writer, SparkConnector Connector, string? Version)[] s_renderings = Renderings().ToArray();

    /// <summary>Every spec with a job section that sparktf can render for Spark.</summary>
    public static IEnumerable<TestCaseData> Specs()
    {
        var files = SparkScriptTests.Specs().Select(s => Processes.InRepo(s))
            .Concat(Directory.GetDirectories(Processes.InRepo("tests")).SelectMany(d => Directory.Exists(Path.Combine(d, "specs")) ? Directory.GetFiles(Path.Combine(d, "specs"), "*.yaml") : []))
            .Concat(ConformanceClauses.CaseFolders().Select(c => Path.Combine(ConformanceClauses.Folder, c, "spec.yaml")).Where(File.Exists))
            .Select(Path.GetFullPath)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        return files.Select(f => new TestCaseData(Path.GetRelativePath(Processes.RepoRoot, f)).SetName("Every Spark script of " + Path.GetRelativePath(Processes.RepoRoot, f)));
    }

    [TestCaseSource(nameof(Specs))]
    public void Is_ascii_casts_no_text_to_an_array_and_has_no_monotonically_increasing_id(string spec)
    {
        var definition = JobDefinition.Load(Processes.InRepo(spec));
        var problems = new List<string>();
        int rendered = 0;
        foreach (var r in s_renderings)
        {
            foreach (var state in s_states)
            {
                string? script;
                try
                {
                    script = Render(definition, r, state);
                }
                catch (Exception e) when (e is JobConfigException or Engine.Engines.EngineSetupException)
                {
                    // A spec the Spark engine refuses (ascii-script: a non-ASCII column name) renders no script to check.
                    TestContext.Out.WriteLine($"{r.Name}{state.Name}: refused: {e.Message}");
                    continue;
                }

                if (script is null)
                {
                    continue; // the job keeps no state: its state renderings are its plain ones
                }

                rendered++;
                problems.AddRange(Problems(script).Select(p => $"{r.Name}{state.Name}: {p}"));
            }
        }

        Assert.That(problems, Is.Empty, $"{spec}: {rendered} renderings checked:\n" + string.Join("\n", problems));
    }

    [Test]
    public void The_state_renderings_are_state_scripts_with_and_without_a_snapshot()
    {
        // din.yaml keeps state (clicks, no dedup): every rendering gets both state scripts, which read and write state.
        var definition = JobDefinition.Load(Processes.InRepo("conf", "din.yaml"));
        foreach (var r in s_renderings)
        {
            string? without = Render(definition, r, s_states[1]);
            string? with = Render(definition, r, s_states[2]);
            Assert.Multiple(() =>
            {
                Assert.That(without, Does.Contain("INSERT OVERWRITE DIRECTORY").And.Not.Contain("parquet.`file://" + StateScripts.Folder + "/dt="), r.Name);
                Assert.That(with, Does.Contain("INSERT OVERWRITE DIRECTORY").And.Contain("parquet.`file://" + StateScripts.Folder + "/dt=2024-04-30/carry_clicks.parquet`"), r.Name);
            });
        }
    }

    [Test]
    public void The_checks_find_a_non_ascii_character_a_text_to_array_cast_and_monotonically_increasing_id()
    {
        string bad = "SELECT '\u672A\u77E5' AS g, try_cast(t.`tags` AS ARRAY<STRING>) AS a, CAST(array() AS ARRAY<STRING>) AS e,\n" +
            "filter(try_cast(from_json(x, 'ARRAY<STRING>') AS ARRAY<BIGINT>), v -> v IS NOT NULL) AS ok, CAST('x, y' AS STRING) AS s, " +
            "monotonically_increasing_id() AS __id FROM t;\n" +
            "SELECT concat('sparktf-state-carry:', CAST(monotonically_increasing_id() AS STRING)) AS __file FROM parquet.`file:///s/carry_clicks.parquet` c;\n";

        var problems = Problems(bad);

        Assert.That(problems, Is.EqualTo(new[]
        {
            "line 1: non-ASCII character U+672A",
            "line 1: non-ASCII character U+77E5",
            "a cast to an array from what may be text: try_cast(t.`tags` AS ARRAY<STRING>)",
            "monotonically_increasing_id at line 2",
            "monotonically_increasing_id at line 3",
        }));
    }

    /// <summary>The state variants: none, a state run without a usable snapshot, one with the day before's.</summary>
    private static readonly (string Name, bool State, bool Usable)[] s_states =
    [
        ("", false, false),
        (" state without snapshot", true, false),
        (" state with snapshot", true, true),
    ];

    private static IEnumerable<(string, string, SparkDeployMode, SparkWriter, SparkConnector, string?)> Renderings()
    {
        foreach (string? version in new[] { null, "2.4", "3.1", "3.3", "3.5/2.13", "4.1" })
        {
            foreach (var (writer, connector) in new[] { (SparkWriter.Connector, SparkConnector.LinkedIn), (SparkWriter.Connector, SparkConnector.TensorFlow), (SparkWriter.Native, SparkConnector.LinkedIn) })
            {
                if (connector == SparkConnector.TensorFlow && version is not (null or "2.4"))
                {
                    continue; // refused by design: TensorFlow's connector is for Spark 2.4 only
                }

                foreach (var (master, mode) in new[] { ("local[*]", SparkDeployMode.Client), ("yarn", SparkDeployMode.Client), ("yarn", SparkDeployMode.Cluster) })
                {
                    string name = $"{(writer == SparkWriter.Native ? "native" : connector.ToString().ToLowerInvariant())} {master} {mode.ToString().ToLowerInvariant()} spark {version ?? "unknown"}";
                    yield return (name, master, mode, writer, connector, version);
                }
            }
        }
    }

    // Null: a state variant of a job that keeps no state.
    private static string? Render(JobDefinition definition, (string Name, string Master, SparkDeployMode Mode, SparkWriter Writer, SparkConnector Connector, string? Version) r,
        (string Name, bool State, bool Usable) state)
    {
        bool local = r.Master.StartsWith("local", StringComparison.Ordinal);
        var setup = SparkSetup.Create(definition, new SparkRunOptions
        {
            Date = s_date,
            Input = local ? "/data/logs" : state.State ? "file:///mnt/nfs/logs" : "hdfs:///logs/din",
            Output = local || r.Writer == SparkWriter.Native ? "file:///mnt/nfs/out/dt={date}" : "hdfs:///data/samples/dt={date}",
            Master = r.Master,
            DeployMode = r.Mode,
            Writer = r.Writer,
            Connector = r.Connector,
            Version = r.Version is null ? null : SparkVersion.Parse(r.Version),
        }, resolveLocalInputs: false);
        if (!state.State)
        {
            return setup.ScriptText();
        }

        return StateScripts.WithState(definition, setup, state.Usable)?.Script(SparkWorkFolder.LaunchTarget(setup)).Text();
    }

    /// <summary>What is wrong with a script: each non-ASCII character (with its line), each cast to an array whose
    /// operand may be text, each <c>monotonically_increasing_id</c>.</summary>
    private static List<string> Problems(string script)
    {
        var problems = new List<string>();
        string[] lines = script.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            foreach (char ch in lines[i].Where(ch => ch > '\x7f').Distinct())
            {
                problems.Add($"line {i + 1}: non-ASCII character U+{(int)ch:X4}");
            }
        }

        foreach (Match m in CastStart().Matches(script))
        {
            int open = m.Index + m.Length - 1;
            if (Split(script, open) is var (operand, type) && type.StartsWith("ARRAY<", StringComparison.OrdinalIgnoreCase) && !GivesAnArray(operand))
            {
                problems.Add($"a cast to an array from what may be text: {script[m.Index..(open + 1)]}{operand} AS {type})");
            }
        }

        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Contains("monotonically_increasing_id", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"monotonically_increasing_id at line {i + 1}");
            }
        }

        return problems;
    }

    private static bool GivesAnArray(string operand)
    {
        string o = operand.Trim();
        return s_arrayFunctions.Any(f => o.StartsWith(f + "(", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The operand and target type of the cast whose '(' is at <paramref name="open"/>: split at its
    /// top-level <c> AS </c>, outside string literals and quoted identifiers; null if the cast is not closed.</summary>
    private static (string Operand, string Type)? Split(string sql, int open)
    {
        int depth = 0;
        int asAt = -1;
        for (int i = open + 1; i < sql.Length; i++)
        {
            char ch = sql[i];
            if (ch is '\'' or '`' or '"')
            {
                i = SkipQuoted(sql, i);
            }
            else if (ch == '(')
            {
                depth++;
            }
            else if (ch == ')')
            {
                if (depth == 0)
                {
                    return asAt < 0 ? null : (sql[(open + 1)..asAt], sql[(asAt + 4)..i].Trim());
                }

                depth--;
            }
            else if (depth == 0 && string.Compare(sql, i, " AS ", 0, 4, StringComparison.OrdinalIgnoreCase) == 0)
            {
                asAt = i;
            }
        }

        return null;
    }

    private static int SkipQuoted(string sql, int start)
    {
        char quote = sql[start];
        for (int i = start + 1; i < sql.Length; i++)
        {
            if (sql[i] == '\\' && quote == '\'')
            {
                i++;
            }
            else if (sql[i] == quote)
            {
                return i;
            }
        }

        return sql.Length;
    }

    [GeneratedRegex(@"\b(?:try_cast|cast)\s*\(", RegexOptions.IgnoreCase)]
    private static partial Regex CastStart();
}
