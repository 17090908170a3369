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

    public static TfRecordReaderOptions ReaderOptions(bool skipCorrupt, long? maxRecordBytes = null) =>
        maxRecordBytes is { } cap ? new() { SkipCorrupt = skipCorrupt, MaxRecordLength = cap } : new() { SkipCorrupt = skipCorrupt };
}
