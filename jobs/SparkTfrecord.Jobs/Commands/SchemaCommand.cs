using System.CommandLine;
using SparkTfrecord.Spec.Inference;
using SparkTfrecord.Tfrecord.Files;

namespace SparkTfrecord.Jobs.Commands;

/// <summary><c>sparktf schema PATH... [--yaml]</c>: the Spark schema the connectors would infer, or a draft feature spec.</summary>
internal static class SchemaCommand
{
    public static Command Create(CliContext context)
    {
        var paths = CommonOptions.Paths();
        var yaml = new Option<bool>("--yaml") { Description = "Print a draft feature spec (YAML) instead of the Spark schema." };
        var limit = new Option<long?>("--limit", "-n") { Description = "Read at most N records in all (default: every record)." };
        var command = new Command("schema", "Infer the Spark schema the Spark TFRecord connectors would infer (int64 → long, float → float, bytes → string; exactly one value in every record → scalar, else array) and print it as printSchema() does; --yaml prints a draft feature spec.")
        {
            paths, yaml, limit,
        };
        command.SetAction(result =>
        {
            var inference = new SchemaInference();
            IReadOnlyList<string> files = TfRecordPaths.Expand(result.GetValue(paths)!);
            long max = result.GetValue(limit) ?? long.MaxValue;
            foreach (string file in files)
            {
                inference.AddFile(file, max);
            }

            string sources = files.Count == 1 ? files[0] : $"{files.Count} files";
            context.Out.Write(result.GetValue(yaml) ? inference.ToDraftYaml(sources) : inference.ToPrintSchema());
            return ExitCodes.Success;
        });
        return command;
    }
}
