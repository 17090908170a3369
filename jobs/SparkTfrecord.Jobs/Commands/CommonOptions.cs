using System.CommandLine;
using SparkTfrecord.Engine.Config;
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

    /// <summary>The compression of a file command (<c>write</c>): none unless given.</summary>
    public static Option<TfRecordCompression> Compression(string description) => LowercaseCompression(new Option<TfRecordCompression>("--compression")
    {
        // No DefaultValueFactory: help would print the enum's own spelling ("[default: None]"); absent, the value is
        // default(TfRecordCompression), which is None, and the description says so.
        Description = description,
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
    });

    /// <summary>The compression of a job command (<c>samples</c>, <c>plan</c>, <c>encode</c>): null unless given, so the
    /// job's <c>output.compression</c> applies.</summary>
    public static Option<TfRecordCompression?> JobCompression(string description) => LowercaseCompression(new Option<TfRecordCompression?>("--compression")
    {
        Description = description,
        CustomParser = result =>
        {
            string text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
            if (JobConfigParser.TryParseCompression(text, out var c))
            {
                return c;
            }

            result.AddError($"--compression must be none, gzip or zlib, not '{text}'.");
            return null;
        },
    });

    /// <summary>
    /// Spells the choices as users type them and as the rest of the help does (<c>&lt;none|gzip|zlib&gt;</c>): for an
    /// enum option System.CommandLine derives the help name and the completions from the enum's member names
    /// (<c>&lt;Gzip|None|Zlib&gt;</c>).
    /// </summary>
    private static Option<T> LowercaseCompression<T>(Option<T> option)
    {
        option.HelpName = "none|gzip|zlib";
        option.CompletionSources.Clear();
        option.CompletionSources.Add("none", "gzip", "zlib");
        return option;
    }

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
