using System.CommandLine;
using SparkTfrecord.Tfrecord;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Jobs.Commands;

/// <summary>Options and arguments shared by several commands, spelled once.</summary>
internal static class CommonOptions
{
    public static Argument<string[]> Paths() => new("PATH")
    {
        Description = "TFRecord files, folders (every part file in them; names starting with '_' or '.' are skipped) or glob patterns.",
        Arity = ArgumentArity.OneOrMore,
    };

    /// <summary>The feature spec file; <c>--conf</c> is the same option (the file also holds the job's configuration).</summary>
    public static Option<string> Spec(bool required = true) => new("--spec", "--conf")
    {
        Description = "The YAML feature spec (for example conf/din.yaml); --conf is the same option.",
        Required = required,
    };

    public static Option<bool> SkipCorrupt() => new("--skip-corrupt")
    {
        Description = "On a damaged record, drop the rest of that file (as TensorFlow's ignore_errors does), report it on stderr and go on.",
    };

    public static Option<TfRecordCompression> Compression(string description) => new("--compression")
    {
        Description = description,
        DefaultValueFactory = _ => TfRecordCompression.None,
        CustomParser = result =>
        {
            string text = result.Tokens.Count == 0 ? "none" : result.Tokens[0].Value;
            if (Enum.TryParse(text, ignoreCase: true, out TfRecordCompression value) && !int.TryParse(text, out _))
            {
                return value;
            }

            result.AddError($"--compression must be none, gzip or zlib, not '{text}'.");
            return TfRecordCompression.None;
        },
    };

    /// <summary>Reports on stderr what a reader in skip mode dropped; returns whether anything was.</summary>
    public static bool ReportSkipped(TextWriter err, string path, TfRecordReader reader)
    {
        if (reader.Skipped is not { } skip)
        {
            return false;
        }

        string bytes = skip.BytesSkipped >= 0 ? $"{skip.BytesSkipped} bytes" : "the rest of the file";
        err.WriteLine($"sparktf: skipped {bytes} of {path} after {reader.RecordCount} good records: {skip.Error.Message}");
        return true;
    }

    public static TfRecordReaderOptions ReaderOptions(bool skipCorrupt) => new() { SkipCorrupt = skipCorrupt };
}
