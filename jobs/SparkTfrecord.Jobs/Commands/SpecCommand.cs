using System.CommandLine;
using SparkTfrecord.Engine.Output;
using SparkTfrecord.Spec;
using SparkTfrecord.Spec.Exports;
using SparkTfrecord.Tfrecord.Files;

namespace SparkTfrecord.Jobs.Commands;

/// <summary><c>sparktf spec export|hash --spec FILE</c>: the feature spec in other forms.</summary>
internal static class SpecCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("spec", "Work with a YAML feature spec: export it for trainers and TFDV, print its hash.")
        {
            Export(context),
            Hash(context),
        };
        return command;
    }

    private static Command Export(CliContext context)
    {
        var spec = CommonOptions.Spec();
        var target = new Option<string>("--target", "-t")
        {
            Description = "json (the normalized spec), tf-python (a standalone module with get_example_fmt() and padded_shapes_and_padding_values()) or tfdv-schema (a TFDV schema.pbtxt).",
            DefaultValueFactory = _ => "json",
        };
        target.AcceptOnlyFromAmong([.. SpecExports.Targets]);
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file (replaced atomically) instead of stdout." };
        var command = new Command("export", "Export the spec's features (and of its job: section only sampling.weight, the sample weight feature) as normalized JSON, a TensorFlow parsing module or a TFDV schema.")
        {
            spec, target, output,
        };
        command.SetAction(result =>
        {
            string specPath = result.GetValue(spec)!;
            OutputGuard.CheckWrittenFiles([new("--output", result.GetValue(output), WrittenFileKind.Text)], datasets: [], read: [specPath]);

            FeatureSpec loaded = SpecLoader.Load(specPath);
            string text = SpecExports.Export(loaded, result.GetValue(target)!);
            if (result.GetValue(output) is { } path)
            {
                AtomicFile.WriteAllText(path, text);
                context.Err.WriteLine($"sparktf: wrote {path}");
            }
            else
            {
                context.Out.Write(text);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Hash(CliContext context)
    {
        var spec = CommonOptions.Spec();
        var command = new Command("hash", "Print the spec hash (SHA-256 of the canonical JSON of the normalized features), as _manifest.json records it in spec_hash.")
        {
            spec,
        };
        command.SetAction(result =>
        {
            context.Out.WriteLine(SpecLoader.Load(result.GetValue(spec)!).Hash);
            return ExitCodes.Success;
        });
        return command;
    }
}
