using System.CommandLine;
using SparkTfrecord.Engine.Config;
using SparkTfrecord.Tfrecord;
using SparkTfrecord.Tfrecord.Files;
using SparkTfrecord.Tfrecord.Framing;

namespace SparkTfrecord.Jobs.Commands;

/// <summary>Options and arguments shared by several commands, spelled once.</summary>
internal static partial class CommonOptions
{
    public static Argument<string[]> Paths() => new("PATH")
    {
        Description = "TFRecord files, folders (every part file in them and their subfolders, such as a split output's train/ and eval/; names starting with '_' or '.' are skipped) or glob patterns.",
        Arity = ArgumentArity.OneOrMore,
    };

    /// <summary>The feature spec file; <c>--conf</c> is the same option (the file also holds the job's configuration).</summary>
    public static Option<string> Spec(bool required = true) => new("--spec", "--conf")
    {
        Description = "The YAML feature spec (for example conf/din.yaml); --conf is the same option.",
        Required = required,
    };

    public static Option<bool> AllowEmpty() => new("--allow-empty")
    {
        Description = "Accept a folder with no TFRecord file, or files with no record (exit 0); by default that is an error (exit 1).",
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
        CustomParser = result => ParseCompression(result, result.Tokens.Count == 0 ? "none" : result.Tokens[0].Value) ?? TfRecordCompression.None,
    });

    /// <summary>The compression of a job command (<c>samples</c>, <c>plan</c>, <c>encode</c>): null unless given, so the
    /// job's <c>output.compression</c> applies.</summary>
    public static Option<TfRecordCompression?> JobCompression(string description) => LowercaseCompression(new Option<TfRecordCompression?>("--compression")
    {
        Description = description,
        CustomParser = result => ParseCompression(result, result.Tokens.Count == 0 ? "" : result.Tokens[0].Value),
    });

    /// <summary>Every <c>--compression</c>'s value, read as the job's <c>output.compression</c> is (one parser).</summary>
    private static TfRecordCompression? ParseCompression(System.CommandLine.Parsing.ArgumentResult result, string text)
    {
        if (JobConfigParser.TryParseCompression(text, out var compression))
        {
            return compression;
        }

        result.AddError($"--compression must be none, gzip or zlib, not '{text}'.");
        return null;
    }

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

    /// <summary><c>--index</c> of the commands that write shards (<c>samples</c>, <c>encode</c>).</summary>
    public static Option<bool> ShardIndex() => new("--index")
    {
        Description = "Also write each shard's index file, _index/<shard file name>.idx in the shard's folder (one '<offset> <length>' line per record, " +
                      "as DALI's and PyTorch's tfrecord2idx write it), listed in _manifest.json; uncompressed shards only.",
    };

    /// <summary>The most part files a run may write (each is an open file while the samples are written).</summary>
    public const int MaxShards = 100_000;

    /// <summary>Makes a numeric option accept only <paramref name="min"/> to <paramref name="max"/> (a usage error, exit 2).</summary>
    public static void Between<T>(Option<T> option, long min, long max)
    {
        option.Validators.Add(r =>
        {
            object? value = r.GetValue(option);
            if (value is not null && Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) is var v && (v < min || v > max))
            {
                r.AddError($"{option.Name} must be from {min} to {max}, not {v}.");
            }
        });
    }

    /// <summary>Whether <paramref name="text"/> is a size DuckDB's memory_limit takes: a number and a unit.</summary>
    public static bool IsMemorySize(string text) =>
        System.Text.RegularExpressions.Regex.IsMatch(text, @"^\s*[0-9]+(\.[0-9]+)?\s*([KMGT]i?B|B)\s*$", System.Text.RegularExpressions.RegexOptions.IgnoreCase);

    /// <summary>The reader's cap on one record's length, settable where TFRecord files are read.</summary>
    public static Option<long?> MaxRecordBytes()
    {
        var option = new Option<long?>("--max-record-bytes")
        {
            Description = $"The largest record accepted, in bytes (default {new TfRecordReaderOptions().MaxRecordLength}); a bigger length field is reported as damage. Raise it for files with genuinely huge records.",
        };
        Between(option, 1, int.MaxValue - 16);
        return option;
    }


}
