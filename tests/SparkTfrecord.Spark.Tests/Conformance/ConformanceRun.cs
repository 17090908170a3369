using SparkTfrecord.Engine.Config;
using SparkTfrecord.Engine.Spark;

namespace SparkTfrecord.Spark.Tests.Conformance;

/// <summary>
/// Runs a conformance case: <c>sparktf samples</c> on an engine, then every comparison the case asks for
/// (<see cref="ConformanceCheck"/>), and the Spark renderings of its spec against <c>spark_has</c> /
/// <c>spark_lacks</c>. The embedded engine's run and the Spark run are compared with the same code.
/// </summary>
internal static class ConformanceRun
{
    /// <summary>The Spark renderings of a case: name, writer, connector. <c>spark_has</c> is checked on the Spark 3
    /// spellings (the connector and the native writer); <c>spark_lacks</c> on these and on the Spark 2.4 spelling (the
    /// TensorFlow connector's), which lacks Spark 3 functions such as <c>try_cast</c> by design.</summary>
    internal static readonly (string Name, SparkWriter Writer, SparkConnector Connector, bool Modern)[] s_renderings =
    [
        ("linkedin-local", SparkWriter.Connector, SparkConnector.LinkedIn, true),
        ("native-local", SparkWriter.Native, SparkConnector.LinkedIn, true),
        ("tensorflow-local", SparkWriter.Connector, SparkConnector.TensorFlow, false),
    ];

    /// <summary>Every case folder's name, for a test case source.</summary>
    /// <returns>The names.</returns>
    public static IEnumerable<string> CaseNames() => ConformanceClauses.CaseFolders();

    /// <summary>Loads a case by its folder's name.</summary>
    /// <param name="name">The folder's name.</param>
    /// <returns>The case.</returns>
    public static ConformanceCase Load(string name) => ConformanceCase.Load(Path.Combine(ConformanceClauses.Folder, name));

    /// <summary>The command line that runs a case: <c>samples --spec --input --date --output</c>, then engine options.</summary>
    /// <param name="c">The case.</param>
    /// <param name="output">The output folder.</param>
    /// <param name="engine">Options that pick and set up the engine (none for the embedded engine).</param>
    /// <returns>The arguments.</returns>
    public static string[] SamplesArgs(ConformanceCase c, string output, params string[] engine) =>
        ["samples", "--spec", c.Spec, "--input", c.Input, "--date", c.DateText, "--output", output, .. engine];

    /// <summary>Everything that differs between what a run wrote and what the case expects.</summary>
    /// <param name="c">The case.</param>
    /// <param name="run">The finished <c>sparktf samples</c>.</param>
    /// <param name="output">Its output folder.</param>
    /// <param name="linesKnown">Whether the engine reports the lines of bad rows (Spark has none).</param>
    /// <returns>The differences, empty when the run conforms.</returns>
    public static IReadOnlyList<string> OutputProblems(ConformanceCase c, ProcessResult run, string output, bool linesKnown)
    {
        if (c.DuckDbRefuses is not null && linesKnown)
        {
            return run.ExitCode == 1 && run.Stderr.Contains(c.DuckDbRefuses, StringComparison.Ordinal)
                ? []
                : [$"the embedded engine should refuse the case (exit 1, a message with '{c.DuckDbRefuses}'); exit {run.ExitCode}\n{run.Output}"];
        }

        if (run.ExitCode != 0)
        {
            return [$"sparktf samples failed (exit {run.ExitCode}):\n{run.Output}"];
        }

        var problems = new List<string>();
        problems.AddRange(ConformanceCheck.Samples(c.Expected, ConformanceCheck.Decode(ConformanceCheck.PartFiles(output).Select(f => Path.Combine(output, f))), ConformanceCheck.Features(c.Spec)));
        problems.AddRange(ConformanceCheck.Counts(c.Counts, run.Stdout));
        if (c.Quarantine is { } quarantine)
        {
            problems.AddRange(ConformanceCheck.Quarantine(quarantine, ConformanceCheck.KeptBadRows(Path.Combine(output, "_quarantine")), linesKnown));
        }

        if (c.Files is { } files)
        {
            problems.AddRange(ConformanceCheck.Files(files, output));
        }

        return problems;
    }

    /// <summary>
    /// Renders the case's spec for Spark in each of <see cref="s_renderings"/> (local master, the case's input and
    /// date) and checks <c>spark_has</c> / <c>spark_lacks</c>, or, for a case Spark refuses, that each rendering is
    /// refused with the case's text.
    /// </summary>
    /// <param name="c">The case.</param>
    /// <param name="output">The output folder the scripts name (not written).</param>
    /// <returns>The differences.</returns>
    public static IReadOnlyList<string> ScriptProblems(ConformanceCase c, string output)
    {
        var problems = new List<string>();
        foreach (var r in s_renderings)
        {
            // A case the connectors alone refuse (connector_refuses) is rendered by the native writer.
            string? refuses = r.Writer == SparkWriter.Connector ? c.ConnectorRefuses ?? c.SparkRefuses : c.SparkRefuses;
            string script;
            try
            {
                script = Render(c, output, r.Writer, r.Connector);
            }
            catch (Exception e) when (e is JobConfigException or Engine.Engines.EngineSetupException or IOException)
            {
                if (refuses is null || !e.Message.Contains(refuses, StringComparison.Ordinal))
                {
                    problems.Add($"{r.Name}: the Spark rendering failed{(refuses is null ? "" : $" without '{refuses}' in its message")}: {e.Message}");
                }

                continue;
            }

            if (refuses is not null)
            {
                problems.Add($"{r.Name}: the Spark rendering should refuse the case with '{refuses}', and rendered a script");
                continue;
            }

            problems.AddRange(ConformanceCheck.Script(r.Name, script, r.Modern ? c.SparkHas : null, c.SparkLacks));
        }

        return problems;
    }

    /// <summary>The Spark script of a case's spec.</summary>
    /// <param name="c">The case.</param>
    /// <param name="output">The output the script names.</param>
    /// <param name="writer">The writer.</param>
    /// <param name="connector">The connector.</param>
    /// <returns>The script's text.</returns>
    public static string Render(ConformanceCase c, string output, SparkWriter writer, SparkConnector connector) =>
        SparkSetup.Create(JobDefinition.Load(c.Spec), new SparkRunOptions
        {
            Date = c.Date,
            Input = c.Input,
            Output = output,
            Master = "local[*]",
            Writer = writer,
            Connector = connector,
        }).ScriptText();
}
